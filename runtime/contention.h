/*
 * contention.h — the block and mutex profiles' hooks in the scheduler and
 * the sync primitives (see contention.c). Off, each hook is one relaxed
 * load and a branch.
 */
#ifndef GO_CONTENTION_H
#define GO_CONTENTION_H

#include <stdint.h>

extern int64_t go__block_rate;          /* atomic: ns, 0 when off */
extern int32_t go__mutex_fraction;      /* atomic: 0 when off */

int64_t go__block_start(const char *reason);
void go__block_end(int64_t t0, const char *reason);
int64_t go__mutex_since(void);
void go__mutex_event(int64_t since, const char *reason);

/* Before parking for reason: a start time, or 0 when not profiling. */
static inline int64_t go__block_begin(const char *reason)
{
	return __builtin_expect(__atomic_load_n(&go__block_rate, __ATOMIC_RELAXED) != 0, 0) ?
		go__block_start(reason) : 0;
}

/* When a waiter queues on a mutex: the time, or 0 when not profiling. */
static inline int64_t go__mutex_queued(void)
{
	return __builtin_expect(__atomic_load_n(&go__mutex_fraction, __ATOMIC_RELAXED) != 0, 0) ?
		go__mutex_since() : 0;
}

/* Starts the profiles the environment asks for (CHANLAB_BLOCKPROFILE,
 * CHANLAB_MUTEXPROFILE). */
void go__contention_init(void);

/* Writes the block and mutex profiles the environment asked for, as at
 * exit. */
void go__contention_flush(void);

#endif

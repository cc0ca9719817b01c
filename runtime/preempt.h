/*
 * preempt.h — asynchronous preemption (see preempt.c).
 */
#ifndef GO_PREEMPT_H
#define GO_PREEMPT_H

#include <stdint.h>

typedef struct go__m go__m;

/* Installs the SIGURG handler, in a program chanlab built. */
void go__preempt_init(void);

/* The monitor: stop m's goroutine now if it is at a safe point. */
void go__preempt_signal(go__m *m);

/* Goroutines preempted by the signal so far. */
extern uint64_t go__preempt_async_count;

#endif

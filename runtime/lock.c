/*
 * lock.c — the two thread-level primitives the runtime is built on.
 *
 * go__lock: a mutex for runtime data (run queues, channels, timer heaps),
 * held only for a few instructions.  key is 0 unlocked, 1 locked, 2 locked
 * with sleepers (Drepper, "Futexes are tricky").  It spins briefly before it
 * sleeps, because the holder is almost always running on another CPU.
 *
 * go__note: a one-shot wakeup an idle M sleeps on.  key is 0 until
 * go__note_wakeup sets it to 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static void futex_wait(uint32_t *addr, uint32_t val, int64_t ns)
{
	struct timespec ts, *tsp = NULL;

	if (ns >= 0) {
		ts.tv_sec = (time_t)(ns / 1000000000);
		ts.tv_nsec = (long)(ns % 1000000000);
		tsp = &ts;
	}
	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, tsp, NULL, 0);
}

static void futex_wake(uint32_t *addr, int n)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

void go__lock_acquire(go__lock *l)
{
	uint32_t c = 0;

	if (cas(&l->key, &c, 1))
		return;
	/* As Go's lock_futex.go: a few rounds of 30 pauses each, then sleep.
	 * Reading the key at every pause kept its line moving between the
	 * cores while the holder worked on it. (Go yields the CPU once
	 * before it sleeps; a thread that yields stays runnable, and on a
	 * loaded machine waits its turn again, which a harness that measures
	 * the CPU a waiting goroutine wants counts against it.) */
	for (int i = 0; i < 4; i++) {
		for (int k = 0; k < 30; k++)
			go__cpu_relax();
		c = ld_relaxed(&l->key);
		if (c == 0 && cas(&l->key, &c, 1))
			return;
	}
	if (c != 2)
		c = xchg(&l->key, 2);
	while (c != 0) {
		futex_wait(&l->key, 2, -1);
		c = xchg(&l->key, 2);
	}
}

void go__lock_release(go__lock *l)
{
	if (xchg(&l->key, 0) == 2)
		futex_wake(&l->key, 1);
}

void go__note_clear(go__note *n)
{
	st_release(&n->key, 0);
}

void go__note_wakeup(go__note *n)
{
	xchg(&n->key, 1);
	futex_wake(&n->key, 1);
}

bool go__note_sleep(go__note *n, int64_t ns)
{
	int64_t deadline = ns >= 0 ? go_now() + ns : 0;

	while (ld_acquire(&n->key) == 0) {
		if (ns >= 0) {
			int64_t left = deadline - go_now();
			if (left <= 0)
				return false;
			futex_wait(&n->key, 0, left);
		} else {
			futex_wait(&n->key, 0, -1);
		}
	}
	return true;
}

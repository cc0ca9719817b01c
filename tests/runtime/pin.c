/*
 * pin.c — go_proc_pin (tests/runtime.t): a pinned goroutine is not
 * preempted, cooperatively or by signal, so counters kept per P need no
 * atomics; unpinning honours the preemption that waited. Prints
 * "pinned ok" or what broke. With "block": blocks while pinned, a fatal
 * error at that line.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go.h"

#define WORKERS 4
#define ROUNDS 200000

static atomic_long ticks;
static atomic_int stop;

static void ticker(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		atomic_fetch_add(&ticks, 1);
		go_yield();
	}
}

/* Per-P counters, plain longs on lines of their own: only the goroutine
 * pinned to a P touches its slot. */
static struct { long n; char pad[56]; } slot[64];
static go_waitgroup wg;

static void adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		int p = go_proc_pin();
		long n = slot[p].n;

		if (i % 1000 == 0)
			go_num_goroutine();   /* a preemption check: no yield while pinned */
		slot[p].n = n + 1;
		go_proc_unpin();
	}
	go_waitgroup_done(&wg);
}

static int fail(const char *what)
{
	printf("%s\n", what);
	return 1;
}

int go_main(int argc, char **argv)
{
	int procs = go_gomaxprocs(0), p;
	long before, sum = 0;
	int64_t t0;

	if (argc > 1 && strcmp(argv[1], "block") == 0) {
		go_proc_pin();              /* @pin */
		go_sleep(GO_MILLISECOND);   /* @block */
		go_proc_unpin();
		return 0;
	}
	/* 1. a pinned tight loop is not preempted: the ticker stands still */
	go_spawn(ticker, NULL);
	go_yield();
	p = go_proc_pin();
	if (p < 0 || p >= procs)
		return fail("pin returned no P of this program");
	if (go_proc_pin() != p)
		return fail("a nested pin moved");
	go_proc_unpin();
	before = atomic_load(&ticks);
	t0 = go_now();
	while (go_now() - t0 < 60 * GO_MILLISECOND)
		go_num_goroutine();   /* a runtime call with a preemption check */
	if (procs == 1 && atomic_load(&ticks) != before)
		return fail("a pinned goroutine was preempted");
	go_proc_unpin();
	/* 2. unpinned, the preemption that waited lets the ticker run */
	t0 = go_now();
	while (atomic_load(&ticks) == before && go_now() - t0 < 5 * GO_SECOND)
		go_num_goroutine();
	if (atomic_load(&ticks) == before)
		return fail("unpinned, the ticker never ran");
	atomic_store(&stop, 1);
	/* 3. per-P counters without atomics add up */
	go_waitgroup_add(&wg, WORKERS);
	for (int i = 0; i < WORKERS; i++)
		go_spawn(adder, NULL);
	go_waitgroup_wait(&wg);
	for (int i = 0; i < 64; i++)
		sum += slot[i].n;
	if (sum != (long)WORKERS * ROUNDS) {
		printf("per-P counters lost updates: %ld of %ld\n", sum, (long)WORKERS * ROUNDS);
		return 1;
	}
	printf("pinned ok\n");
	return 0;
}

/*
 * prof.c — a program with known CPU shares for the CPU profiler's test
 * (tests/prof.t): heavy() does twice light()'s work, each in goroutines of
 * its own, for about a CPU-second in all.
 */
#include <stdio.h>
#include <stdlib.h>

#include "go.h"

static volatile uint64_t sink;

static __attribute__((noinline)) uint64_t mix(uint64_t x, int n)
{
	for (int i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}

/* A frame between the goroutine's function and the leaf: only a walk of
 * frame pointers finds it. */
static __attribute__((noinline)) void work(int n)
{
	for (int i = 0; i < n; i++)
		sink += mix(sink, 200000);
	__asm__ volatile("" ::: "memory");
}

static __attribute__((noinline)) void heavy(void *arg)
{
	go_waitgroup *wg = arg;

	work(2000);
	go_waitgroup_done(wg);
}

static __attribute__((noinline)) void light(void *arg)
{
	go_waitgroup *wg = arg;

	for (int i = 0; i < 1000; i++)
		sink += mix(sink, 200000);
	go_waitgroup_done(wg);
}

int go_main(int argc, char **argv)
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	int rounds = argc > 1 ? atoi(argv[1]) : 1;

	for (int r = 0; r < rounds; r++) {
		go_waitgroup_add(&wg, 2);
		go_spawn(heavy, &wg);
		go_spawn(light, &wg);
		go_waitgroup_wait(&wg);
	}
	printf("%llu\n", (unsigned long long)(sink & 1));
	return 0;
}

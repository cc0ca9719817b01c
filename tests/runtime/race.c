/*
 * race.c — a real data race: two goroutines on different threads bump one
 * counter with no synchronization.  Under TSan it must be reported
 * (tests/runtime-san.t); it prints where each goroutine ran.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "go.h"

static long counter;            /* the racy variable */
static int started;             /* atomic */
static long tids[2];
static go_waitgroup wg;

static void bump(void *arg)
{
	long who = (long)arg;

	tids[who] = syscall(SYS_gettid);
	__atomic_add_fetch(&started, 1, __ATOMIC_RELAXED);
	/* Wait (briefly) for the other, so both run at once if they can. */
	int64_t give_up = go_now() + 5 * GO_SECOND;
	while (__atomic_load_n(&started, __ATOMIC_RELAXED) < 2 && go_now() < give_up)
		;
	for (int i = 0; i < 100000; i++)
		counter++;
	go_waitgroup_done(&wg);
}

int go_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	go_waitgroup_add(&wg, 2);
	go_spawn(bump, (void *)0L);
	go_spawn(bump, (void *)1L);
	go_waitgroup_wait(&wg);
	printf("counter %ld, %s threads\n", counter,
		tids[0] != tids[1] ? "different" : "same");
	return 0;
}

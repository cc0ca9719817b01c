/*
 * lsan.c — what LeakSanitizer makes of goroutines (tests/runtime-san.t).
 * "parked": a goroutine blocked at exit holds the only pointer to a block
 * in its locals: reachable, as in Go, so no leak.  "arg": a goroutine's
 * argument, malloc'd and never freed by the goroutine that finished with
 * it: a leak, which the finished G must not hide.  "running": goroutines
 * still running at exit, whose whole stacks become roots; a deep stack's
 * must hold no page LeakSanitizer cannot read.  Prints "MODE ok".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go.h"

static go_chan *never;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static void hold(void *arg)
{
	char *volatile block = malloc(1000);

	(void)arg;
	strcpy(block, "still mine");
	go_waitgroup_done(&wg);
	go_recv(never, NULL);   /* blocks for good */
	puts(block);
}

static void spin(void *arg)
{
	volatile long *n = arg;

	go_waitgroup_done(&wg);
	for (;;)
		(*n)++;         /* running when go_main returns */
}

static void use(void *arg)
{
	char *block = arg;

	block[0] = 'x';         /* and forgets to free it */
	go_waitgroup_done(&wg);
}

int go_main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	/* one spinner: under ASan preemption is cooperative, so with two Ps
	 * go_main keeps the other */
	int n = strcmp(mode, "running") == 0 ? 1 : 4;

	never = go_chan_make(0, 0);
	go_waitgroup_add(&wg, n);
	for (int i = 0; i < n; i++) {
		if (strcmp(mode, "parked") == 0)
			go_spawn(hold, NULL);
		else if (strcmp(mode, "running") == 0)
			go_spawn(spin, calloc(1, sizeof(long)));
		else
			go_spawn(use, malloc(100));
	}
	go_waitgroup_wait(&wg);
	for (int i = 0; i < 100; i++)
		go_yield();     /* the users run to their end */
	printf("%s ok\n", mode);
	return 0;
}

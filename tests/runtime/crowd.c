/*
 * crowd.c — Go-sized programs under the sanitizers (tests/runtime-san.t).
 *
 *   crowd N [race]   N goroutines wait at a gate, all at once, then go
 *                    through it and are counted under a mutex; prints
 *                    "N out". With race, the first two also write one
 *                    plain int, unsynchronised, before the gate opens:
 *                    TSan must say so however many goroutines there are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go.h"

static go_chan *gate;
static go_waitgroup wg = GO_WAITGROUP_INIT, ready = GO_WAITGROUP_INIT;
static go_mutex mu = GO_MUTEX_INIT;
static int out;
static volatile int racy;       /* volatile: kept though nobody reads it */

struct who {
	int i;
	bool race;
};

static void wait_at_gate(void *arg)
{
	struct who *w = arg;

	if (w->race && w->i < 2)
		racy = w->i;            /* two goroutines, no order between them */
	go_waitgroup_done(&ready);
	go_recv(gate, NULL);
	go_mutex_lock(&mu);
	out++;
	go_mutex_unlock(&mu);
	go_waitgroup_done(&wg);
}

int go_main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 0;
	bool race = argc > 2 && strcmp(argv[2], "race") == 0;
	struct who *w = calloc((size_t)n + 1, sizeof(*w));

	if (n <= 0 || !w) {
		fprintf(stderr, "usage: crowd N [race]\n");
		return 2;
	}
	gate = go_chan_make(0, 0);
	go_waitgroup_add(&wg, n);
	go_waitgroup_add(&ready, n);
	for (int i = 0; i < n; i++) {
		w[i] = (struct who){ i, race };
		go_spawn(wait_at_gate, &w[i]);
	}
	go_waitgroup_wait(&ready);      /* every one of them is at the gate */
	go_close(gate);
	go_waitgroup_wait(&wg);
	printf("%d out\n", out);
	free(w);
	return 0;
}

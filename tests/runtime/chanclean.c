/*
 * chanclean.c — a correct program over channels, select, a mutex, a
 * WaitGroup and timers.  Built in every flavour; ASan, TSan and valgrind
 * must stay silent about it (tests/runtime-san.t).  Prints "sum N".
 */
#include <stdio.h>
#include <stdlib.h>

#include "go.h"

struct work {
	go_chan *jobs, *results;
	go_waitgroup wg;
	go_mutex mu;
	long shared;
};

static void worker(void *arg)
{
	struct work *w = arg;
	long *job;

	while (go_recv2(w->jobs, &job)) {
		long r = *job * 2;      /* the job was written by another goroutine */
		free(job);
		go_mutex_lock(&w->mu);
		w->shared += r;
		go_mutex_unlock(&w->mu);
		go_send(w->results, &r);
	}
	go_waitgroup_done(&w->wg);
}

static void closer(void *arg)
{
	struct work *w = arg;
	go_waitgroup_wait(&w->wg);
	go_close(w->results);
}

int go_main(int argc, char **argv)
{
	struct work w = { go_chan_make(sizeof(long *), 4),
		go_chan_make(sizeof(long), 0), GO_WAITGROUP_INIT, GO_MUTEX_INIT, 0 };
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	(void)argv;

	go_waitgroup_add(&w.wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(worker, &w);
	go_spawn(closer, &w);

	long sum = 0, r;
	int sent = 0;
	long *next = NULL;
	go_chan *tick = go_after(GO_MILLISECOND);
	bool open = true;
	while (open) {
		if (next == NULL && sent < n) {
			next = malloc(sizeof *next);
			*next = sent;
		}
		go_case cs[3] = {
			GO_SEND(next ? w.jobs : NULL, &next),
			GO_RECV(w.results, &r),
			GO_RECV(tick, NULL),
		};
		switch (go_select(cs, 3)) {
		case 0:
			next = NULL;
			if (++sent == n)
				go_close(w.jobs);
			break;
		case 1:
			if (cs[1].ok)
				sum += r;
			else
				open = false;
			break;
		case 2:
			go_chan_free(tick);
			tick = NULL;
			break;
		}
	}
	go_chan_free(tick);
	go_mutex_lock(&w.mu);
	long shared = w.shared;
	go_mutex_unlock(&w.mu);
	printf("sum %ld %s\n", sum, sum == shared ? "consistent" : "INCONSISTENT");
	go_chan_free(w.jobs);
	go_chan_free(w.results);
	return sum == (long)n * (n - 1) ? 0 : 1;
}

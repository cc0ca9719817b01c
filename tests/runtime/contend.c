/*
 * contend.c — known contention for the block and mutex profiles' test
 * (tests/prof.t): a goroutine waits about 100 ms on a channel in
 * waiter(), and another about 50 ms for a mutex that holder() keeps.
 * Traced, go_main is a task with a log and a region (tests/prof.t).
 */
#include <stdio.h>

#include "go.h"

static go_mutex mu = GO_MUTEX_INIT;

static __attribute__((noinline)) void waiter(void *arg)
{
	go_chan *c = arg;
	int v;

	go_recv(c, &v);         /* @block */
}

static __attribute__((noinline)) void holder(void *arg)
{
	go_waitgroup *wg = arg;

	go_mutex_lock(&mu);
	go_sleep(50 * GO_MILLISECOND);
	go_mutex_unlock(&mu);   /* @unlock */
	go_waitgroup_done(wg);
}

static __attribute__((noinline)) void locker(void *arg)
{
	go_waitgroup *wg = arg;

	go_sleep(5 * GO_MILLISECOND);
	go_mutex_lock(&mu);
	go_mutex_unlock(&mu);
	go_waitgroup_done(wg);
}

int go_main(int argc, char **argv)
{
	go_chan *c = go_chan_make(sizeof(int), 0);
	go_waitgroup wg = GO_WAITGROUP_INIT;
	int one = 1;

	uint64_t task = go_trace_task(0, "contend");   /* the trace's annotations */

	(void)argc, (void)argv;
	go_spawn(waiter, c);
	go_sleep(100 * GO_MILLISECOND);
	go_send(c, &one);
	go_trace_log(task, "phase", "the waiter is fed");
	go_trace_region_start(task, "lockers");
	go_waitgroup_add(&wg, 2);
	go_spawn(holder, &wg);
	go_spawn(locker, &wg);
	go_waitgroup_wait(&wg);
	go_trace_region_end(task, "lockers");
	go_trace_task_end(task);
	go_chan_free(c);
	puts("done");
	return 0;
}

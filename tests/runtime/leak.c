/*
 * leak.c — the goroutine leak check, tracebacks and crash reports, one case
 * per run (tests/runtime.t): each classic leak and its fix, the check at
 * go_main's return, ignore lists, a spinning goroutine for the SIGQUIT
 * dump, a NULL dereference, and the timings the issue asks for.
 * Lines the test looks for are marked with @NAME comments.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "go.h"

static void sender(void *arg)
{
	int v = 1;
	go_send(arg, &v); /* @block_send */
}

static void ranger(void *arg)
{
	int v;
	while (go_recv2(arg, &v)) /* @block_range */
		;
}

struct work {
	go_chan *in, *done;
	go_timer *tick;
};

static void ignorer(void *arg)
{
	struct work *w = arg;
	int v;

	for (;;)
		go_recv(w->in, &v); /* @block_done */
}

static void obeyer(void *arg)
{
	struct work *w = arg;
	int v;

	for (;;) {
		go_case cs[] = { GO_RECV(w->in, &v), GO_RECV(w->done, NULL) };
		if (go_select(cs, 2) == 1)
			return;
	}
}

static void ticking(void *arg)
{
	struct work *w = arg;
	int64_t when;

	for (;;)
		go_recv(go_timer_chan(w->tick), &when); /* @block_ticker */
}

static void ticking_fixed(void *arg)
{
	struct work *w = arg;
	int64_t when;

	for (;;) {
		go_case cs[] = { GO_RECV(go_timer_chan(w->tick), &when), GO_RECV(w->done, NULL) };
		if (go_select(cs, 2) == 1)
			return;
	}
}

static void slow_exit(void *arg)
{
	(void)arg;
	go_sleep(30 * GO_MILLISECOND);
}

static volatile unsigned long spins;

static void spinner(void *arg)
{
	(void)arg;
	for (;;) spins++; /* @spin */
}

static void waiter(void *arg)
{
	go_waitgroup *wg = arg;
	go_waitgroup_done(wg);
}

static void parked(void *arg)
{
	go_recv(arg, NULL);
}

static int *volatile nowhere;

static int deref(void)
{
	return *nowhere; /* @nil_deref */
}

static int64_t ns_since(int64_t t0) { return go_now() - t0; }

int go_main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	go_chan *c = go_chan_make(sizeof(int), 0);
	struct work w = { go_chan_make(sizeof(int), 0), go_chan_make(sizeof(int), 0), NULL };
	int v = 0;

	if (strcmp(what, "send") == 0) {
		go_spawn(sender, c); /* @spawn_send */
	} else if (strcmp(what, "send-fixed") == 0) {
		go_spawn(sender, c);
		go_recv(c, &v);
	} else if (strcmp(what, "range") == 0 || strcmp(what, "range-fixed") == 0) {
		go_spawn(ranger, c); /* @spawn_range */
		for (v = 0; v < 3; v++)
			go_send(c, &v);
		if (strcmp(what, "range-fixed") == 0)
			go_close(c);
	} else if (strcmp(what, "done") == 0) {
		go_spawn(ignorer, &w); /* @spawn_done */
		go_send(w.in, &v);
		go_close(w.done);
	} else if (strcmp(what, "done-fixed") == 0) {
		go_spawn(obeyer, &w);
		go_send(w.in, &v);
		go_close(w.done);
	} else if (strcmp(what, "ticker") == 0 || strcmp(what, "ticker-fixed") == 0) {
		bool fixed = strcmp(what, "ticker-fixed") == 0;
		w.tick = go_ticker_new(GO_MILLISECOND);
		go_spawn(fixed ? ticking_fixed : ticking, &w); /* @spawn_ticker */
		go_sleep(5 * GO_MILLISECOND);
		if (fixed) {
			go_close(w.done);
			go_timer_stop(w.tick);
		}
	} else if (strcmp(what, "slow-exit") == 0) {
		go_spawn(slow_exit, NULL);
	} else if (strcmp(what, "exit") == 0) {
		printf("before exit\n");
		go_spawn(sender, c); /* @spawn_exit */
		return 0;
	} else if (strcmp(what, "ignore") == 0) {
		go_leakcheck_ignore_function("sender");
		go_leakcheck_ignore_created("leak.c:999");
		go_spawn(sender, c);
		go_spawn(ranger, c); /* @spawn_ignored */
		char site[64];
		snprintf(site, sizeof site, "tests/runtime/leak.c:%d", __LINE__ - 2);
		go_leakcheck_ignore_created(site);
	} else if (strcmp(what, "ignore-env") == 0) {
		go_spawn(sender, c);
		go_spawn(ranger, c); /* @spawn_env */
	} else if (strcmp(what, "dump") == 0) {
		go_spawn(sender, c);
		go_yield();
		go_dump();
		go_recv(c, &v);
		return 0;
	} else if (strcmp(what, "spin") == 0) {
		printf("before spin\n");
		go_spawn(spinner, NULL); /* @spawn_spin */
		go_recv(c, &v); /* @main_wait */
	} else if (strcmp(what, "nil") == 0) {
		printf("before nil\n");
		return deref();
	} else if (strcmp(what, "perf") == 0) {
		/* the check when nothing leaked, after 100 goroutines came and went */
		go_waitgroup wg = GO_WAITGROUP_INIT;
		go_waitgroup_add(&wg, 100);
		for (int i = 0; i < 100; i++)
			go_spawn(waiter, &wg);
		go_waitgroup_wait(&wg);
		int64_t t0 = go_now(), worst = 0;
		for (int i = 0; i < 1000; i++) {
			int64_t t1 = go_now();
			if (go_leakcheck() != 0)
				return 3;
			if (ns_since(t1) > worst)
				worst = ns_since(t1);
		}
		printf("leakcheck clean: %.3f us mean, %.3f us worst\n",
			(double)ns_since(t0) / 1000.0 / 1000, (double)worst / 1000.0);
		/* a dump of 100 parked goroutines (stderr: /dev/null in the test) */
		for (int i = 0; i < 100; i++)
			go_spawn(parked, c);
		for (int i = 0; i < 100; i++)
			go_yield();
		t0 = go_now();
		go_dump();
		printf("dump of 100 parked, first: %.3f ms\n", (double)ns_since(t0) / 1e6);
		t0 = go_now();
		go_dump();
		printf("dump of 100 parked, again: %.3f ms\n", (double)ns_since(t0) / 1e6);
		go_close(c);
		return 0;
	} else {
		fprintf(stderr, "leak: unknown case '%s'\n", what);
		return 64;
	}
	int n = go_leakcheck();
	printf("leaked %d\n", n);
	return n ? 3 : 0;
}

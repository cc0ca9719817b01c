/*
 * fatal.c — one misuse per argument, each of which the runtime must turn
 * into Go's message and exit status 2.  tests/runtime.t checks the text.
 *
 *   fatal send-closed | close-closed | close-nil | wg-negative |
 *         unlock-unlocked | runlock-unlocked | rwunlock-unlocked |
 *         deadlock | deadlock-mutex | overflow | panic | exit | longrun |
 *         spinners (three goroutines spin at one P until SIGQUIT: the
 *         dump shows the line of each, the two preempted ones too)
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "go.h"

static go_chan *c, *c2;
static go_mutex mu;

static void block_recv(void *arg)
{
	(void)arg;
	int v;
	go_recv(c, &v);	/* @block_recv */
}

static void block_send(void *arg)
{
	(void)arg;
	int v = 1;
	go_send(c2, &v);	/* @block_send */
}

static void block_mutex(void *arg)
{
	(void)arg;
	go_mutex_lock(&mu);	/* @block_mutex */
}

static void block_select(void *arg)
{
	(void)arg;
	int v;
	go_case cs[2] = { GO_RECV(c, &v), GO_RECV(NULL, &v) };
	go_select(cs, 2);	/* @block_select */
}

static void block_sleep_then_recv(void *arg)
{
	(void)arg;
	go_sleep(GO_MILLISECOND);
	go_recv(NULL, NULL);	/* @block_nil */
}

static int64_t cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* 50 ms of CPU (not wall: the machine may be busy) with no runtime call */
static void spin_then_block(void *arg)
{
	int64_t until = cpu_now() + 50 * GO_MILLISECOND;
	volatile long x = 0;
	(void)arg;
	while (cpu_now() < until)
		x++;
	go_recv(NULL, NULL);
}

static volatile int never;

static __attribute__((noinline)) void spinner(void *arg)
{
	(void)arg;
	while (!never)          /* @spinner */
		;
}

static int recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	return n == 0 ? 0 : recurse(n - 1) + pad[0];
}

static void overflow(void *arg)
{
	(void)arg;
	printf("%d\n", recurse(1 << 20));
}

int go_main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	int v = 0;

	c = go_chan_make(sizeof(int), 0);
	c2 = go_chan_make(sizeof(int), 0);
	if (strcmp(what, "send-closed") == 0) {
		go_close(c);
		go_send(c, &v);	/* @send_closed */
	} else if (strcmp(what, "close-closed") == 0) {
		go_close(c);
		go_close(c);
	} else if (strcmp(what, "close-nil") == 0) {
		go_close(NULL);
	} else if (strcmp(what, "wg-negative") == 0) {
		go_waitgroup wg = GO_WAITGROUP_INIT;
		go_waitgroup_done(&wg);	/* @wg-negative */
	} else if (strcmp(what, "unlock-unlocked") == 0) {
		go_mutex_unlock(&mu);	/* @unlock-unlocked */
	} else if (strcmp(what, "runlock-unlocked") == 0) {
		go_rwmutex rw = GO_RWMUTEX_INIT;
		go_rwmutex_runlock(&rw);	/* @runlock-unlocked */
	} else if (strcmp(what, "rwunlock-unlocked") == 0) {
		go_rwmutex rw = GO_RWMUTEX_INIT;
		go_rwmutex_unlock(&rw);	/* @rwunlock-unlocked */
	} else if (strcmp(what, "deadlock") == 0) {
		go_spawn(block_recv, NULL);	/* @spawn_recv */
		go_spawn(block_send, NULL);	/* @spawn_send */
		go_spawn(block_select, NULL);	/* @spawn_select */
		go_spawn(block_sleep_then_recv, NULL);	/* @spawn_nil */
		go_sleep(5 * GO_MILLISECOND);
		go_chan *d = go_chan_make(sizeof(int), 0);
		go_recv(d, &v);	/* @main_recv */
	} else if (strcmp(what, "deadlock-mutex") == 0) {
		go_mutex_lock(&mu);
		go_spawn(block_mutex, NULL);	/* @spawn_mutex */
		go_waitgroup wg = GO_WAITGROUP_INIT;
		go_waitgroup_add(&wg, 1);
		go_waitgroup_wait(&wg);
	} else if (strcmp(what, "overflow") == 0) {
		go_spawn(overflow, NULL);	/* @spawn_overflow */
		go_recv(c, &v);
	} else if (strcmp(what, "panic") == 0) {
		go_panic("something went wrong");	/* @panic */
	} else if (strcmp(what, "longrun") == 0) {
		go_spawn(spin_then_block, NULL);
		go_recv(c, &v);
	} else if (strcmp(what, "spinners") == 0) {
		for (int i = 0; i < 3; i++)
			go_spawn(spinner, NULL);
		go_recv(c, &v);
	} else if (strcmp(what, "exit") == 0) {
		go_spawn(block_recv, NULL);
		return 7;
	} else {
		fprintf(stderr, "fatal: unknown case '%s'\n", what);
		return 1;
	}
	return 0;
}

/*
 * det.c — programs for the deterministic scheduler's test (tests/det.t),
 * run with CHANLAB_SCHED=random:SEED or pct:SEED[:DEPTH]:
 *   trace      goroutines, a buffered channel, a select over two producers
 *              and sleeps print what they do: the same seed must print the
 *              same bytes
 *   lostupdate four goroutines add to a counter with a read, a scheduling
 *              point and a write (a race a test exposes with go_sched_point)
 *   fixed      the same under a mutex
 *   lockorder  two goroutines take two mutexes in opposite orders
 *   ordered    the same in one order
 *   ticker     a 1 s ticker for a simulated hour, on virtual time
 *   lostwakeup a consumer checks a flag outside the lock, then waits on a
 *              condition variable the producer already signalled
 *   nolostwakeup the same, checked under the lock in a loop
 *   checkact   two goroutines check that a one-slot channel is empty, then
 *              send: when both see it empty, the second send waits for ever
 *   tryact     the same with go_try_send: check and act in one step
 *   deadline   a context with a 250 ms timeout: when its Done fires, on
 *              virtual time
 */
#include <stdio.h>
#include <string.h>

#include "go.h"

static go_mutex a = GO_MUTEX_INIT, b = GO_MUTEX_INIT;
static go_waitgroup wg = GO_WAITGROUP_INIT;
static int counter;

static void producer(void *arg)
{
	go_chan *c = arg;

	for (int i = 0; i < 5; i++) {
		go_send(c, &i);
		if (i == 2)
			go_sleep(3 * GO_MILLISECOND);
	}
	go_close(c);
}

static int trace(void)
{
	go_chan *x = go_chan_make(sizeof(int), 2), *y = go_chan_make(sizeof(int), 0);
	int v, open = 2;

	go_spawn(producer, x);
	go_spawn(producer, y);
	while (open) {
		go_case cs[2] = { GO_RECV(x, &v), GO_RECV(y, &v) };
		int i = go_select(cs, 2);

		if (!cs[i].ok) {
			printf("%c closed at %lld ms\n", "xy"[i], (long long)(go_now() / GO_MILLISECOND));
			open--;
			if (i == 0)
				x = NULL;
			else
				y = NULL;
			continue;
		}
		printf("%c %d\n", "xy"[i], v);
	}
	return 0;
}

static void adder(void *arg)
{
	bool locked = arg != NULL;

	for (int i = 0; i < 3; i++) {
		if (locked)
			go_mutex_lock(&a);
		int v = counter;
		go_sched_point();
		counter = v + 1;
		if (locked)
			go_mutex_unlock(&a);
	}
	go_waitgroup_done(&wg);
}

static int adders(bool locked)
{
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(adder, locked ? &wg : NULL);
	go_waitgroup_wait(&wg);
	printf("counter %d\n", counter);
	return counter == 12 ? 0 : 1;
}

static void ab(void *arg)
{
	(void)arg;
	go_mutex_lock(&a);
	go_mutex_lock(&b);
	go_mutex_unlock(&b);
	go_mutex_unlock(&a);
	go_waitgroup_done(&wg);
}

static void ba(void *arg)
{
	go_mutex_lock(arg ? &a : &b);
	go_mutex_lock(arg ? &b : &a);
	go_mutex_unlock(arg ? &b : &a);
	go_mutex_unlock(arg ? &a : &b);
	go_waitgroup_done(&wg);
}

static int locks(bool ordered)
{
	go_waitgroup_add(&wg, 2);
	go_spawn(ab, NULL);
	go_spawn(ba, ordered ? &wg : NULL);
	go_waitgroup_wait(&wg);
	puts("no deadlock");
	return 0;
}

static go_mutex cm = GO_MUTEX_INIT;
static go_cond cv = GO_COND_INIT(&cm);
static int ready;

static void producer2(void *arg)
{
	(void)arg;
	go_mutex_lock(&cm);
	ready = 1;
	go_cond_signal(&cv);
	go_mutex_unlock(&cm);
	go_waitgroup_done(&wg);
}

static int wakeup(bool racy)
{
	go_waitgroup_add(&wg, 1);
	go_spawn(producer2, NULL);
	if (racy) {
		if (!ready) {           /* checked without the lock: the signal may come first */
			go_mutex_lock(&cm);
			go_cond_wait(&cv);
			go_mutex_unlock(&cm);
		}
	} else {
		go_mutex_lock(&cm);
		while (!ready)
			go_cond_wait(&cv);
		go_mutex_unlock(&cm);
	}
	go_waitgroup_wait(&wg);
	puts("woke");
	return 0;
}

static go_chan *slot;

static void claim(void *arg)
{
	int me = 1;

	if (arg) {
		go_try_send(slot, &me);     /* check and act at once: a full slot is left */
	} else if (go_chan_len(slot) == 0) {   /* check ... */
		go_sched_point();
		go_send(slot, &me);     /* ... then act: another may have filled it meanwhile */
	}
	go_waitgroup_done(&wg);
}

static int checkact(bool racy)
{
	slot = go_chan_make(sizeof(int), 1);
	go_waitgroup_add(&wg, 2);
	go_spawn(claim, racy ? NULL : slot);
	go_spawn(claim, racy ? NULL : slot);
	go_waitgroup_wait(&wg);
	printf("%zu in the slot\n", go_chan_len(slot));
	return 0;
}

static int deadline(void)
{
	int64_t start = go_now();
	go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), 250 * GO_MILLISECOND);

	go_recv(go_ctx_done(ctx), NULL);
	printf("done after %lld ns\n", (long long)(go_now() - start));
	go_ctx_free(ctx);
	return 0;
}

static int ticker(void)
{
	go_timer *t = go_ticker_new(GO_SECOND);
	int64_t start = go_now(), ticks = 0, when;

	while (go_now() - start < 3600 * GO_SECOND) {
		go_recv(go_timer_chan(t), &when);
		ticks++;
	}
	go_timer_stop(t);
	go_timer_free(t);
	printf("%lld ticks in %lld s\n", (long long)ticks, (long long)((go_now() - start) / GO_SECOND));
	return 0;
}

int go_main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "trace";

	if (strcmp(what, "trace") == 0)
		return trace();
	if (strcmp(what, "lostupdate") == 0 || strcmp(what, "fixed") == 0)
		return adders(strcmp(what, "fixed") == 0);
	if (strcmp(what, "lockorder") == 0 || strcmp(what, "ordered") == 0)
		return locks(strcmp(what, "ordered") == 0);
	if (strcmp(what, "ticker") == 0)
		return ticker();
	if (strcmp(what, "lostwakeup") == 0 || strcmp(what, "nolostwakeup") == 0)
		return wakeup(strcmp(what, "lostwakeup") == 0);
	if (strcmp(what, "checkact") == 0 || strcmp(what, "tryact") == 0)
		return checkact(strcmp(what, "checkact") == 0);
	if (strcmp(what, "deadline") == 0)
		return deadline();
	return 2;
}

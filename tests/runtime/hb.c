/*
 * hb.c — what TSan is told happens before what (runtime/san.h), one mode
 * per ordering the Go memory model gives, and two races it does not
 * order.  Run as `tsan-hb MODE` (tests/runtime-san.t): every ordered mode
 * must be clean at any GOMAXPROCS, both races reported even at 1, where
 * the goroutines take turns on one thread.  Prints "MODE ok".
 *
 * Each ordered mode writes plain memory in one goroutine and reads it in
 * another after the synchronisation alone, with nothing else between
 * them that TSan could take for an ordering.
 */
#include <stdio.h>
#include <string.h>

#include "go.h"

struct big { char bytes[300]; };        /* copied by memcpy, which TSan sees */

static long x;                           /* the plain memory */
static struct big payload;
static go_waitgroup wg = GO_WAITGROUP_INIT;
static go_mutex mu = GO_MUTEX_INIT;
static go_rwmutex rw = GO_RWMUTEX_INIT;
static go_once once = GO_ONCE_INIT;
static go_cond cond = GO_COND_INIT(&mu);
static bool ready;
static go_chan *c;

static void done(void)
{
	go_waitgroup_done(&wg);
}

/* --- ordered ------------------------------------------------------------ */

static void send_after_write(void *arg)
{
	long v = 1;

	(void)arg;
	x = 42;
	go_send(c, &v);
	done();
}

static void recv_then_read(void *arg)
{
	long v;

	(void)arg;
	go_recv(c, &v);
	if (x != 42)
		printf("x %ld\n", x);
	done();
}

static void close_after_write(void *arg)
{
	(void)arg;
	x = 42;
	go_close(c);
	done();
}

static void select_then_read(void *arg)
{
	long v;
	go_case cs[2] = { GO_RECV(c, &v), GO_RECV(NULL, NULL) };

	(void)arg;
	go_select(cs, 2);
	if (x != 42)
		printf("x %ld\n", x);
	done();
}

/* A 300-byte element, written before each send and read after each
 * receive, by turns: the copies into and out of the buffer are TSan's. */
static void big_ping(void *arg)
{
	struct big b;

	(void)arg;
	for (int i = 0; i < 200; i++) {
		memset(b.bytes, i, sizeof b.bytes);
		go_send(c, &b);
	}
	done();
}

static void big_pong(void *arg)
{
	struct big b;

	(void)arg;
	for (int i = 0; i < 200; i++) {
		go_recv(c, &b);
		if (b.bytes[0] != (char)i)
			printf("bad element %d\n", i);
	}
	done();
}

static void locked_add(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		go_mutex_lock(&mu);
		x++;
		go_mutex_unlock(&mu);
		if (i % 100 == 0)
			go_yield();
	}
	done();
}

static void rw_writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 500; i++) {
		go_rwmutex_lock(&rw);
		x++;
		go_rwmutex_unlock(&rw);
		go_yield();
	}
	done();
}

static void rw_reader(void *arg)
{
	long seen = 0;

	(void)arg;
	for (int i = 0; i < 500; i++) {
		go_rwmutex_rlock(&rw);
		seen += x;
		go_rwmutex_runlock(&rw);
		go_yield();
	}
	(void)seen;
	done();
}

static void set_x(void *arg)
{
	(void)arg;
	x = 42;
}

static void once_then_read(void *arg)
{
	(void)arg;
	go_once_do(&once, set_x, NULL);
	if (x != 42)
		printf("x %ld\n", x);
	done();
}

static void cond_waiter(void *arg)
{
	(void)arg;
	go_mutex_lock(&mu);
	while (!ready)
		go_cond_wait(&cond);
	if (x != 42)
		printf("x %ld\n", x);
	go_mutex_unlock(&mu);
	done();
}

static void cond_signaller_locked(void *arg)
{
	(void)arg;
	go_mutex_lock(&mu);
	x = 42;
	ready = true;
	go_cond_signal(&cond);
	go_mutex_unlock(&mu);
	done();
}

static void read_x(void *arg)
{
	(void)arg;
	if (x != 42)
		printf("x %ld\n", x);
	done();
}

static void ctx_waiter(void *arg)
{
	go_ctx *ctx = arg;
	long v;

	go_recv(go_ctx_done(ctx), &v);
	if (x != 42)
		printf("x %ld\n", x);
	done();
}

/* The context was cancelled before anyone asked for its done channel:
 * go_ctx_done hands out a shared closed one, and go_ctx_err says so. */
static void ctx_late(void *arg)
{
	go_ctx *ctx = arg;
	long v;

	while (go_ctx_err(ctx) == GO_OK)
		go_yield();
	if (x != 42)
		printf("x %ld\n", x);
	go_recv(go_ctx_done(ctx), &v);
	done();
}

static void slot_writer(void *arg)
{
	payload.bytes[(long)arg] = 7;
	done();
}

/* --- not ordered -------------------------------------------------------- */

static void add_in_turns(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		x++;
		go_yield();
	}
	done();
}

/* Go's Cond orders nothing by itself: a Signal without the lock after a
 * plain write races with the read after Wait. */
static void cond_signaller_unlocked(void *arg)
{
	(void)arg;
	x = 42;
	__atomic_store_n(&ready, true, __ATOMIC_RELAXED);
	go_cond_signal(&cond);
	done();
}

static void cond_waiter_relaxed(void *arg)
{
	(void)arg;
	go_mutex_lock(&mu);
	while (!__atomic_load_n(&ready, __ATOMIC_RELAXED))
		go_cond_wait(&cond);
	go_mutex_unlock(&mu);
	if (x != 42)
		printf("x %ld\n", x);
	done();
}

/* x is written, then the context cancelled, while waiter waits on it. */
static void cancel_after_write(void (*waiter)(void *))
{
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());

	go_waitgroup_add(&wg, 1);
	go_spawn(waiter, ctx);
	go_yield();
	x = 42;
	go_ctx_cancel(ctx);
	go_waitgroup_wait(&wg);
	go_ctx_free(ctx);
}

static void spawn2(void (*a)(void *), void (*b)(void *), void *arg)
{
	go_waitgroup_add(&wg, 2);
	go_spawn(a, arg);
	go_spawn(b, arg);
}

int go_main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "chan") == 0) {
		c = go_chan_make(sizeof(long), 0);
		spawn2(recv_then_read, send_after_write, NULL);
	} else if (strcmp(mode, "buffered") == 0) {
		c = go_chan_make(sizeof(long), 4);
		spawn2(send_after_write, recv_then_read, NULL);
	} else if (strcmp(mode, "close") == 0) {
		c = go_chan_make(sizeof(long), 0);
		spawn2(recv_then_read, close_after_write, NULL);
	} else if (strcmp(mode, "select") == 0) {
		c = go_chan_make(sizeof(long), 0);
		spawn2(select_then_read, send_after_write, NULL);
	} else if (strcmp(mode, "big") == 0) {
		c = go_chan_make(sizeof(struct big), 3);
		spawn2(big_pong, big_ping, NULL);
	} else if (strcmp(mode, "bigsync") == 0) {
		c = go_chan_make(sizeof(struct big), 0);
		spawn2(big_pong, big_ping, NULL);
	} else if (strcmp(mode, "mutex") == 0) {
		spawn2(locked_add, locked_add, NULL);
		spawn2(locked_add, locked_add, NULL);
	} else if (strcmp(mode, "rwmutex") == 0) {
		spawn2(rw_reader, rw_writer, NULL);
		spawn2(rw_reader, rw_writer, NULL);
	} else if (strcmp(mode, "once") == 0) {
		spawn2(once_then_read, once_then_read, NULL);
	} else if (strcmp(mode, "cond") == 0) {
		spawn2(cond_waiter, cond_signaller_locked, NULL);
	} else if (strcmp(mode, "wg") == 0) {
		go_waitgroup_add(&wg, 2);
		go_spawn(slot_writer, (void *)0L);
		go_spawn(slot_writer, (void *)1L);
		go_waitgroup_wait(&wg);
		if (payload.bytes[0] != 7 || payload.bytes[1] != 7)
			printf("payload %d %d\n", payload.bytes[0], payload.bytes[1]);
	} else if (strcmp(mode, "spawn") == 0) {
		x = 42;
		go_waitgroup_add(&wg, 1);
		go_spawn(read_x, NULL);
	} else if (strcmp(mode, "timerfunc") == 0) {
		x = 42;
		go_waitgroup_add(&wg, 1);
		go_timer_func(GO_MILLISECOND, read_x, NULL);
	} else if (strcmp(mode, "ctx") == 0) {
		cancel_after_write(ctx_waiter);
	} else if (strcmp(mode, "ctxerr") == 0) {
		cancel_after_write(ctx_late);
	} else if (strcmp(mode, "deadlock") == 0) {
		c = go_chan_make(sizeof(long), 0);
		go_recv(c, &x);         /* the runtime's fatal error, from g0 */
	} else if (strcmp(mode, "racy") == 0) {
		spawn2(add_in_turns, add_in_turns, NULL);
	} else if (strcmp(mode, "signal") == 0) {
		spawn2(cond_waiter_relaxed, cond_signaller_unlocked, NULL);
	} else {
		printf("usage: hb MODE\n");
		return 2;
	}
	go_waitgroup_wait(&wg);
	printf("%s ok\n", mode);
	return 0;
}

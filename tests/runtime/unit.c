/*
 * unit.c — the runtime's unit tests (TAP).  tests/runtime.t runs it at
 * GOMAXPROCS=1, 2, 4 and 8.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go.h"
#include "tests/tap.h"

/* UNIT_SMALL=1 divides the sizes by 20, for the sanitizer builds */
static int scale = 1;

static int isqrt(int n)
{
	int r = 0;
	while ((r + 1) * (r + 1) <= n)
		r++;
	return r;
}

/* --- channels ----------------------------------------------------------- */

static void send_three_and_close(void *arg)
{
	go_chan *c = arg;
	for (int i = 1; i <= 3; i++)
		go_send(c, &i);
	go_close(c);
}

static void test_unbuffered(void)
{
	go_chan *c = go_chan_make(sizeof(int), 0);
	int v, sum = 0, n = 0;

	go_spawn(send_three_and_close, c);
	while (go_recv2(c, &v)) {
		sum += v;
		n++;
	}
	ok(n == 3 && sum == 6, "unbuffered: three values then closed");
	v = 42;
	ok(!go_recv2(c, &v) && v == 0, "receive from closed channel: zero, !ok");
	is_int(go_chan_cap(c), 0, "cap of an unbuffered channel");
	go_chan_free(c);
}

static void test_buffered(void)
{
	go_chan *c = go_chan_make(sizeof(double), 3);
	double d;

	for (int i = 0; i < 3; i++) {
		d = i + 0.5;
		go_send(c, &d);
	}
	is_int(go_chan_len(c), 3, "len after three sends");
	is_int(go_chan_cap(c), 3, "cap");
	d = 9;
	ok(!go_try_send(c, &d), "try_send on a full channel fails");
	go_close(c);
	bool good = true;
	for (int i = 0; i < 3; i++)
		good = good && go_recv2(c, &d) && d == i + 0.5;
	ok(good, "buffered values survive close, in order");
	ok(!go_recv2(c, &d), "then closed and drained");
	bool okv = true;
	ok(go_try_recv(c, &d, &okv) && !okv, "try_recv sees the close");
	go_chan_free(c);

	go_chan *e = go_chan_make(sizeof(int), 1);
	int x = 0;
	ok(!go_try_recv(e, &x, NULL), "try_recv on an empty channel fails");
	x = 5;
	ok(go_try_send(e, &x), "try_send with room succeeds");
	go_chan_free(e);
}

struct big { char bytes[300]; };

static void send_big(void *arg)
{
	go_chan *c = arg;
	struct big b;
	for (int i = 0; i < 10; i++) {
		memset(b.bytes, 'a' + i, sizeof b.bytes);
		go_send(c, &b);
	}
}

static void test_big_elements(void)
{
	go_chan *c = go_chan_make(sizeof(struct big), 2);
	struct big b;
	bool good = true;

	go_spawn(send_big, c);
	for (int i = 0; i < 10; i++) {
		go_recv(c, &b);
		for (size_t j = 0; j < sizeof b.bytes; j++)
			good = good && b.bytes[j] == 'a' + i;
	}
	ok(good, "300-byte elements arrive whole and in order");
	go_chan_free(c);
}

/* --- producers and consumers with a checksum ---------------------------- */

struct pc {
	go_chan *c;
	go_chan *sums;
	go_waitgroup wg;
	int per;
};

static void producer(void *arg)
{
	struct pc *s = arg;
	for (long i = 1; i <= s->per; i++)
		go_send(s->c, &i);
	go_waitgroup_done(&s->wg);
}

static void consumer(void *arg)
{
	struct pc *s = arg;
	long v, sum = 0;
	while (go_recv2(s->c, &v))
		sum += v;
	go_send(s->sums, &sum);
}

static void closer(void *arg)
{
	struct pc *s = arg;
	go_waitgroup_wait(&s->wg);
	go_close(s->c);
}

static void test_producers_consumers(size_t cap)
{
	struct pc s = { go_chan_make(sizeof(long), cap),
		go_chan_make(sizeof(long), 0), GO_WAITGROUP_INIT, 20000 / scale };
	int np = 8, nc = 5;
	long total = 0, v;

	go_waitgroup_add(&s.wg, np);
	for (int i = 0; i < nc; i++)
		go_spawn(consumer, &s);
	for (int i = 0; i < np; i++)
		go_spawn(producer, &s);
	go_spawn(closer, &s);
	for (int i = 0; i < nc; i++) {
		go_recv(s.sums, &v);
		total += v;
	}
	is_int(total, (long)np * s.per * (s.per + 1) / 2,
		"8 producers, 5 consumers, cap %zu: checksum", cap);
	go_chan_free(s.c);
	go_chan_free(s.sums);
}

/* --- 100,000 goroutines ------------------------------------------------- */

struct many {
	go_chan *gate;
	go_waitgroup started, done;
	long sum;
	go_mutex mu;
};

static void many_fn(void *arg)
{
	struct many *m = arg;
	int v;
	go_waitgroup_done(&m->started);
	go_recv(m->gate, &v);
	go_mutex_lock(&m->mu);
	m->sum += v;
	go_mutex_unlock(&m->mu);
	go_waitgroup_done(&m->done);
}

static void test_100k(void)
{
	struct many m = { go_chan_make(sizeof(int), 0), GO_WAITGROUP_INIT,
		GO_WAITGROUP_INIT, 0, GO_MUTEX_INIT };
	int n = scale > 1 ? 500 : 100000;   /* a TSan fiber per G is slow */

	go_waitgroup_add(&m.started, n);
	go_waitgroup_add(&m.done, n);
	for (int i = 0; i < n; i++)
		go_spawn(many_fn, &m);
	go_waitgroup_wait(&m.started);
	ok(go_num_goroutine() >= n, "%d goroutines parked at once (%d)",
		n, go_num_goroutine());
	for (int i = 1; i <= n; i++)
		go_send(m.gate, &i);
	go_waitgroup_wait(&m.done);
	is_int(m.sum, (long)n * (n + 1) / 2, "each of them got one value");
	go_chan_free(m.gate);
}

/* --- select ------------------------------------------------------------- */

static void test_select_fairness(void)
{
	go_chan *a = go_chan_make(sizeof(int), 1), *b = go_chan_make(sizeof(int), 1);
	int x = 1, v, hits[2] = { 0, 0 }, rounds = 100000 / scale;
	go_case cs[2] = { GO_RECV(a, &v), GO_RECV(b, &v) };

	for (int i = 0; i < rounds; i++) {
		go_send(a, &x);
		go_send(b, &x);
		int r = go_select(cs, 2);
		hits[r]++;
		go_recv(r == 0 ? b : a, &v);    /* drain the other */
	}
	/* binomial(rounds, 1/2): sd is sqrt(rounds) / 2; allow 6 sd */
	ok(abs(hits[0] - rounds / 2) < 3 * isqrt(rounds),
		"select picks uniformly among ready cases (%d / %d)", hits[0], hits[1]);

	go_chan *c3[4];
	int h4[4] = { 0 };
	go_case c4[4];
	for (int i = 0; i < 4; i++) {
		c3[i] = go_chan_make(sizeof(int), 1);
		c4[i] = GO_RECV(c3[i], &v);
	}
	int n4 = 40000 / scale;
	for (int i = 0; i < n4; i++) {
		for (int j = 0; j < 4; j++)
			go_try_send(c3[j], &x);
		h4[go_select(c4, 4)]++;
	}
	bool fair = true;
	for (int j = 0; j < 4; j++)
		fair = fair && abs(h4[j] - n4 / 4) < 3 * isqrt(n4);    /* ~7 sd */
	ok(fair, "4-way select is fair (%d %d %d %d)", h4[0], h4[1], h4[2], h4[3]);
	for (int i = 0; i < 4; i++)
		go_chan_free(c3[i]);
	go_chan_free(a);
	go_chan_free(b);
}

struct selpeer {
	go_chan *in, *out;
	int n;
};

static void sel_sender(void *arg)
{
	struct selpeer *p = arg;
	for (int i = 0; i < p->n; i++)
		go_send(p->in, &i);
}

static void sel_receiver(void *arg)
{
	struct selpeer *p = arg;
	int v;
	long sum = 0;
	for (int i = 0; i < p->n; i++) {
		go_recv(p->out, &v);
		sum += v;
	}
	go_send(p->in, &sum);   /* in is unused by now: report the sum on it */
}

static void test_select_send_recv(void)
{
	/* One select loop both receiving from a sender and sending to a
	 * receiver over unbuffered channels. */
	/* static: the sender still reads s.n after its last send */
	static struct selpeer s, r;
	s = (struct selpeer){ go_chan_make(sizeof(int), 0), NULL, 1000 };
	r = (struct selpeer){ go_chan_make(sizeof(long), 0),
		go_chan_make(sizeof(int), 0), 1000 };
	int got = 0, sent = 0, in, out = 0;
	go_spawn(sel_sender, &s);
	go_spawn(sel_receiver, &r);
	while (got < 1000 || sent < 1000) {
		go_case cs[2] = { GO_RECV(got < 1000 ? s.in : NULL, &in),
			GO_SEND(sent < 1000 ? r.out : NULL, &out) };
		int i = go_select(cs, 2);
		if (i == 0)
			got++;
		else
			out = ++sent;
	}
	long sum;
	go_recv(r.in, &sum);
	is_int(sum, 1000L * 999 / 2, "select mixes send and receive cases");
	go_chan_free(s.in);
	go_chan_free(r.in);
	go_chan_free(r.out);
}

static void test_select_default(void)
{
	go_chan *c = go_chan_make(sizeof(int), 0);
	int v;
	go_case cs[2] = { GO_RECV(c, &v), GO_SEND(c, &v) };

	is_int(go_select_default(cs, 2), -1, "select with default: nothing ready");
	is_int(go_select_default(NULL, 0), -1, "empty select with default");
	go_case nilc[1] = { GO_RECV(NULL, &v) };
	is_int(go_select_default(nilc, 1), -1, "a nil channel case is never ready");
	go_close(c);
	go_case rc[1] = { GO_RECV(c, &v) };
	ok(go_select(rc, 1) == 0 && !rc[0].ok, "select receives the close (ok false)");
	go_chan_free(c);
}

/* --- time --------------------------------------------------------------- */

static void once_flag(void *arg)
{
	__atomic_add_fetch((int *)arg, 1, __ATOMIC_RELEASE);
}

static void test_time(void)
{
	int64_t t0 = go_now();
	go_sleep(20 * GO_MILLISECOND);
	int64_t dt = go_now() - t0;
	ok(dt >= 20 * GO_MILLISECOND && dt < 3 * GO_SECOND,
		"sleep 20ms took %lld us", (long long)(dt / 1000));

	int64_t when;
	t0 = go_now();          /* before the timer starts: a thread descheduled
				   between the two would not make it look early */
	go_chan *after = go_after(10 * GO_MILLISECOND);
	go_recv(after, &when);
	ok(when - t0 >= 9 * GO_MILLISECOND, "go_after fires after its duration");
	go_chan_free(after);
	go_chan_free(go_after(GO_SECOND));  /* freed before it fires */

	go_timer *tk = go_ticker_new(5 * GO_MILLISECOND);
	int ticks = 0;
	for (int i = 0; i < 5; i++) {
		go_recv(go_timer_chan(tk), &when);
		ticks++;
	}
	ok(ticks == 5, "ticker ticked 5 times");
	ok(go_timer_stop(tk), "stopping an active ticker");
	go_timer_free(tk);

	go_timer *t = go_timer_new(GO_SECOND);
	ok(go_timer_stop(t), "stop prevents an armed timer from firing");
	ok(!go_timer_stop(t), "a stopped timer stops only once");
	ok(!go_timer_reset(t, 5 * GO_MILLISECOND), "reset of a stopped timer");
	int64_t v;
	go_recv(go_timer_chan(t), &v);
	ok(v > 0, "the reset timer fires");
	go_timer_free(t);

	int fired = 0;
	go_timer *f = go_timer_func(GO_MILLISECOND, once_flag, &fired);
	for (int i = 0; i < 1000 && !__atomic_load_n(&fired, __ATOMIC_ACQUIRE); i++)
		go_sleep(GO_MILLISECOND);
	ok(fired == 1, "go_timer_func runs its function in a goroutine");
	go_timer_free(f);

	go_timer *tr = go_ticker_new(GO_SECOND);
	ok(go_timer_reset(tr, 2 * GO_MILLISECOND), "reset of an active ticker");
	t0 = go_now();
	go_recv(go_timer_chan(tr), &when);
	go_recv(go_timer_chan(tr), &when);
	ok(go_now() - t0 < 900 * GO_MILLISECOND, "the reset ticker ticks at its new period");
	go_timer_free(tr);

	/* deadline forms */
	go_chan *c = go_chan_make(sizeof(int), 0);
	int x = 0;
	t0 = go_now();
	is_int(go_recv_until(c, &x, NULL, go_now() + 10 * GO_MILLISECOND),
		GO_ETIMEDOUT, "recv_until times out");
	ok(go_now() - t0 >= 10 * GO_MILLISECOND, "after the deadline");
	is_int(go_send_until(c, &x, go_now() - 1), GO_ETIMEDOUT,
		"send_until with a past deadline");
	go_case none[1] = { GO_RECV(NULL, &x) };
	is_int(go_select_until(none, 1, go_now() + GO_MILLISECOND), GO_ETIMEDOUT,
		"select_until on nil channels times out");
	go_chan_free(c);
}

static void sleeper(void *arg)
{
	go_waitgroup *wg = arg;
	go_sleep(20 * GO_MILLISECOND);
	go_waitgroup_done(wg);
}

static void test_many_sleepers(void)
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	int64_t t0 = go_now();
	int n = scale > 1 ? 50 : 1000;
	go_waitgroup_add(&wg, n);
	for (int i = 0; i < n; i++)
		go_spawn(sleeper, &wg);
	go_waitgroup_wait(&wg);
	/* one after another they would take n * 20 ms: 20 s */
	ok(go_now() - t0 < 5 * GO_SECOND, "%d goroutines sleep 20ms concurrently", n);
}

/* --- sync --------------------------------------------------------------- */

struct shared {
	go_mutex mu;
	go_rwmutex rw;
	go_waitgroup wg;
	long counter;
	long readers_seen_torn;
	long a, b;
};

static void mutex_worker(void *arg)
{
	struct shared *s = arg;
	for (int i = 0; i < 20000 / scale; i++) {
		go_mutex_lock(&s->mu);
		s->counter++;
		if (i % 1000 == 0)
			go_yield();     /* hold it across a yield now and then */
		go_mutex_unlock(&s->mu);
	}
	go_waitgroup_done(&s->wg);
}

static void rw_writer(void *arg)
{
	struct shared *s = arg;
	for (int i = 0; i < 2000; i++) {
		go_rwmutex_lock(&s->rw);
		s->a++;
		go_yield();
		s->b++;
		go_rwmutex_unlock(&s->rw);
	}
	go_waitgroup_done(&s->wg);
}

static void rw_reader(void *arg)
{
	struct shared *s = arg;
	for (int i = 0; i < 5000; i++) {
		go_rwmutex_rlock(&s->rw);
		if (s->a != s->b)
			__atomic_add_fetch(&s->readers_seen_torn, 1, __ATOMIC_RELAXED);
		go_rwmutex_runlock(&s->rw);
	}
	go_waitgroup_done(&s->wg);
}

static void once_fn(void *arg)
{
	(*(int *)arg)++;
}

struct condstate {
	go_mutex mu;
	go_cond cond;
	int ready, woke;
	go_waitgroup wg;
};

static void cond_waiter(void *arg)
{
	struct condstate *c = arg;
	go_mutex_lock(&c->mu);
	while (!c->ready)
		go_cond_wait(&c->cond);
	c->woke++;
	go_mutex_unlock(&c->mu);
	go_waitgroup_done(&c->wg);
}

static void test_sync(void)
{
	static struct shared s;
	go_waitgroup_add(&s.wg, 8);
	for (int i = 0; i < 8; i++)
		go_spawn(mutex_worker, &s);
	go_waitgroup_wait(&s.wg);
	is_int(s.counter, 8 * (20000 / scale), "mutex: 8 goroutines, no lost update");
	ok(go_mutex_trylock(&s.mu), "trylock of a free mutex");
	ok(!go_mutex_trylock(&s.mu), "trylock of a held mutex");
	go_mutex_unlock(&s.mu);

	go_waitgroup_add(&s.wg, 6);
	for (int i = 0; i < 2; i++)
		go_spawn(rw_writer, &s);
	for (int i = 0; i < 4; i++)
		go_spawn(rw_reader, &s);
	go_waitgroup_wait(&s.wg);
	ok(s.a == 4000 && s.b == 4000 && s.readers_seen_torn == 0,
		"rwmutex: readers never see a half-done write");

	go_once once = GO_ONCE_INIT;
	int calls = 0;
	for (int i = 0; i < 3; i++)
		go_once_do(&once, once_fn, &calls);
	is_int(calls, 1, "once runs its function once");

	static struct condstate c;
	c.cond = (go_cond)GO_COND_INIT(&c.mu);
	go_waitgroup_add(&c.wg, 10);
	for (int i = 0; i < 10; i++)
		go_spawn(cond_waiter, &c);
	go_sleep(5 * GO_MILLISECOND);
	go_mutex_lock(&c.mu);
	c.ready = 1;
	go_cond_signal(&c.cond);
	go_cond_broadcast(&c.cond);
	go_mutex_unlock(&c.mu);
	go_waitgroup_wait(&c.wg);
	is_int(c.woke, 10, "cond broadcast wakes every waiter");
}

/* --- scheduler ---------------------------------------------------------- */

static void spin_flag(void *arg)
{
	int *flag = arg;
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		go_yield();
}

static void test_sched(void)
{
	static int flag;    /* spin_flag may read it after we return */

	go_spawn(spin_flag, &flag);
	for (int i = 0; i < 100; i++)
		go_yield();
	__atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
	ok(go_id() == 1, "go_main runs as goroutine 1");
	int old = go_gomaxprocs(0);
	ok(old >= 1, "go_gomaxprocs(0) queries (%d)", old);
	go_gomaxprocs(3);
	is_int(go_gomaxprocs(0), 3, "go_gomaxprocs sets");
	test_producers_consumers(4);    /* still works with 3 Ps */
	go_gomaxprocs(1);
	test_producers_consumers(0);    /* and with 1 */
	go_gomaxprocs(old);
	is_int(go_gomaxprocs(0), old, "and restores");
}

int go_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (getenv("UNIT_SMALL"))
		scale = 20;
	test_unbuffered();
	test_buffered();
	test_big_elements();
	test_producers_consumers(0);
	test_producers_consumers(1);
	test_producers_consumers(64);
	test_select_fairness();
	test_select_send_recv();
	test_select_default();
	test_time();
	test_many_sleepers();
	test_sync();
	test_sched();
	test_100k();
	printf("1..%d\n", tap_n);
	return done();
}

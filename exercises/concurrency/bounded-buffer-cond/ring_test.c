/* ring_test.c: instructor tests for bounded-buffer-cond, one process each.
 *
 * The cases named "a_woken_..." and "two_getters_..." build, with one
 * thread (GOMAXPROCS=1, go_cond waking waiters in the order they waited),
 * the exact interleaving that breaks an `if` instead of a `while`, or one
 * condition variable shared by putters and getters; they pass with a
 * correct ring under any schedule. The stress case runs on two threads. */
#include <chanlab_test.h>

#include "ring.h"

struct getter {
	struct ring *r;
	int n;                  /* how many it got before false */
	int vals[8];
	go_chan *done;
};

static void get_all(void *arg)
{
	struct getter *g = arg;
	int v;

	while (ring_get(g->r, &v)) {
		if (g->n < 8)
			g->vals[g->n] = v;
		g->n++;
	}
	go_send(g->done, &g->n);
}

static void get_one(void *arg)
{
	struct getter *g = arg;
	int v;

	if (ring_get(g->r, &v))
		g->vals[g->n++] = v;
	go_send(g->done, &g->n);
}

CL_TEST(items_come_out_in_the_order_they_went_in) {
	struct ring *r = ring_new(4);
	int v, bad = -1;

	CL_ASSERT(r != NULL);
	for (int i = 0; i < 4; i++)
		ring_put(r, i);
	for (int i = 0; i < 4; i++)
		if (!ring_get(r, &v) || v != i)
			bad = bad < 0 ? i : bad;
	for (int i = 0; i < 1000; i++) {
		ring_put(r, i);
		if (!ring_get(r, &v) || v != i)
			bad = bad < 0 ? i : bad;
	}
	CL_EXPECT_MSG(bad < 0, "item %d did not come out in order", bad);
	ring_free(r);
}

CL_TEST(a_closed_ring_still_hands_out_what_it_holds) {
	struct ring *r = ring_new(16);
	int v, n = 0;

	CL_ASSERT(r != NULL);
	for (int i = 0; i < 10; i++)
		ring_put(r, i);
	ring_close(r);
	while (n < 20 && ring_get(r, &v))
		n++;
	CL_EXPECT_MSG(n == 10, "got %d items after the close, expected the 10 put before it", n);
	CL_EXPECT(!ring_get(r, &v));
	ring_free(r);
}

CL_TEST(close_wakes_every_waiting_getter) {
	struct ring *r = ring_new(2);
	go_chan *done = go_chan_make(sizeof(int), 4);
	struct getter g[4];

	CL_ASSERT(r != NULL);
	for (int i = 0; i < 4; i++) {
		g[i] = (struct getter){ .r = r, .done = done };
		go_spawn(get_all, &g[i]);
	}
	go_sleep(20 * GO_MILLISECOND);  /* all four wait in ring_get */
	ring_close(r);
	for (int i = 0; i < 4; i++)
		go_recv(done, NULL);    /* a getter that never wakes: deadlock */
	for (int i = 0; i < 4; i++)
		CL_EXPECT_MSG(g[i].n == 0, "getter %d got %d items from an empty ring", i, g[i].n);
	go_chan_free(done);
	ring_free(r);
}

/* A getter waits on an empty ring. We put 1 (waking it) and take 1
 * ourselves before it runs; when it finally runs, the ring is empty
 * again: it must wait again, and then get the 2 we put later. */
CL_TEST(a_woken_getter_checks_again_before_it_takes) {
	struct ring *r = ring_new(2);
	go_chan *done = go_chan_make(sizeof(int), 1);
	struct getter g = { .r = r, .done = done };
	int v = -1;

	CL_ASSERT(r != NULL);
	go_spawn(get_one, &g);
	go_sleep(10 * GO_MILLISECOND);  /* it waits in ring_get */
	ring_put(r, 1);
	CL_EXPECT(ring_get(r, &v) && v == 1);
	go_sleep(10 * GO_MILLISECOND);  /* it wakes to an empty ring */
	ring_put(r, 2);
	go_recv(done, NULL);
	CL_EXPECT_MSG(g.n == 1 && g.vals[0] == 2,
		      "the woken getter got %d (expected 2): it took from an empty ring without checking again",
		      g.n ? g.vals[0] : -1);
	go_chan_free(done);
	ring_free(r);
}

struct putter {
	struct ring *r;
	int v;
	go_chan *done;
};

static void put_one(void *arg)
{
	struct putter *p = arg;

	ring_put(p->r, p->v);
	go_send(p->done, &p->v);
}

/* A putter waits on a full ring (cap 1). We take the item (waking it) and
 * put one of ours before it runs; when it runs the ring is full again: it
 * must wait until we take ours. */
CL_TEST(a_woken_putter_checks_again_before_it_puts) {
	struct ring *r = ring_new(1);
	go_chan *done = go_chan_make(sizeof(int), 1);
	struct putter p = { r, 30, done };
	int a = -1, b = -1;

	CL_ASSERT(r != NULL);
	ring_put(r, 10);
	go_spawn(put_one, &p);
	go_sleep(10 * GO_MILLISECOND);  /* it waits in ring_put */
	CL_EXPECT(ring_get(r, &a) && a == 10);
	ring_put(r, 20);
	go_sleep(10 * GO_MILLISECOND);  /* it wakes to a full ring */
	CL_EXPECT(ring_get(r, &a));
	CL_EXPECT(ring_get(r, &b));
	go_recv(done, NULL);
	CL_EXPECT_MSG(a == 20 && b == 30,
		      "got %d then %d (expected 20 then 30): the woken putter wrote into a full ring", a, b);
	go_chan_free(done);
	ring_free(r);
}

/* Two getters wait; one putter puts 2 items into a ring of 1. With one
 * condition for both kinds of waiter, a getter's signal can wake the other
 * getter instead of the waiting putter, and then everyone waits. */
CL_TEST(two_getters_and_a_putter_share_a_ring_of_one) {
	struct ring *r = ring_new(1);
	go_chan *done = go_chan_make(sizeof(int), 2);
	struct getter g[2];
	int total = 0;

	CL_ASSERT(r != NULL);
	for (int i = 0; i < 2; i++) {
		g[i] = (struct getter){ .r = r, .done = done };
		go_spawn(get_all, &g[i]);
	}
	go_sleep(10 * GO_MILLISECOND);  /* both wait in ring_get */
	for (int i = 0; i < 6; i++)
		ring_put(r, i);
	ring_close(r);
	go_recv(done, NULL);
	go_recv(done, NULL);
	total = g[0].n + g[1].n;
	CL_EXPECT_MSG(total == 6, "the getters got %d items, expected 6", total);
	go_chan_free(done);
	ring_free(r);
}

#define PRODUCERS 3
#define CONSUMERS 3
#define EACH 2000

static atomic_uchar seen[PRODUCERS * EACH];
static atomic_int dups, bogus;

struct stress {
	struct ring *r;
	int first;
	go_waitgroup *wg;
};

static void stress_put(void *arg)
{
	struct stress *s = arg;

	for (int i = 0; i < EACH; i++)
		ring_put(s->r, s->first + i);
	go_waitgroup_done(s->wg);
}

static void stress_get(void *arg)
{
	struct stress *s = arg;
	int v;

	while (ring_get(s->r, &v)) {
		if (v < 0 || v >= PRODUCERS * EACH)
			atomic_fetch_add(&bogus, 1);
		else if (atomic_fetch_add(&seen[v], 1) != 0)
			atomic_fetch_add(&dups, 1);
	}
	go_waitgroup_done(s->wg);
}

CL_TEST(three_putters_three_getters_every_item_exactly_once) {
	struct ring *r = ring_new(1);
	go_waitgroup puts = GO_WAITGROUP_INIT, gets = GO_WAITGROUP_INIT;
	struct stress p[PRODUCERS], c[CONSUMERS];
	int missing = 0;

	CL_ASSERT(r != NULL);
	go_waitgroup_add(&puts, PRODUCERS);
	go_waitgroup_add(&gets, CONSUMERS);
	for (int i = 0; i < CONSUMERS; i++) {
		c[i] = (struct stress){ r, 0, &gets };
		go_spawn(stress_get, &c[i]);
	}
	for (int i = 0; i < PRODUCERS; i++) {
		p[i] = (struct stress){ r, i * EACH, &puts };
		go_spawn(stress_put, &p[i]);
	}
	go_waitgroup_wait(&puts);
	ring_close(r);
	go_waitgroup_wait(&gets);
	for (int i = 0; i < PRODUCERS * EACH; i++)
		missing += atomic_load(&seen[i]) == 0;
	CL_EXPECT_MSG(missing == 0 && atomic_load(&dups) == 0 && atomic_load(&bogus) == 0,
		      "%d items were lost, %d came out twice and %d were never put",
		      missing, atomic_load(&dups), atomic_load(&bogus));
	ring_free(r);
}

CL_TEST(waiting_getters_use_no_cpu) {
	struct ring *r = ring_new(2);
	go_chan *done = go_chan_make(sizeof(int), 2);
	struct getter g[2];
	int64_t cpu0, used;

	CL_ASSERT(r != NULL);
	for (int i = 0; i < 2; i++) {
		g[i] = (struct getter){ .r = r, .done = done };
		go_spawn(get_all, &g[i]);
	}
	cpu0 = cl_cpu_wanted();
	go_sleep(300 * GO_MILLISECOND);
	used = cl_cpu_wanted() - cpu0;   /* CPU wanted, not got: a spinner wants its CPU however busy the machine */
	CL_EXPECT_MSG(used < 150 * GO_MILLISECOND,
		      "two getters waiting on an empty ring wanted %lld ms of CPU in 300 ms: wait, don't spin",
		      (long long)(used / GO_MILLISECOND));
	ring_close(r);
	go_recv(done, NULL);
	go_recv(done, NULL);
	go_chan_free(done);
	ring_free(r);
}

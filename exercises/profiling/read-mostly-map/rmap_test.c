/* rmap_test.c: instructor tests for read-mostly-map, one process per
 * case: what one goroutine sees, then what many see at once (these also
 * run under many deterministic schedules), then the benchmark. */
#include <chanlab_test.h>
#include <stdlib.h>

#include "ht_hold.h"
#include "load.h"

CL_TEST(get_put_and_add_on_one_goroutine) {
	struct rmap *m = rmap_new();
	uint64_t v = 99;

	CL_ASSERT(m);
	CL_EXPECT(!rmap_get(m, 7, &v));
	CL_EXPECT(!rmap_get(m, 7, NULL));
	rmap_put(m, 7, 70);
	CL_EXPECT(rmap_get(m, 7, &v));
	CL_EXPECT_INT(v, 70);
	rmap_put(m, 7, 71);
	CL_EXPECT(rmap_get(m, 7, &v) && v == 71);
	CL_EXPECT_INT(rmap_add(m, 7, 9), 80);
	CL_EXPECT_INT(rmap_add(m, 8, 5), 5);
	CL_EXPECT(rmap_get(m, 8, &v) && v == 5);
	CL_EXPECT(rmap_get(m, 0, NULL) == false);
	CL_EXPECT_INT(rmap_len(m), 2);
	rmap_free(m);
}

CL_TEST(every_key_of_a_hundred_thousand_is_kept) {
	struct rmap *m = rmap_new();
	uint64_t n = 100000, bad = n, v = 0;

	CL_ASSERT(m);
	for (uint64_t k = 0; k < n; k++)
		rmap_put(m, k * 977, k + 1);
	for (uint64_t k = n; k-- > 0;)
		if (!rmap_get(m, k * 977, &v) || v != k + 1)
			bad = k;
	CL_EXPECT_MSG(bad == n, "key %llu: put %llu, got %llu", (unsigned long long)(bad * 977),
		      (unsigned long long)(bad + 1), (unsigned long long)v);
	CL_EXPECT_INT(rmap_len(m), n);
	rmap_free(m);
}

struct adder {
	struct rmap *m;
	int adds;
	go_waitgroup *wg;
};

static void add_many(void *arg)
{
	struct adder *a = arg;

	for (int i = 0; i < a->adds; i++)
		rmap_add(a->m, (uint64_t)i % 8, 1);
	go_waitgroup_done(a->wg);
}

/* Several goroutines add to the same 8 keys: no add may be lost. */
CL_TEST(adds_from_four_goroutines_are_never_lost) {
	struct rmap *m = rmap_new();
	go_waitgroup wg = GO_WAITGROUP_INIT;
	int adds = 200, total = 0;
	struct adder a[4];
	uint64_t v;

	CL_ASSERT(m);
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++) {
		a[i] = (struct adder){ m, adds, &wg };
		go_spawn(add_many, &a[i]);
	}
	go_waitgroup_wait(&wg);
	for (uint64_t k = 0; k < 8; k++) {
		v = 0;
		CL_EXPECT(rmap_get(m, k, &v));
		CL_EXPECT_MSG(v == 4 * (uint64_t)adds / 8, "key %llu: 4 goroutines added 1 to it %d times, its value is %llu",
			      (unsigned long long)k, 4 * adds / 8, (unsigned long long)v);
		total += (int)v;
	}
	CL_EXPECT_INT(total, 4 * adds);
	rmap_free(m);
}

struct inserter {
	struct rmap *m;
	uint64_t first;
	uint64_t next;          /* the key being put now, for the watcher */
	go_waitgroup *wg;
};

static void insert_many(void *arg)
{
	struct inserter *in = arg;

	for (uint64_t k = in->first; k < in->first + 500; k++) {
		__atomic_store_n(&in->next, k * 31, __ATOMIC_RELAXED);
		rmap_put(in->m, k * 31, k);
	}
	go_waitgroup_done(in->wg);
}

/* Gets the keys the inserters are putting right now: one found must have
 * its value (key / 31), never a key without one. Under the random
 * schedules it runs now and then in the middle of a put (ht.c's
 * go_sched_point), where a get without the lock finds a key but no
 * value. */
struct watcher {
	struct rmap *m;
	struct inserter *in;
	int *done;
	go_waitgroup *wg;
	uint64_t bad_key, bad_val;
	bool bad;
};

static void watch(void *arg)
{
	struct watcher *w = arg;

	/* bounded: a schedule that always prefers the watcher must end too */
	for (int n = 0; n < 4000 && !__atomic_load_n(w->done, __ATOMIC_ACQUIRE); n++) {
		for (int i = 0; i < 4; i++) {
			uint64_t k = __atomic_load_n(&w->in[i].next, __ATOMIC_RELAXED), v = 0;

			if (k && rmap_get(w->m, k, &v) && v != k / 31 && !w->bad) {
				w->bad = true;
				w->bad_key = k;
				w->bad_val = v;
			}
		}
		go_yield();
	}
	go_waitgroup_done(w->wg);
}

/* Four goroutines put 500 new keys each, so the tables grow as they go,
 * while a fifth gets the keys being put. */
CL_TEST(new_keys_from_four_goroutines_are_all_kept) {
	struct rmap *m = rmap_new();
	go_waitgroup wg = GO_WAITGROUP_INIT, watched = GO_WAITGROUP_INIT;
	struct inserter in[4];
	struct watcher w;
	uint64_t missing = 0, v;
	int done = 0;

	CL_ASSERT(m);
	w = (struct watcher){ .m = m, .in = in, .done = &done, .wg = &watched };
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++) {
		in[i] = (struct inserter){ .m = m, .first = (uint64_t)i * 500, .wg = &wg };
		go_spawn(insert_many, &in[i]);
	}
	go_waitgroup_add(&watched, 1);
	go_spawn(watch, &w);
	go_waitgroup_wait(&wg);
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	go_waitgroup_wait(&watched);
	CL_EXPECT_MSG(!w.bad, "key %llu was put with value %llu; a get found it with value %llu, "
		      "read while its put was still writing it", (unsigned long long)w.bad_key,
		      (unsigned long long)(w.bad_key / 31), (unsigned long long)w.bad_val);
	for (uint64_t k = 0; k < 2000; k++)
		if (!rmap_get(m, k * 31, &v) || v != k)
			missing++;
	CL_EXPECT_MSG(missing == 0, "4 goroutines put 2000 different keys; %llu of them are missing or wrong",
		      (unsigned long long)missing);
	CL_EXPECT_INT(rmap_len(m), 2000);
	rmap_free(m);
}

/* Readers and writers at once. Writer w alone writes the keys k with
 * k % 2 == w, each value (round << 8 | k) for rounds 1, 2, ...: a reader
 * must only ever see a value written to that key, and never an older
 * round after a newer one. */
#define RW_KEYS 32
#define RW_ROUNDS 12

struct rw {
	struct rmap *m;
	int id;
	uint64_t bad_key, bad_val, bad_before;  /* the first wrong read */
	bool bad;
	go_waitgroup *wg;
};

/* ThreadSanitizer sees a race only between goroutines that run at once on
 * two threads (goroutines taking turns on one thread look ordered to it):
 * in the TSan pass (four Ps) the readers and writers wait for each other
 * before they start. Not under deterministic schedules, where one thread
 * runs them all; and not for more than 5 s, on a machine too busy to run
 * them together. */
static int met;

static void meet(void)
{
	int64_t give_up;

	if (strcmp(cl_flavour(), "tsan") != 0 || getenv("CHANLAB_SCHED"))
		return;
	give_up = go_now() + 5 * GO_SECOND;
	__atomic_add_fetch(&met, 1, __ATOMIC_RELAXED);
	/* the clock only now and then: a goroutine is preempted (so the others
	 * get a turn on two Ps) in this loop, not inside the runtime's go_now */
	for (long i = 1; __atomic_load_n(&met, __ATOMIC_RELAXED) < 4; i++)
		if (i % (1 << 16) == 0 && go_now() > give_up)
			break;
}

static void writer(void *arg)
{
	struct rw *w = arg;

	meet();

	for (uint64_t r = 1; r <= RW_ROUNDS; r++)
		for (uint64_t k = (uint64_t)w->id; k < RW_KEYS; k += 2)
			rmap_put(w->m, k, r << 8 | k);
	go_waitgroup_done(w->wg);
}

static void reader(void *arg)
{
	struct rw *rd = arg;
	uint64_t seen[RW_KEYS] = { 0 };

	meet();

	for (int i = 0; i < RW_KEYS * RW_ROUNDS; i++) {
		uint64_t k = ((uint64_t)i * 7 + (uint64_t)rd->id) % RW_KEYS, v = 0;
		bool ok = rmap_get(rd->m, k, &v);

		if (!rd->bad && (!ok || (v & 0xff) != k || v < seen[k])) {
			rd->bad = true;
			rd->bad_key = k;
			rd->bad_val = ok ? v : ~0ull;
			rd->bad_before = seen[k];
		}
		if (ok && v > seen[k])
			seen[k] = v;
	}
	go_waitgroup_done(rd->wg);
}

CL_TEST(readers_see_each_key_only_move_forward) {
	struct rmap *m = rmap_new();
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct rw w[4];
	uint64_t v;

	CL_ASSERT(m);
	for (uint64_t k = 0; k < RW_KEYS; k++)
		rmap_put(m, k, k);
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct rw){ .m = m, .id = i % 2, .wg = &wg };
		go_spawn(i < 2 ? writer : reader, &w[i]);
	}
	go_waitgroup_wait(&wg);
	for (int i = 2; i < 4; i++) {
		struct rw *rd = &w[i];

		if (rd->bad && rd->bad_val == ~0ull)
			CL_EXPECT_MSG(!rd->bad, "a reader found no value for key %llu, which was put before it started",
				      (unsigned long long)rd->bad_key);
		else
			CL_EXPECT_MSG(!rd->bad, "key %llu: a reader read round %llu (value %#llx) after round %llu",
				      (unsigned long long)rd->bad_key, (unsigned long long)(rd->bad_val >> 8),
				      (unsigned long long)rd->bad_val, (unsigned long long)(rd->bad_before >> 8));
	}
	for (uint64_t k = 0; k < RW_KEYS; k++) {
		v = 0;
		CL_EXPECT_MSG(rmap_get(m, k, &v) && v == ((uint64_t)RW_ROUNDS << 8 | k),
			      "key %llu: the last value put was %#llx, the map holds %#llx", (unsigned long long)k,
			      (unsigned long long)((uint64_t)RW_ROUNDS << 8 | k), (unsigned long long)v);
	}
	CL_EXPECT_INT(rmap_len(m), RW_KEYS);
	rmap_free(m);
}

/* A put of one key is held half-way through (ht_hold_put): gets of 64
 * other keys must not wait for it, but for the few that share its lock. */
#define HELD_KEY 1000003
#define GETS 64
#define GETS_NEEDED 40

struct putter {
	struct rmap *m;
	go_waitgroup *wg;
};

static void put_held(void *arg)
{
	struct putter *p = arg;

	rmap_put(p->m, HELD_KEY, 2);
	go_waitgroup_done(p->wg);
}

struct getter {
	struct rmap *m;
	uint64_t key;
	go_chan *done;
};

static void get_one(void *arg)
{
	struct getter *g = arg;
	uint64_t v = 0;
	int ok = rmap_get(g->m, g->key, &v) && v == g->key + 1;

	go_send(g->done, &ok);
}

CL_TEST(a_get_does_not_wait_for_a_put_of_another_key) {
	struct rmap *m = rmap_new();
	go_chan *entered = go_chan_make(sizeof(int), 1), *release = go_chan_make(sizeof(int), 1);
	go_chan *done = go_chan_make(sizeof(int), GETS);
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct putter p = { m, &wg };
	struct getter g[GETS];
	int64_t deadline;
	int one = 1, ok, finished = 0, right = 0;

	CL_ASSERT(m && entered && release && done);
	rmap_put(m, HELD_KEY, 1);
	for (int i = 0; i < GETS; i++)
		rmap_put(m, (uint64_t)i * 7919, (uint64_t)i * 7919 + 1);
	ht_hold_put(HELD_KEY, entered, release);
	go_waitgroup_add(&wg, 1);
	go_spawn(put_held, &p);
	go_recv(entered, &one);         /* the put is now stuck inside the table */
	for (int i = 0; i < GETS; i++) {
		g[i] = (struct getter){ m, (uint64_t)i * 7919, done };
		go_spawn(get_one, &g[i]);
	}
	deadline = go_now() + cl_scaled(300 * GO_MILLISECOND);
	while (finished < GETS_NEEDED && go_recv_until(done, &ok, NULL, deadline) == GO_OK) {
		finished++;
		right += ok;
	}
	CL_EXPECT_MSG(finished >= GETS_NEEDED,
		      "while one goroutine was putting key %d, only %d of %d gets of other keys finished "
		      "(at least %d should: only keys that share the put's lock have to wait)",
		      HELD_KEY, finished, GETS, GETS_NEEDED);
	go_send(release, &one);
	go_waitgroup_wait(&wg);
	for (; finished < GETS; finished++) {
		go_recv(done, &ok);
		right += ok;
	}
	CL_EXPECT_MSG(right == GETS, "%d of %d gets read a wrong value", GETS - right, GETS);
	go_chan_free(entered);
	go_chan_free(release);
	go_chan_free(done);
	rmap_free(m);
}

/* One op: one map operation of the read-mostly workload (95% gets), with
 * 4 goroutines on two threads sharing one map. */
CL_BENCH(read_mostly_4_workers) {
	static struct rmap *m;
	static uint64_t sink;

	cl_stop_timer(b);
	go_gomaxprocs(2);
	if (!m) {
		m = rmap_new();
		if (!m)
			abort();
		load_fill(m);
	}
	cl_start_timer(b);
	sink += load_run(m, 4, b->n, (uint64_t)b->n);
	(void)sink;
}

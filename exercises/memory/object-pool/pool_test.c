/* pool_test.c: instructor tests for object-pool, one process each.
 *
 * The objects are the harness's: new_fn counts what it makes and free_fn
 * what it frees, exact figures; each object records who holds it, so two
 * getters of one object see each other. The cases that need one P set
 * GOMAXPROCS themselves (before pool_new), so a goroutine that moves to
 * another P cannot blur a count; the others take the run's. */
#include <chanlab_test.h>

#include "pool.h"

struct obj {
	uint64_t owner;         /* the holder's id while held, 0 in the pool */
	char pad[56];
};

static go_atomic_int64 made, freed;

static void *obj_new(void)
{
	struct obj *o = calloc(1, sizeof(*o));

	if (!o)
		abort();
	go_atomic_int64_add(&made, 1);
	return o;
}

static void obj_free(void *x)
{
	go_atomic_int64_add(&freed, 1);
	free(x);
}

static bool in(void *const *set, int n, const void *x)
{
	for (int i = 0; i < n; i++)
		if (set[i] == x)
			return true;
	return false;
}

CL_TEST(a_put_object_is_got_again) {
	struct pool *pl;
	void *a, *b;

	go_gomaxprocs(1);
	pl = pool_new(obj_new, obj_free);
	a = pool_get(pl);
	CL_EXPECT_MSG(go_atomic_int64_load(&made) == 1, "the first get of an empty pool called new_fn %lld times, "
		      "expected once", (long long)go_atomic_int64_load(&made));
	pool_put(pl, a);
	b = pool_get(pl);
	CL_EXPECT_MSG(b == a, "put %p, then got %p: a get after a put must give the object back", a, b);
	CL_EXPECT_MSG(go_atomic_int64_load(&made) == 1, "get, put, get called new_fn %lld times, expected once",
		      (long long)go_atomic_int64_load(&made));
	pool_put(pl, b);
	pool_free(pl);
	CL_EXPECT_MSG(go_atomic_int64_load(&freed) == 1, "pool_free freed %lld objects; the pool held 1",
		      (long long)go_atomic_int64_load(&freed));
}

CL_TEST(new_is_called_only_when_the_pool_is_empty) {
	void *first[100], *again[100];
	struct pool *pl;
	int twice = 0, strangers = 0;

	go_gomaxprocs(1);
	pl = pool_new(obj_new, obj_free);
	for (int i = 0; i < 100; i++)
		first[i] = pool_get(pl);
	for (int i = 0; i < 100; i++)
		pool_put(pl, first[i]);
	for (int i = 0; i < 100; i++) {
		again[i] = pool_get(pl);
		twice += in(again, i, again[i]);
		strangers += !in(first, 100, again[i]);
	}
	CL_EXPECT_MSG(go_atomic_int64_load(&made) == 100, "100 gets, 100 puts and 100 gets called new_fn %lld times; "
		      "the second 100 must take the objects put", (long long)go_atomic_int64_load(&made));
	CL_EXPECT_MSG(twice == 0, "%d of the second 100 gets returned an object already got", twice);
	CL_EXPECT_MSG(strangers == 0, "%d of the second 100 gets returned an object never put", strangers);
	for (int i = 0; i < 100; i++)
		pool_put(pl, again[i]);
	pool_free(pl);
	CL_EXPECT_MSG(go_atomic_int64_load(&freed) == 100, "pool_free freed %lld objects; the pool held 100",
		      (long long)go_atomic_int64_load(&freed));
}

/* --- many getters -------------------------------------------------------- */

#define GETTERS 8
#define ROUNDS 3000

static struct pool *shared_pool;
static go_waitgroup getters_done;
static go_atomic_int64 seen_held, lost_hold;

/* Takes one to three objects at a time, marks them, lets the others run,
 * and checks that nobody else marked them meanwhile. */
static void getter(void *arg)
{
	uint64_t me = (uint64_t)(uintptr_t)arg;
	struct obj *held[3];

	for (int r = 0; r < ROUNDS; r++) {
		int n = r % 3 + 1;

		for (int i = 0; i < n; i++) {
			held[i] = pool_get(shared_pool);
			if (held[i]->owner != 0)
				go_atomic_int64_add(&seen_held, 1);
			held[i]->owner = me;
		}
		if (r % 4 == 0)
			go_yield();
		for (int i = 0; i < n; i++) {
			if (held[i]->owner != me)
				go_atomic_int64_add(&lost_hold, 1);
			held[i]->owner = 0;
		}
		for (int i = 0; i < n; i++)           /* in another order */
			pool_put(shared_pool, held[(i + r) % n]);
	}
	go_waitgroup_done(&getters_done);
}

CL_TEST(no_object_is_handed_to_two_getters) {
	long long m;

	shared_pool = pool_new(obj_new, obj_free);
	go_waitgroup_add(&getters_done, GETTERS);
	for (uintptr_t g = 1; g <= GETTERS; g++)
		go_spawn(getter, (void *)g);
	go_waitgroup_wait(&getters_done);
	m = go_atomic_int64_load(&made);
	CL_EXPECT_MSG(go_atomic_int64_load(&seen_held) == 0, "%lld gets returned an object another getter still held",
		      (long long)go_atomic_int64_load(&seen_held));
	CL_EXPECT_MSG(go_atomic_int64_load(&lost_hold) == 0, "%lld times a getter's object was marked by another "
		      "getter while it held it", (long long)go_atomic_int64_load(&lost_hold));
	CL_EXPECT_MSG(m <= 200, "%d getters holding at most 3 objects each made new_fn run %lld times in %d gets: "
		      "the objects put are not being reused", GETTERS, m, GETTERS * ROUNDS * 2);
	pool_free(shared_pool);
	CL_EXPECT_MSG(go_atomic_int64_load(&freed) == m, "pool_free freed %lld objects; the pool held %lld "
		      "(every object made, all put back)", (long long)go_atomic_int64_load(&freed), m);
	CL_LOG("%d getters, %d gets on %d Ps: new_fn made %lld objects", GETTERS, GETTERS * ROUNDS * 2,
	       go_gomaxprocs(0), m);
}

/* --- stealing ------------------------------------------------------------ */

static struct pool *steal_pool;
static void *put_by_owner[10];
static go_atomic_bool thief_done;
static int thief_p, thief_strangers;

static void thief(void *arg)
{
	void *got[10];

	(void)arg;
	thief_p = go_proc_pin();
	go_proc_unpin();
	for (int i = 0; i < 10; i++)
		got[i] = pool_get(steal_pool);
	for (int i = 0; i < 10; i++) {
		thief_strangers += !in(put_by_owner, 10, got[i]);
		pool_put(steal_pool, got[i]);
	}
	go_atomic_bool_store(&thief_done, true);
}

CL_TEST(a_goroutine_on_another_p_takes_what_one_p_put) {
	int64_t deadline = go_now() + cl_scaled(2000 * GO_MILLISECOND);
	int owner_p;

	if (go_gomaxprocs(0) < 2)
		go_gomaxprocs(2);
	steal_pool = pool_new(obj_new, obj_free);
	for (int i = 0; i < 10; i++)
		put_by_owner[i] = pool_get(steal_pool);
	for (int i = 0; i < 10; i++)
		pool_put(steal_pool, put_by_owner[i]);
	/* Keep this P busy, pinned, so the thief runs on another one (go_spawn
	 * never blocks: it may be called pinned). */
	owner_p = go_proc_pin();
	go_spawn(thief, NULL);
	while (!go_atomic_bool_load(&thief_done) && go_now() < deadline)
		;
	go_proc_unpin();
	CL_ASSERT_MSG(go_atomic_bool_load(&thief_done), "a goroutine that took 10 objects from the pool did not "
		      "finish in 2 s");
	CL_EXPECT_MSG(thief_p != owner_p, "the thief ran on P %d, the owner's (harness bug)", thief_p);
	CL_EXPECT_MSG(thief_strangers <= 1, "a goroutine on P %d got 10 objects while P %d held the 10 it put, "
		      "and %d were new: a get that finds its own P empty must steal from the other Ps "
		      "(all but the victim's private object)", thief_p, owner_p, thief_strangers);
	pool_free(steal_pool);
	CL_EXPECT_MSG(go_atomic_int64_load(&freed) == go_atomic_int64_load(&made),
		      "pool_free freed %lld objects; the pool held %lld", (long long)go_atomic_int64_load(&freed),
		      (long long)go_atomic_int64_load(&made));
}

/* --- memory -------------------------------------------------------------- */

CL_TEST(pool_free_gives_back_everything) {
	long before;
	void *objs[40];
	struct pool *pl;

	go_gomaxprocs(1);
	before = cl_inuse();
	pl = pool_new(obj_new, obj_free);
	for (int i = 0; i < 40; i++)
		objs[i] = pool_get(pl);
	for (int i = 0; i < 40; i++)
		pool_put(pl, objs[i]);
	pool_free(pl);
	CL_EXPECT_MSG(go_atomic_int64_load(&freed) == 40, "pool_free freed %lld of the 40 objects the pool held",
		      (long long)go_atomic_int64_load(&freed));
	CL_EXPECT_MSG(cl_inuse() == before, "after pool_free %ld bytes are still allocated; the pool must give back "
		      "its objects and everything it allocated itself", cl_inuse() - before);
}

CL_TEST(gets_and_puts_allocate_nothing_after_warm_up) {
	struct pool *pl;
	void *x[3];
	long allocs;
	long long news;

	go_gomaxprocs(1);
	pl = pool_new(obj_new, obj_free);
	for (int r = 0; r < 1000; r++) {
		for (int i = 0; i < r % 3 + 1; i++)
			x[i] = pool_get(pl);
		for (int i = 0; i < r % 3 + 1; i++)
			pool_put(pl, x[i]);
	}
	allocs = cl_allocs();
	news = go_atomic_int64_load(&made);
	for (int r = 0; r < 10000; r++) {
		for (int i = 0; i < r % 3 + 1; i++)
			x[i] = pool_get(pl);
		for (int i = 0; i < r % 3 + 1; i++)
			pool_put(pl, x[i]);
	}
	allocs = cl_allocs() - allocs;
	news = go_atomic_int64_load(&made) - news;
	CL_EXPECT_MSG(allocs == 0, "after warm-up, 20000 gets and puts made %ld allocations (%lld of them new_fn's); "
		      "a pool that keeps what is put makes none", allocs, news);
	CL_LOG("after warm-up, 20000 gets and puts: %ld allocations", allocs);
	pool_free(pl);
}

/* --- pinned, briefly ----------------------------------------------------- */

static go_atomic_bool other_ran;

static void other(void *arg)
{
	(void)arg;
	go_atomic_bool_store(&other_ran, true);
}

CL_TEST(other_goroutines_run_while_one_uses_the_pool) {
	int64_t deadline;
	struct pool *pl;
	long rounds = 0;

	go_gomaxprocs(1);
	pl = pool_new(obj_new, obj_free);
	go_spawn(other, NULL);
	/* One P: the other goroutine runs only if this one is preempted. */
	deadline = go_now() + cl_scaled(500 * GO_MILLISECOND);
	while (!go_atomic_bool_load(&other_ran) && go_now() < deadline) {
		void *a = pool_get(pl), *b = pool_get(pl);

		pool_put(pl, a);
		pool_put(pl, b);
		rounds++;
	}
	CL_EXPECT_MSG(go_atomic_bool_load(&other_ran), "at GOMAXPROCS=1, a goroutine looping on pool_get and "
		      "pool_put for %.1f s (%ld rounds) was never preempted, so no other goroutine ran: some path "
		      "of yours pins (go_proc_pin) without unpinning", (double)cl_scaled(500 * GO_MILLISECOND) / 1e9,
		      rounds);
	while (!go_atomic_bool_load(&other_ran))
		go_yield();
	pool_free(pl);
}

/* --- speed --------------------------------------------------------------- */

static struct pool *bench_pool;
static go_waitgroup bench_done;

static void bench_worker(void *arg)
{
	long n = (long)(intptr_t)arg;

	for (long i = 0; i < n; i++)
		pool_put(bench_pool, pool_get(bench_pool));
	go_waitgroup_done(&bench_done);
}

/* One op: a get and a put, by one of 2 workers at GOMAXPROCS=2. */
CL_BENCH(get_put_2_workers) {
	cl_stop_timer(b);
	go_gomaxprocs(2);
	if (!bench_pool)
		bench_pool = pool_new(obj_new, obj_free);
	go_waitgroup_add(&bench_done, 2);
	cl_start_timer(b);
	for (int w = 0; w < 2; w++)
		go_spawn(bench_worker, (void *)(intptr_t)((b->n + 1 - w) / 2));
	go_waitgroup_wait(&bench_done);
}

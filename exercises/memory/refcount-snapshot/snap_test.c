/* snap_test.c: instructor tests for refcount-snapshot, one process each.
 *
 * snap_freed() counts frees, per version, with C11 atomics (TSan sees
 * them). Readers check every field of the snapshot they hold: version v
 * is named "config v" and its limit i is v * 1000 + i. A snapshot freed
 * while a reader still holds it is read after the free, and
 * AddressSanitizer reports the read; one nobody frees is a leak
 * (LeakSanitizer, and the free count). Run on four threads. */
#include <chanlab_test.h>

#include <sched.h>

#include "snap.h"

#define NLIMITS 16
#define MAXVERSIONS 512

static atomic_int freed[MAXVERSIONS], bad_reads, reads;

void snap_freed(const struct snap *s)
{
	int v = snap_version(s);

	if (v >= 0 && v < MAXVERSIONS)
		atomic_fetch_add(&freed[v], 1);
}

static struct snap *make(int version)
{
	int limits[NLIMITS];
	char name[32];

	for (int i = 0; i < NLIMITS; i++)
		limits[i] = version * 1000 + i;
	snprintf(name, sizeof(name), "config %d", version);
	return snap_new(version, name, limits, NLIMITS);
}

/* Reads every field of s; counts a read that does not match version v. */
static void check_fields(struct snap *s, int v)
{
	char name[32];
	bool ok = snap_version(s) == v && snap_nlimits(s) == NLIMITS;

	snprintf(name, sizeof(name), "config %d", v);
	ok = ok && strcmp(snap_name(s), name) == 0;
	for (int i = 0; ok && i < NLIMITS; i++)
		ok = snap_limit(s, i) == v * 1000 + i;
	if (!ok)
		atomic_fetch_add(&bad_reads, 1);
	atomic_fetch_add(&reads, 1);
}

static void expect_freed_once(int v)
{
	int k = atomic_load(&freed[v]);

	CL_EXPECT_MSG(k == 1, "snapshot %d was freed %d times once every holder had released it, expected once",
		      v, k);
}

CL_TEST(the_only_holder_frees_it) {
	struct snap *s = make(1);

	check_fields(s, 1);
	snap_release(s);
	expect_freed_once(1);
}

CL_TEST(the_last_of_four_holders_frees_it) {
	struct snap *s = make(2);

	for (int i = 0; i < 3; i++)
		CL_ASSERT(snap_retain(s) == s);
	for (int i = 0; i < 3; i++) {
		snap_release(s);
		CL_ASSERT_MSG(atomic_load(&freed[2]) == 0,
			      "the snapshot was freed after %d of its 4 holders had released it", i + 1);
		check_fields(s, 2);
	}
	snap_release(s);
	expect_freed_once(2);
}

/* --- many readers on four threads --- */

struct pound {
	go_waitgroup *wg;
	int version;
	int rounds;
	int n;
	atomic_int started;     /* readers that have begun: they wait for all */
};

/* A reader that passes the snapshot on, thousands of times: to helpers
 * that retain it and release it in bursts, as a handler that fans a
 * request out would; now and then it yields and reads every field. */
static void pound(struct snap *s, void *arg)
{
	struct pound *p = arg;

	/* start together, so the retains and releases of the readers on
	 * different threads overlap */
	atomic_fetch_add(&p->started, 1);
	while (atomic_load(&p->started) < p->n)
		go_yield();
	for (int k = 0; k < p->rounds; k++) {
		struct snap *mine[4];

		for (int j = 0; j < 4; j++)
			mine[j] = snap_retain(s);
		for (int j = 0; j < 4; j++)
			snap_release(mine[j]);
		if (k % 256 == 0) {
			go_yield();
			check_fields(s, p->version);
		}
	}
	check_fields(s, p->version);
	go_waitgroup_done(p->wg);
}

static void readers(int version, int n, int rounds, bool let_go_first)
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct pound p = { &wg, version, rounds, n, 0 };
	struct snap *s = make(version);

	go_waitgroup_add(&wg, n);
	snap_share(s, n, pound, &p);
	if (let_go_first)
		snap_release(s);        /* the readers keep it alive now */
	go_waitgroup_wait(&wg);
	if (!let_go_first) {
		CL_EXPECT_MSG(atomic_load(&freed[version]) == 0,
			      "the snapshot was freed while its maker still held it");
		check_fields(s, version);
		snap_release(s);
	}
	/* the last reader's release may still be on its way out */
	for (int i = 0; i < 2000 && atomic_load(&freed[version]) == 0; i++)
		go_sleep(GO_MILLISECOND / 2);
	expect_freed_once(version);
	CL_EXPECT_MSG(atomic_load(&bad_reads) == 0, "%d of %d reads saw a snapshot that was not what it was made as",
		      atomic_load(&bad_reads), atomic_load(&reads));
}

CL_TEST(eight_readers_then_the_maker_releases) {
	readers(3, 8, 50000, false);
}

CL_TEST(the_maker_lets_go_before_the_readers_start) {
	readers(4, 8, 50000, true);
}

/* --- a publisher replaces the snapshot while readers use it --- */

struct config {
	go_mutex mu;
	struct snap *current;   /* the config's own reference */
	go_atomic_bool done;
	go_waitgroup wg;
};

static struct snap *config_get(struct config *c)
{
	struct snap *s;

	go_mutex_lock(&c->mu);
	s = snap_retain(c->current);
	go_mutex_unlock(&c->mu);
	return s;
}

static void config_reader(void *arg)
{
	struct config *c = arg;

	while (!go_atomic_bool_load(&c->done)) {
		struct snap *s = config_get(c);
		int v = snap_version(s);

		go_yield();
		check_fields(s, v);
		snap_release(s);
	}
	go_waitgroup_done(&c->wg);
}

CL_TEST(a_publisher_replaces_it_under_readers) {
	struct config c = { GO_MUTEX_INIT, NULL, { false }, GO_WAITGROUP_INIT };
	int last = 300;

	c.current = make(10);
	go_waitgroup_add(&c.wg, 6);
	for (int i = 0; i < 6; i++)
		go_spawn(config_reader, &c);
	for (int v = 11; v <= last; v++) {
		struct snap *old;

		go_mutex_lock(&c.mu);
		old = c.current;
		c.current = make(v);
		go_mutex_unlock(&c.mu);
		snap_release(old);      /* readers that hold it keep it alive */
		go_yield();
	}
	go_atomic_bool_store(&c.done, true);
	go_waitgroup_wait(&c.wg);
	snap_release(c.current);
	for (int v = 10; v <= last; v++) {
		int k = atomic_load(&freed[v]);

		if (k != 1) {
			CL_EXPECT_MSG(false, "snapshot %d was freed %d times, expected once", v, k);
			break;
		}
	}
	CL_EXPECT_MSG(atomic_load(&bad_reads) == 0, "%d of %d reads saw a snapshot that was not what it was made as",
		      atomic_load(&bad_reads), atomic_load(&reads));
}

/* --- two holders let go of the same snapshot at the same moment --- */

#define NPAIRS 8000

static struct snap *pairs[NPAIRS];
static atomic_int arrived[NPAIRS];

/* Waits until both holders have arrived at pair i, then releases its
 * reference to it: the two releases of one snapshot start together. */
static void let_go(void *arg)
{
	go_waitgroup *wg = arg;
	unsigned rnd = (unsigned)(uintptr_t)&wg | 1;

	for (int i = 0; i < NPAIRS; i++) {
		atomic_fetch_add(&arrived[i], 1);
		for (int spin = 0; atomic_load(&arrived[i]) < 2; spin++)
			if (spin > 5000)
				sched_yield();  /* the other holder's thread may not be running */
		/* the last to arrive is ahead of the other by the time it takes
		 * to see its arrival: a random pause lines the two up now and then */
		rnd ^= rnd << 13, rnd ^= rnd >> 17, rnd ^= rnd << 5;
		for (volatile unsigned d = rnd % 128; d > 0; d--)
			;
		snap_release(pairs[i]);
	}
	go_waitgroup_done(wg);
}

CL_TEST(two_holders_release_at_the_same_moment) {
	go_waitgroup wg = GO_WAITGROUP_INIT;
	int wrong = 0;

	for (int i = 0; i < NPAIRS; i++)
		pairs[i] = snap_retain(make(i % MAXVERSIONS));
	go_waitgroup_add(&wg, 2);
	go_spawn(let_go, &wg);
	go_spawn(let_go, &wg);
	go_waitgroup_wait(&wg);
	for (int v = 0; v < MAXVERSIONS && wrong < 3; v++) {
		int want = NPAIRS / MAXVERSIONS + (v < NPAIRS % MAXVERSIONS), k = atomic_load(&freed[v]);

		if (k != want) {
			CL_EXPECT_MSG(false, "%d snapshots of version %d were released by both their holders, "
				      "at the same moment, and freed %d times in all", want, v, k);
			wrong++;
		}
	}
}

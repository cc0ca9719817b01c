/* table_test.c: instructor tests for dining-philosophers, one process per
 * case.
 *
 * The dinners seat n philosophers, each a goroutine that thinks, picks up
 * its forks, eats and puts them down, a number of times. While one eats,
 * the harness raises its flag (C11 atomics, which TSan sees) and checks
 * its neighbours' flags, which must be down: neighbours share a fork. A
 * deadlock is the runtime's report. go_sched_point() while thinking and
 * eating lets the deterministic schedules (c:run_tests{ schedules = N })
 * interleave the philosophers there; table_pickup's own locks are
 * scheduling points too, so the schedules find the moment every
 * philosopher holds one fork. The "guest" cases seat one philosopher
 * beside philosopher 0 while this goroutine eats for it: a neighbour must
 * wait, a philosopher across the table must not, and waiting must cost no
 * CPU (on real threads only). */
#include <chanlab_test.h>
#include <stdlib.h>

#include "table.h"

#define MAXN 8

static atomic_int eating[MAXN];
static atomic_int clashes, first_clash;

struct dinner {
	struct table *t;
	int n, meals;
	int ate[MAXN];          /* written by philosopher i alone, read after wg */
	go_waitgroup wg;
};

struct seat {
	struct dinner *d;
	int i;
};

/* Philosopher i eats. The first time a neighbour is found eating too,
 * it is reported at once, by the philosopher that found it (alone: the
 * others only count), in case a deadlock follows. */
static void eat(int n, int i)
{
	int l = (i + n - 1) % n, r = (i + 1) % n;

	atomic_store(&eating[i], 1);
	if (atomic_load(&eating[l]) || atomic_load(&eating[r])) {
		int none = 0, other = atomic_load(&eating[l]) ? l : r;

		if (atomic_compare_exchange_strong(&first_clash, &none, 1))
			CL_EXPECT_MSG(false, "philosophers %d and %d ate at the same time, though they are neighbours "
				      "and share a fork", other, i);
		atomic_fetch_add(&clashes, 1);
	}
	go_sched_point();
	go_sched_point();
	atomic_store(&eating[i], 0);
}

static void philosopher(void *arg)
{
	struct seat *s = arg;
	struct dinner *d = s->d;

	for (int m = 0; m < d->meals; m++) {
		go_sched_point();               /* think */
		table_pickup(d->t, s->i);
		eat(d->n, s->i);
		d->ate[s->i]++;
		table_putdown(d->t, s->i);
	}
	go_waitgroup_done(&d->wg);
}

/* Under a deterministic schedule (CHANLAB_SCHED)? */
static bool scheduled(void)
{
	const char *sched = getenv("CHANLAB_SCHED");

	return sched && *sched;
}

/* Meals each: on real threads a hundred times more than under a
 * deterministic schedule, where each meal takes many steps and 300
 * schedules run. */
static int meals(int n)
{
	return scheduled() ? n : 100 * n;
}

static void dinner(int n)
{
	struct dinner d = { .n = n, .meals = meals(10), .wg = GO_WAITGROUP_INIT };
	struct seat seats[MAXN];
	int fewest = 0;

	d.t = table_new(n);
	CL_ASSERT(d.t != NULL);
	go_waitgroup_add(&d.wg, n);
	for (int i = 0; i < n; i++) {
		seats[i] = (struct seat){ &d, i };
		go_spawn(philosopher, &seats[i]);
	}
	go_waitgroup_wait(&d.wg);       /* a deadlock: the runtime's report */
	for (int i = 1; i < n; i++)
		if (d.ate[i] < d.ate[fewest])
			fewest = i;
	CL_EXPECT_MSG(d.ate[fewest] == d.meals, "philosopher %d ate %d times, expected %d",
		      fewest, d.ate[fewest], d.meals);
	if (atomic_load(&clashes) > 0)
		CL_LOG("%d meals were eaten beside an eating neighbour", atomic_load(&clashes));
	else if (!scheduled())          /* a note per schedule would pile up */
		CL_LOG("%d philosophers ate %d times each", n, d.meals);
	table_free(d.t);
}

CL_TEST(each_philosopher_alone_can_eat) {
	int sizes[] = { 2, 3, 5 };

	for (int k = 0; k < 3; k++) {
		struct table *t = table_new(sizes[k]);

		CL_ASSERT(t != NULL);
		for (int round = 0; round < 2; round++)
			for (int i = 0; i < sizes[k]; i++) {
				table_pickup(t, i);
				table_putdown(t, i);
			}
		table_free(t);
	}
}

/* A guest: philosopher i comes to the table, says when it eats, eats
 * until it may leave, puts its forks down and says so. */
struct guest {
	struct table *t;
	int i;
	go_chan *ate, *may_leave;
};

static void guest(void *arg)
{
	struct guest *g = arg;
	int one = 1;

	table_pickup(g->t, g->i);
	go_send(g->ate, &one);          /* "I am eating" */
	go_recv(g->may_leave, NULL);
	table_putdown(g->t, g->i);
	go_send(g->ate, &one);          /* "I have put my forks down" */
}

static void guest_arrives(struct guest *g, struct table *t, int i)
{
	*g = (struct guest){ t, i, go_chan_make(sizeof(int), 0), go_chan_make(sizeof(int), 0) };
	if (!g->ate || !g->may_leave)
		go_panic("out of memory");
	go_spawn(guest, g);
}

/* Waits until g eats (if it does not yet), lets it go and waits until it
 * has put its forks down. */
static void guest_leaves(struct guest *g, bool ate_already)
{
	int one = 1;

	if (!ate_already)
		go_recv(g->ate, NULL);
	go_send(g->may_leave, &one);
	go_recv(g->ate, NULL);
	go_chan_free(g->ate);
	go_chan_free(g->may_leave);
}

/* Philosopher 0 eats (this goroutine holds its forks) when philosopher
 * `other` comes to the table of five: does `other` eat within `within`? */
static bool eats_beside_philosopher_0(int other, int64_t within)
{
	struct table *t = table_new(5);
	struct guest g;
	bool at_once;

	if (!t)
		go_panic("out of memory");
	table_pickup(t, 0);
	guest_arrives(&g, t, other);
	at_once = go_recv_until(g.ate, NULL, NULL, go_now() + within) == GO_OK;
	table_putdown(t, 0);
	guest_leaves(&g, at_once);
	table_free(t);
	return at_once;
}

CL_TEST(a_neighbour_waits_for_the_shared_fork) {
	CL_EXPECT_MSG(!eats_beside_philosopher_0(1, 20 * GO_MILLISECOND),
		      "philosopher 1 started eating while philosopher 0 ate: they share fork 1, "
		      "so table_pickup(t, 1) must wait until philosopher 0 puts it down");
	CL_EXPECT_MSG(!eats_beside_philosopher_0(4, 20 * GO_MILLISECOND),
		      "philosopher 4 started eating while philosopher 0 ate: they share fork 0, "
		      "so table_pickup(t, 4) must wait until philosopher 0 puts it down");
}

CL_TEST(two_philosophers_who_share_no_fork_eat_together) {
	CL_EXPECT_MSG(eats_beside_philosopher_0(2, cl_scaled(100 * GO_MILLISECOND)),
		      "philosopher 2 could not eat while philosopher 0 ate, though they share no fork "
		      "(0 uses forks 0 and 1, 2 uses forks 2 and 3): only neighbours must wait for each other");
	CL_EXPECT_MSG(eats_beside_philosopher_0(3, cl_scaled(100 * GO_MILLISECOND)),
		      "philosopher 3 could not eat while philosopher 0 ate, though they share no fork "
		      "(0 uses forks 0 and 1, 3 uses forks 3 and 4): only neighbours must wait for each other");
}

/* Real threads only (the script leaves it out of the schedules, where
 * time is virtual and a philosopher that keeps retrying never lets it
 * pass): philosophers 1 and 4 wait 300 ms for the forks philosopher 0
 * eats with. Waiting must cost no CPU. */
CL_TEST(a_hungry_philosopher_waits_without_spinning) {
	struct table *t = table_new(5);
	struct guest g1, g4;
	int64_t cpu0, used;

	CL_ASSERT(t != NULL);
	table_pickup(t, 0);
	guest_arrives(&g1, t, 1);
	guest_arrives(&g4, t, 4);
	go_sleep(10 * GO_MILLISECOND);  /* both are hungry now */
	cpu0 = cl_cpu_wanted();   /* CPU wanted, not got: a spinner wants its CPU however busy the machine */
	go_sleep(300 * GO_MILLISECOND);
	used = cl_cpu_wanted() - cpu0;
	table_putdown(t, 0);
	guest_leaves(&g1, false);
	guest_leaves(&g4, false);
	table_free(t);
	CL_EXPECT_MSG(used < 150 * GO_MILLISECOND,
		      "philosophers 1 and 4, waiting 300 ms for forks their neighbour ate with, wanted %lld ms of CPU: "
		      "a hungry philosopher must wait for its fork (block), not try again and again",
		      (long long)(used / GO_MILLISECOND));
}

CL_TEST(dinner_for_two) {
	dinner(2);
}

CL_TEST(dinner_for_three) {
	dinner(3);
}

CL_TEST(dinner_for_five) {
	dinner(5);
}

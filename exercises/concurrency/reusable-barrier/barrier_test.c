/* barrier_test.c: instructor tests for reusable-barrier, one process per
 * case.
 *
 * A crowd of n goroutines goes through many phases, calling barrier_wait
 * between two. Each counts its arrival (a C11 atomic, which TSan sees)
 * before it calls barrier_wait; whoever comes back from its p-th call
 * checks that n * p arrivals were counted, so that all n finished phase
 * p - 1 before anyone started phase p. go_sched_point() in each phase's
 * "work" lets the deterministic schedules (c:run_tests{ schedules = N })
 * run a fast goroutine into the next round while the others still wake
 * from the last one. */
#include <chanlab_test.h>
#include <stdlib.h>

#include "barrier.h"

static atomic_long arrivals;
static atomic_int laps, first_lap;

struct crowd {
	struct barrier *b;
	int n, rounds;
	go_waitgroup wg;
};

struct member {
	struct crowd *c;
	int i;
};

static const char *nth(int p, char s[16])
{
	snprintf(s, 16, "%d%s", p, p % 100 / 10 == 1 ? "th" : p % 10 == 1 ? "st" : p % 10 == 2 ? "nd" :
		 p % 10 == 3 ? "rd" : "th");
	return s;
}

/* A goroutine came back from its p-th barrier_wait when only `here` of n
 * had arrived. The first such lap is reported at once, by the goroutine
 * that made it (alone: the others only count): a barrier that lets one
 * through early often leaves the rest stuck, and the deadlock report
 * would be all the case says. */
static void lapped(int i, int p, long here, int n)
{
	int none = 0;
	char s[16];

	if (atomic_compare_exchange_strong(&first_lap, &none, 1))
		CL_EXPECT_MSG(false, "goroutine %d came back from barrier_wait the %s time when only %ld of the %d "
			      "goroutines had arrived at it: nobody may start a phase before everybody has finished "
			      "the one before", i, nth(p, s), here, n);
	atomic_fetch_add(&laps, 1);
}

static void member(void *arg)
{
	struct member *m = arg;
	struct crowd *c = m->c;

	for (int p = 1; p <= c->rounds; p++) {
		long here;

		go_sched_point();               /* phase p - 1's work */
		atomic_fetch_add(&arrivals, 1);
		barrier_wait(c->b);
		here = atomic_load(&arrivals) - (long)c->n * (p - 1);
		if (here < c->n)
			lapped(m->i, p, here, c->n);
		go_sched_point();               /* phase p begins */
	}
	go_waitgroup_done(&c->wg);
}

/* Under a deterministic schedule (CHANLAB_SCHED)? */
static bool scheduled(void)
{
	const char *sched = getenv("CHANLAB_SCHED");

	return sched && *sched;
}

/* n goroutines through many rounds: 30 under a deterministic schedule,
 * where each round takes many steps and 200 schedules run; 2000 on real
 * threads. */
static void crowd(int n)
{
	struct crowd c = { .n = n, .rounds = scheduled() ? 30 : 2000, .wg = GO_WAITGROUP_INIT };
	struct member m[8];

	c.b = barrier_new(n);
	CL_ASSERT(c.b != NULL);
	go_waitgroup_add(&c.wg, n);
	for (int i = 0; i < n; i++) {
		m[i] = (struct member){ &c, i };
		go_spawn(member, &m[i]);
	}
	go_waitgroup_wait(&c.wg);       /* a deadlock: the runtime's report */
	if (atomic_load(&laps) > 0)
		CL_LOG("barrier_wait returned too early %d times in all", atomic_load(&laps));
	else if (!scheduled())          /* a note per schedule would pile up */
		CL_LOG("%d goroutines went through %d rounds together", n, c.rounds);
	barrier_free(c.b);
}

CL_TEST(a_barrier_for_one_never_waits) {
	struct barrier *b = barrier_new(1);

	CL_ASSERT(b != NULL);
	for (int i = 0; i < 5; i++)
		barrier_wait(b);        /* blocking here: the runtime's deadlock report */
	barrier_free(b);
}

static go_chan *passed;

static void wait_once(void *arg)
{
	int one = 1;

	barrier_wait(arg);
	go_send(passed, &one);
}

/* Two goroutines wait at a barrier for three; nobody comes back until
 * this one, the third, arrives too. */
CL_TEST(nobody_leaves_before_the_last_arrives) {
	struct barrier *b = barrier_new(3);
	int early = 0;

	passed = go_chan_make(sizeof(int), 2);
	CL_ASSERT(b != NULL && passed != NULL);
	go_spawn(wait_once, b);
	go_spawn(wait_once, b);
	while (go_recv_until(passed, NULL, NULL, go_now() + 20 * GO_MILLISECOND) == GO_OK)
		early++;
	barrier_wait(b);
	for (int i = early; i < 2; i++)
		go_recv(passed, NULL);
	CL_EXPECT_MSG(early == 0, "%d of the 2 goroutines came back from barrier_wait before the third arrived", early);
	go_chan_free(passed);
	barrier_free(b);
}

/* Real threads only (the script leaves it out of the schedules, where
 * time is virtual and a goroutine that keeps checking never lets it
 * pass): two goroutines wait 300 ms at a barrier for three. Waiting must
 * cost no CPU. */
CL_TEST(waiting_at_the_barrier_costs_no_cpu) {
	struct barrier *b = barrier_new(3);
	int64_t cpu0, used;

	passed = go_chan_make(sizeof(int), 2);
	CL_ASSERT(b != NULL && passed != NULL);
	go_spawn(wait_once, b);
	go_spawn(wait_once, b);
	go_sleep(10 * GO_MILLISECOND);  /* both wait now */
	cpu0 = cl_cpu_wanted();   /* CPU wanted, not got: a spinner wants its CPU however busy the machine */
	go_sleep(300 * GO_MILLISECOND);
	used = cl_cpu_wanted() - cpu0;
	barrier_wait(b);
	go_recv(passed, NULL);
	go_recv(passed, NULL);
	CL_EXPECT_MSG(used < 150 * GO_MILLISECOND,
		      "two goroutines waiting 300 ms at the barrier wanted %lld ms of CPU: wait (go_cond_wait), "
		      "don't check again and again", (long long)(used / GO_MILLISECOND));
	go_chan_free(passed);
	barrier_free(b);
}

CL_TEST(two_goroutines_round_after_round) {
	crowd(2);
}

CL_TEST(three_goroutines_round_after_round) {
	crowd(3);
}

CL_TEST(eight_goroutines_round_after_round) {
	crowd(8);
}

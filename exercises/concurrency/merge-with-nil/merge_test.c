/* merge_test.c: instructor tests for merge-with-nil, one process each.
 *
 * Two producer goroutines send their values (a sends even numbers, b odd
 * ones), each after an optional pause, then close their channel; merge
 * runs in a goroutine of its own; the test receives from out until it is
 * closed and checks that every value came exactly once. The goroutines'
 * state (producers, merger, WaitGroup) is static, not on the case's stack:
 * when a wrong merge strands a goroutine, the case returns without waiting,
 * and the stranded goroutine must still find its state intact so that the
 * leak check reports it where it waits (not a crash on a dead stack). */
#include <chanlab_test.h>

#include "merge.h"

#define MAXV 4000

struct producer {
	go_chan *c;
	int first, count;       /* sends first, first+2, ... count values */
	int64_t pause_before, pause_after;      /* before the first send, before the close */
	go_waitgroup *wg;       /* done after the close */
};

struct merger {
	go_chan *a, *b, *out;
	go_waitgroup *wg;       /* done once merge returned */
};

static void produce(void *arg)
{
	struct producer *p = arg;

	if (p->pause_before)
		go_sleep(p->pause_before);
	for (int i = 0; i < p->count; i++) {
		int v = p->first + 2 * i;

		go_send(p->c, &v);
	}
	if (p->pause_after)
		go_sleep(p->pause_after);
	go_close(p->c);
	go_waitgroup_done(p->wg);
}

static void run_merge(void *arg)
{
	struct merger *m = arg;

	merge(m->a, m->b, m->out);
	go_waitgroup_done(m->wg);
}

static unsigned char seen[MAXV];
static struct producer prod_a, prod_b;  /* outlive the case: see the top */
static struct merger merger;
static go_waitgroup merge_wg;

/* Runs merge over the two producers and expects every value once. */
static void merge_and_expect(const struct producer *pa0, const struct producer *pb0)
{
	go_chan *a = go_chan_make(sizeof(int), 0), *b = go_chan_make(sizeof(int), 0);
	go_chan *out = go_chan_make(sizeof(int), 0);
	struct producer *pa = &prod_a, *pb = &prod_b;
	int v, got = 0, want = pa0->count + pb0->count, extra = 0, zeros = 0;

	*pa = *pa0;
	*pb = *pb0;
	pa->c = a;
	pb->c = b;
	pa->wg = pb->wg = &merge_wg;
	merger = (struct merger){ a, b, out, &merge_wg };
	go_waitgroup_add(&merge_wg, 3);
	memset(seen, 0, sizeof(seen));
	go_spawn(produce, pa);
	go_spawn(produce, pb);
	go_spawn(run_merge, &merger);
	while (go_recv2(out, &v)) {
		got++;
		if (v >= 0 && v < MAXV && seen[v] == 0) {
			seen[v] = 1;
		} else {
			extra++;
			zeros += v == 0;
			if (extra > 100)
				break;
		}
	}
	CL_EXPECT_MSG(extra == 0, "out carried %d values that were never sent or came twice (%d of them 0)%s",
		      extra, zeros, extra > 100 ? ", and it went on; stopped reading" : "");
	CL_EXPECT_MSG(got - extra == want, "%d of the %d values sent arrived on out", got - extra, want);
	if (extra > 0 || got != want)
		return;         /* goroutines may still be stuck: leave their channels */
	go_waitgroup_wait(&merge_wg);
	go_chan_free(a);
	go_chan_free(b);
	go_chan_free(out);
}

CL_TEST(every_value_arrives_once_when_a_closes_first) {
	struct producer pa = { NULL, 0, 500, 0, 0, NULL }, pb = { NULL, 1, 1500, 0, 0, NULL };

	merge_and_expect(&pa, &pb);
}

CL_TEST(every_value_arrives_once_when_b_closes_first) {
	struct producer pa = { NULL, 0, 1500, 0, 20 * GO_MILLISECOND, NULL }, pb = { NULL, 1, 30, 0, 0, NULL };

	merge_and_expect(&pa, &pb);
}

CL_TEST(two_empty_inputs_close_out) {
	struct producer pa = { NULL, 0, 0, 0, 0, NULL }, pb = { NULL, 1, 0, 0, 0, NULL };

	merge_and_expect(&pa, &pb);
}

CL_TEST(a_quiet_input_after_the_other_closed_still_arrives) {
	struct producer pa = { NULL, 0, 0, 0, 0, NULL }, pb = { NULL, 1, 10, 100 * GO_MILLISECOND, 0, NULL };

	merge_and_expect(&pa, &pb);
}

/* a closes at once; b is quiet for 500 ms, then sends 3 values. While b is
 * quiet, merge should be parked, using no CPU. */
CL_TEST(it_does_not_spin_while_one_input_is_quiet) {
	struct producer pa = { NULL, 0, 0, 0, 0, NULL }, pb = { NULL, 1, 3, 500 * GO_MILLISECOND, 0, NULL };
	int64_t cpu0 = cl_cpu_wanted(), used;

	merge_and_expect(&pa, &pb);
	used = cl_cpu_wanted() - cpu0;
	/* CPU wanted, not CPU got: a spinner wants its CPU however busy the machine */
	CL_EXPECT_MSG(used < 200 * GO_MILLISECOND,
		      "merge wanted %lld ms of CPU time while it had nothing to do for 500 ms: it spins on the closed input",
		      (long long)(used / GO_MILLISECOND));
}

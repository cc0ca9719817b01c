/* group_test.c: instructor tests for first-error-cancels, one process per
 * case. The tasks are the harness's: each records what it saw of the
 * group's context and whether it has returned, so a case can check that
 * siblings were cancelled and that group_wait waited for all of them. */
#include <chanlab_test.h>

#include "group.h"

enum { MAX_TASKS = 16 };

/* What a task does: after `wait` (on the context if `listens`, else
 * whatever happens), return `err`. */
struct task {
	int64_t wait;
	bool listens;
	int err;
	go_waitgroup *start;    /* if not NULL: wait here until every task has arrived, */
	int64_t spin;           /* then keep this thread busy so long (no yield) */
	int saw;                /* go_ctx_err(ctx) when it returned */
	go_atomic_bool returned;
};

static int task(go_ctx *ctx, void *arg)
{
	struct task *t = arg;

	if (t->start) {
		int64_t t0;

		go_waitgroup_done(t->start);
		go_waitgroup_wait(t->start);
		t0 = go_now();
		while (go_now() - t0 < t->spin)
			;
	}
	if (t->listens)
		go_sleep_ctx(ctx, t->wait);
	else if (t->wait > 0)
		go_sleep(t->wait);
	if (t->listens || t->wait > 0)
		t->saw = go_ctx_err(ctx);
	go_atomic_bool_store(&t->returned, true);
	return t->err;
}

static int still_running(struct task *ts, int n)
{
	int running = 0;

	for (int i = 0; i < n; i++)
		if (!go_atomic_bool_load(&ts[i].returned))
			running++;
	return running;
}

/* Runs the tasks in a group and returns group_wait's result and how long
 * it took. If group_wait returned with tasks still running, says so and
 * waits for them before freeing the group. */
static int run_group(struct task *ts, int n, int64_t *took)
{
	struct group *g = group_new(go_ctx_background());
	int64_t t0 = go_now();
	int err, running;

	for (int i = 0; i < n; i++)
		group_go(g, task, &ts[i]);
	err = group_wait(g);
	*took = go_now() - t0;
	running = still_running(ts, n);
	CL_EXPECT_MSG(running == 0, "group_wait returned while %d of %d tasks were still running: it must wait "
		      "for every task to return", running, n);
	while (still_running(ts, n) > 0)
		go_sleep(GO_MILLISECOND);
	if (running > 0)
		go_sleep(50 * GO_MILLISECOND);  /* let the group's goroutines finish with it */
	if (err == 0 && running == 0)
		CL_EXPECT_MSG(go_ctx_err(group_ctx(g)) != 0, "the group's context was not cancelled when "
			      "group_wait returned: errgroup's Wait cancels it, error or not");
	group_free(g);
	return err;
}

/* One task fails at 5 ms; its six siblings would wait a second, unless
 * they are cancelled. (A second is the starter's cost, not a bound on the
 * solution, which takes a few ms: it is not scaled.) */
CL_TEST(the_first_failure_cancels_the_others) {
	struct task ts[7];
	int64_t took, second = GO_SECOND;
	int err;

	ts[0] = (struct task){ .wait = 5 * GO_MILLISECOND, .err = -7 };
	for (int i = 1; i < 7; i++)
		ts[i] = (struct task){ .wait = second, .listens = true };
	err = run_group(ts, 7, &took);
	CL_EXPECT_MSG(err == -7, "group_wait returned %d, expected the failing task's -7", err);
	int missed = 0;

	for (int i = 1; i < 7; i++)
		if (ts[i].saw != GO_ECANCELED)
			missed++;
	CL_EXPECT_MSG(missed == 0, "%d of the 6 tasks that waited on the group's context were not cancelled "
		      "although another task had failed", missed);
	CL_EXPECT_MSG(took < second, "group_wait took %.0f ms: the waiting tasks ran to the end", (double)took / 1e6);
	CL_LOG("group_wait returned after %.1f ms", (double)took / 1e6);
}

/* The first task fails at 5 ms; the second fails too, but only after it
 * has seen the group cancelled (or after a long wait). The first error
 * is the one group_wait returns. */
CL_TEST(the_first_error_is_the_one_returned) {
	struct task ts[3];
	int64_t took;
	int err;

	ts[0] = (struct task){ .wait = 5 * GO_MILLISECOND, .err = -1 };
	ts[1] = (struct task){ .wait = GO_SECOND, .listens = true, .err = -2 };
	ts[2] = (struct task){ .wait = 0 };
	err = run_group(ts, 3, &took);
	CL_EXPECT_MSG(err == -1, "group_wait returned %d, expected -1: the task that failed first returned -1, "
		      "the one that failed later -2", err);
}

/* Eight tasks that succeed: 0, and nobody was cancelled before the end. */
CL_TEST(tasks_that_succeed_give_zero) {
	struct task ts[8];
	int64_t took;

	for (int i = 0; i < 8; i++)
		ts[i] = (struct task){ .wait = (i + 1) * GO_MILLISECOND };
	CL_EXPECT_INT(run_group(ts, 8, &took), 0);
	for (int i = 0; i < 8; i++)
		CL_EXPECT_MSG(ts[i].saw == 0, "task %d saw its context cancelled (%s) while no task had failed", i,
			      go_strerror(ts[i].saw));
}

/* Every task fails at once, on several threads: they start together and
 * each keeps its thread busy for 5 ms, so that they finish side by side on
 * different threads. One error is returned, and recording it is not a data
 * race (two goroutines that run one after the other on one thread are
 * ordered, for ThreadSanitizer, by the switch between them). */
CL_TEST(many_failures_at_once_give_one_of_them) {
	for (int round = 0; round < 20; round++) {
		struct task ts[8];
		go_waitgroup start = GO_WAITGROUP_INIT;
		int64_t took;
		int err;

		go_waitgroup_add(&start, 8);
		for (int i = 0; i < 8; i++)
			ts[i] = (struct task){ .err = -(i + 1), .start = &start,
					       .spin = 5 * GO_MILLISECOND };
		err = run_group(ts, 8, &took);
		CL_ASSERT_MSG(err <= -1 && err >= -8, "8 tasks failed with -1 to -8, group_wait returned %d", err);
	}
}

/* A task that fails at once, and seven that ignore the context and take
 * 100 ms: group_wait returns only when all eight have. */
CL_TEST(group_wait_returns_after_every_task) {
	struct task ts[8];
	int64_t took;

	ts[0] = (struct task){ .err = -3 };
	for (int i = 1; i < 8; i++)
		ts[i] = (struct task){ .wait = 100 * GO_MILLISECOND };
	CL_EXPECT_INT(run_group(ts, 8, &took), -3);
}

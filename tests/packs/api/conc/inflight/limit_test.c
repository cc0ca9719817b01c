/* limit_test.c: the harness; the pack's libraries are on the include path. */
#include <chanlab_test.h>

#include "limit.h"
#include "spin.h"
#include "tally.h"

static void job(int i, void *arg)
{
	struct tally *t = arg;

	(void)i;
	tally_enter(t);
	go_sleep(2 * GO_MILLISECOND);
	spin(1000);
	tally_leave(t);
}

CL_TEST(runs_every_job) {
	struct tally t = TALLY_INIT;

	run_limited(12, 3, job, &t);
	CL_EXPECT_INT(t.total, 12);
	CL_METRIC("max_in_flight", tally_peak(&t));
	CL_LOG("at most %d jobs ran at once", tally_peak(&t));
}

/* A timing bound that holds on a loaded machine and under TSan: scaled. */
CL_TEST(time_scale) {
	struct tally t = TALLY_INIT;
	int64_t start = go_now(), took;

	CL_METRIC("time_scale", cl_time_scale());
	CL_METRIC("tsan", strcmp(cl_flavour(), "tsan") == 0);
	run_limited(12, 3, job, &t);
	took = go_now() - start;
	CL_EXPECT_MSG(took < cl_scaled(500 * GO_MILLISECOND), "12 jobs of 2 ms, 3 at a time, took %lld ms",
		      (long long)(took / GO_MILLISECOND));
	CL_LOG("flavour %s, time scale %.2f", cl_flavour(), cl_time_scale());
}

/* 150 expectations: a wrong square fails 148, more than a case sends
 * (100): chanlab still counts them all. */
CL_TEST(squares) {
	for (int i = 0; i < 150; i++)
		CL_EXPECT_INT(square(i), i * i);
}

CL_TEST(square_then_limit) {
	struct tally t = TALLY_INIT;

	CL_EXPECT_INT(square(3), 9);
	run_limited(2, 1, job, &t);
	CL_EXPECT_INT(t.total, 2);
}

/* limiter_test.c: instructor tests for token-bucket, one process per case.
 *
 * Every admission is timed with go_now(). A bucket of rate r and burst b
 * may have admitted at most b + r*t calls t seconds after it started: the
 * cases check that at every admission (safety, on any clock), and, on the
 * virtual clock of deterministic schedules (c:run_tests{ schedules = N }),
 * that it admits them as soon as it may (no caller waits longer than its
 * token takes to come). */
#include <chanlab_test.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "limiter.h"

static struct limiter lim;
static int64_t start, *admitted;
static atomic_int nadmitted;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static bool virtual_time(void)
{
	const char *s = getenv("CHANLAB_SCHED");

	return s && *s;
}

static void admit(void)
{
	int k = atomic_fetch_add(&nadmitted, 1);

	admitted[k] = go_now() - start;
}

/* No more than burst + rate * t calls by any time t (1 ms of slack for
 * the clock's rounding). */
static void expect_within_rate(double rate, int burst, int n)
{
	int64_t *t = malloc((size_t)n * sizeof(*t));

	CL_ASSERT(t);
	memcpy(t, admitted, (size_t)n * sizeof(*t));
	for (int i = 1; i < n; i++)     /* in time order */
		for (int j = i; j > 0 && t[j - 1] > t[j]; j--) {
			int64_t x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	for (int i = 0; i < n; i++) {
		double allowed = burst + rate * ((double)t[i] + 1e6) / 1e9;

		if (i + 1 > allowed + 1e-9) {
			CL_EXPECT_MSG(false, "%d calls were let through by %.1f ms: a bucket of %g a second and a burst "
				      "of %d allows %d", i + 1, (double)t[i] / 1e6, rate, burst, (int)floor(allowed));
			break;
		}
	}
	free(t);
}

static void caller(void *arg)
{
	for (int i = 0; i < (int)(long)arg; i++) {
		CL_EXPECT_INT(limiter_wait(&lim, go_ctx_background()), GO_OK);
		admit();
	}
	go_waitgroup_done(&wg);
}

CL_TEST(a_burst_then_the_rate) {
	admitted = calloc(300, sizeof(*admitted));
	limiter_init(&lim, 1000, 10);
	start = go_now();
	go_waitgroup_add(&wg, 1);
	go_spawn(caller, (void *)300L);
	go_waitgroup_wait(&wg);
	expect_within_rate(1000, 10, 300);
	/* the burst goes through at once: exactly at once on virtual time */
	CL_EXPECT_MSG(admitted[9] < (virtual_time() ? GO_MICROSECOND : cl_scaled(20 * GO_MILLISECOND)),
		      "the first 10 calls are the burst: the 10th waited %.1f ms", (double)admitted[9] / 1e6);
	if (virtual_time())
		CL_EXPECT_MSG(llabs(admitted[299] - 290 * GO_MILLISECOND) <= GO_MILLISECOND,
			      "the 300th call should be let through at 290 ms (10 at once, then one a ms): it was at "
			      "%.1f ms", (double)admitted[299] / 1e6);
	free(admitted);
}

CL_TEST(four_callers_share_one_bucket) {
	admitted = calloc(200, sizeof(*admitted));
	limiter_init(&lim, 1000, 5);
	start = go_now();
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(caller, (void *)50L);
	go_waitgroup_wait(&wg);
	expect_within_rate(1000, 5, 200);
	if (virtual_time())
		CL_EXPECT_MSG(admitted[199] <= 196 * GO_MILLISECOND,
			      "200 calls at 1000 a second, 5 at once, take 195 ms: the last came at %.1f ms",
			      (double)admitted[199] / 1e6);
	free(admitted);
}

CL_TEST(an_idle_bucket_fills_up_to_its_burst_only) {
	admitted = calloc(40, sizeof(*admitted));
	limiter_init(&lim, 1000, 10);
	go_sleep(50 * GO_MILLISECOND);          /* idle: 50 tokens' worth, but it holds 10 */
	start = go_now() - 50 * GO_MILLISECOND;
	go_waitgroup_add(&wg, 1);
	go_spawn(caller, (void *)40L);
	go_waitgroup_wait(&wg);
	for (int i = 0; i < 40; i++)
		admitted[i] -= 50 * GO_MILLISECOND;
	expect_within_rate(1000, 10, 40);
	free(admitted);
}

static int waiter_err;
static int64_t waiter_took;

static void waiter(void *arg)
{
	int64_t t0 = go_now();

	waiter_err = limiter_wait(&lim, arg);
	waiter_took = go_now() - t0;
	go_waitgroup_done(&wg);
}

CL_TEST(a_cancelled_caller_returns_at_once_and_gives_its_token_back) {
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	int64_t t0;

	limiter_init(&lim, 2, 1);               /* a token every 500 ms */
	CL_ASSERT(limiter_wait(&lim, go_ctx_background()) == GO_OK);   /* the burst, spent */
	go_waitgroup_add(&wg, 1);
	go_spawn(waiter, ctx);
	go_sleep(5 * GO_MILLISECOND);
	go_ctx_cancel(ctx);
	go_waitgroup_wait(&wg);
	CL_EXPECT_INT(waiter_err, GO_ECANCELED);
	CL_EXPECT_MSG(waiter_took <= cl_scaled(50 * GO_MILLISECOND),
		      "the caller was cancelled at 5 ms but returned after %.1f ms", (double)waiter_took / 1e6);
	t0 = go_now();
	CL_EXPECT_INT(limiter_wait(&lim, go_ctx_background()), GO_OK);
	if (virtual_time())
		CL_EXPECT_MSG(go_now() - t0 <= 496 * GO_MILLISECOND,
			      "the token the cancelled caller gave back is the next one: the next call waited %.1f ms "
			      "(about 495, not 995)", (double)(go_now() - t0) / 1e6);
	go_ctx_free(ctx);
}

CL_TEST(a_deadline_ends_the_wait) {
	go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), 20 * GO_MILLISECOND);
	int64_t t0;

	limiter_init(&lim, 1, 1);               /* a token a second */
	CL_ASSERT(limiter_wait(&lim, go_ctx_background()) == GO_OK);
	t0 = go_now();
	CL_EXPECT_INT(limiter_wait(&lim, ctx), GO_EDEADLINE);
	CL_EXPECT_MSG(go_now() - t0 <= cl_scaled(200 * GO_MILLISECOND),
		      "the deadline was 20 ms away, the call returned after %.1f ms", (double)(go_now() - t0) / 1e6);
	go_ctx_free(ctx);
}

/* fetch_test.c: instructor tests for cancel-the-fetch, one process per
 * case. The store is a spy (spy.c): it hands out its record a piece at a
 * time, PIECE apart, stops at once when told to, and remembers whether it
 * was told and whether a store_fetch was still running when fetch
 * returned. The caller cancels from a goroutine of its own, CANCEL_AT
 * into a fetch that would take 400 ms. */
#include <chanlab_test.h>

#include "fetch.h"
#include "spy.h"

#define PIECE (10 * GO_MILLISECOND)
#define CANCEL_AT (50 * GO_MILLISECOND)

static const char long_record[] = "forty pieces, ten milliseconds a piece..";
static const char short_record[] = "stop when the caller stops";

/* Where fetch writes: outlives any case, since code that returns without
 * waiting for the store leaves it writing here. */
static char buf[64];

/* The caller giving up: cancels ctx after a while, and says when. */
struct canceller {
	go_ctx *ctx;
	int64_t after, at;
	go_waitgroup wg;
};

static void cancel_later(void *arg)
{
	struct canceller *c = arg;

	go_sleep(c->after);
	c->at = go_now();
	go_ctx_cancel(c->ctx);
	go_waitgroup_done(&c->wg);
}

static void cancel_in(struct canceller *c, go_ctx *ctx, int64_t after)
{
	*c = (struct canceller){ ctx, after, 0, GO_WAITGROUP_INIT };
	go_waitgroup_add(&c->wg, 1);
	go_spawn(cancel_later, c);
}

CL_TEST(a_fetch_with_time_to_spare_returns_the_record) {
	struct store *s = spy_new(short_record, 2 * GO_MILLISECOND);
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	int rc;

	rc = fetch(ctx, s, 10 * GO_SECOND, buf, sizeof buf);
	CL_EXPECT_MSG(rc == 0, "fetch returned %d, expected 0: nobody cancelled and the timeout was 10 s", rc);
	CL_EXPECT_STR(buf, short_record);
	CL_EXPECT_MSG(!go_atomic_bool_load(&s->cancelled),
		      "the store was told to stop although the fetch finished: cancel only a fetch you give up on");
	go_ctx_free(ctx);
	spy_free(s);
}

/* A 400 ms fetch that the caller cancels after 50 ms. */
static int cancelled_fetch(struct store *s, int64_t *late)
{
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	struct canceller c;
	int rc;

	cancel_in(&c, ctx, CANCEL_AT);
	rc = fetch(ctx, s, 10 * GO_SECOND, buf, sizeof buf);
	*late = go_now();
	go_waitgroup_wait(&c.wg);
	*late -= c.at;
	go_ctx_free(ctx);
	return rc;
}

CL_TEST(a_cancelled_fetch_returns_promptly) {
	struct store *s = spy_new(long_record, PIECE);
	int64_t late;
	int rc = cancelled_fetch(s, &late);

	CL_EXPECT_MSG(late <= cl_scaled(50 * GO_MILLISECOND),
		      "the caller cancelled 50 ms into a 400 ms fetch, and fetch returned %.0f ms later: it should "
		      "return as soon as ctx is cancelled", (double)late / 1e6);
	CL_EXPECT_MSG(rc == GO_ECANCELED, "fetch returned %d after the caller cancelled, expected GO_ECANCELED (%d)%s",
		      rc, GO_ECANCELED, rc == GO_ETIMEDOUT ? ": GO_ETIMEDOUT is for a deadline that passed" : "");
	CL_LOG("fetch returned %.1f ms after the cancel", (double)late / 1e6);
	spy_free(s);
}

CL_TEST(the_store_is_told_to_stop) {
	struct store *s = spy_new(long_record, PIECE);
	int64_t late;
	int fetching;

	cancelled_fetch(s, &late);
	fetching = go_atomic_int32_load(&s->fetching);
	CL_EXPECT_MSG(go_atomic_bool_load(&s->cancelled),
		      "the store was not told to stop: it handed out %d of its 40 pieces, though the caller cancelled "
		      "after 50 ms; call store_cancel when you give up", go_atomic_int32_load(&s->pieces));
	CL_EXPECT_MSG(fetching == 0, "fetch returned while store_fetch was still running, writing into the caller's "
		      "buffer: wait for it to stop (it stops at once once told)");
	spy_free(s);
}

CL_TEST(a_fetch_that_runs_out_of_time_times_out) {
	struct store *s = spy_new(long_record, PIECE);
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	int64_t t0 = go_now(), took;
	int rc;

	rc = fetch(ctx, s, 50 * GO_MILLISECOND, buf, sizeof buf);
	took = go_now() - t0;
	CL_EXPECT_MSG(rc == GO_ETIMEDOUT, "fetch returned %d with a 50 ms timeout on a 400 ms fetch, expected "
		      "GO_ETIMEDOUT (%d)%s", rc, GO_ETIMEDOUT,
		      rc == GO_ECANCELED ? ": nobody cancelled, the time ran out" :
		      rc == GO_EDEADLINE ? ": GO_EDEADLINE is the context's word for it; fetch's contract says "
					   "GO_ETIMEDOUT" : "");
	CL_EXPECT_MSG(took >= 49 * GO_MILLISECOND && took <= 50 * GO_MILLISECOND + cl_scaled(50 * GO_MILLISECOND),
		      "with a 50 ms timeout, fetch returned after %.0f ms", (double)took / 1e6);
	CL_EXPECT_MSG(go_atomic_bool_load(&s->cancelled), "the store was not told to stop when the time ran out");
	go_ctx_free(ctx);
	spy_free(s);
}

CL_TEST(the_callers_deadline_counts_too) {
	struct store *s = spy_new(long_record, PIECE);
	go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), 50 * GO_MILLISECOND);
	int64_t t0 = go_now(), took;
	int rc;

	rc = fetch(ctx, s, 10 * GO_SECOND, buf, sizeof buf);
	took = go_now() - t0;
	CL_EXPECT_MSG(rc == GO_ETIMEDOUT, "the caller's context had a 50 ms deadline and fetch returned %d, expected "
		      "GO_ETIMEDOUT (%d): a deadline that passed, whoever set it", rc, GO_ETIMEDOUT);
	CL_EXPECT_MSG(took <= 50 * GO_MILLISECOND + cl_scaled(50 * GO_MILLISECOND),
		      "the caller's deadline was 50 ms away and fetch returned after %.0f ms", (double)took / 1e6);
	go_ctx_free(ctx);
	spy_free(s);
}

CL_TEST(a_context_cancelled_already_returns_at_once) {
	struct store *s = spy_new(long_record, PIECE);
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	int64_t t0, took;
	int rc;

	go_ctx_cancel(ctx);
	t0 = go_now();
	rc = fetch(ctx, s, 10 * GO_SECOND, buf, sizeof buf);
	took = go_now() - t0;
	CL_EXPECT_MSG(rc == GO_ECANCELED, "fetch with a context cancelled already returned %d, expected GO_ECANCELED (%d)",
		      rc, GO_ECANCELED);
	CL_EXPECT_MSG(took <= cl_scaled(50 * GO_MILLISECOND), "fetch with a context cancelled already took %.0f ms",
		      (double)took / 1e6);
	go_ctx_free(ctx);
	spy_free(s);
}

/* Thirty short fetches in a row, every other one cancelled by its caller. */
CL_TEST(thirty_fetches_leave_nothing_behind) {
	for (int i = 0; i < 30; i++) {
		struct store *s = spy_new(long_record, PIECE);
		go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
		struct canceller c;
			int rc, want = i % 2 ? GO_ECANCELED : GO_ETIMEDOUT;

		if (i % 2)
			cancel_in(&c, ctx, 5 * GO_MILLISECOND);
		rc = fetch(ctx, s, i % 2 ? 10 * GO_SECOND : 5 * GO_MILLISECOND, buf, sizeof buf);
		if (i % 2)
			go_waitgroup_wait(&c.wg);
		CL_EXPECT_MSG(rc == want, "fetch %d returned %d, expected %s (%d)", i, rc,
			      want == GO_ECANCELED ? "GO_ECANCELED" : "GO_ETIMEDOUT", want);
		CL_EXPECT_MSG(go_atomic_bool_load(&s->cancelled), "fetch %d gave up without telling the store to stop", i);
		CL_EXPECT_MSG(go_atomic_int32_load(&s->fetching) == 0,
			      "fetch %d returned while store_fetch was still running, writing into the caller's buffer", i);
		go_ctx_free(ctx);
		spy_free(s);
		if (cl_failed)
			break;
	}
}

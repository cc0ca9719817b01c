/* leaks_test.c: instructor tests for leak-hunt, one process per case.
 * After every case the runtime's leak check lists the goroutines still
 * alive; the cases also check that each function does its job, and that
 * what it started has stopped by the time it returns. The backend is a
 * spy: it counts the steps it runs and the steps in progress. */
#include <chanlab_test.h>

#include "leaks.h"

/* --- the backend ---------------------------------------------------- */

static go_atomic_int64 steps;           /* steps finished */
static go_atomic_int64 in_step;         /* steps in progress */

void backend_step(const char *key, int i, char *out, size_t cap)
{
	go_atomic_int64_add(&in_step, 1);
	go_sleep(2 * GO_MILLISECOND);
	if (i == BACKEND_STEPS - 1)
		snprintf(out, cap, "value of %s", key);
	go_atomic_int64_add(&steps, 1);
	go_atomic_int64_add(&in_step, -1);
}

/* --- first_match ---------------------------------------------------- */

enum { N = 20000 };

static int *numbers(int n)
{
	int *xs = malloc((size_t)n * sizeof(*xs));

	for (int i = 0; i < n; i++)
		xs[i] = i;
	return xs;
}

CL_TEST(first_match_finds_what_is_there) {
	static const int workers[] = { 1, 4, 16 };
	static const int wants[] = { 0, N / 2, N - 1, -5 };
	int *xs = numbers(N);

	for (size_t w = 0; w < sizeof(workers) / sizeof(workers[0]); w++)
		for (size_t k = 0; k < sizeof(wants) / sizeof(wants[0]); k++) {
			int want = wants[k], got = first_match(xs, N, want, workers[w]);

			CL_EXPECT_MSG(got == (want < 0 ? -1 : want),
				      "first_match(want %d, %d workers) returned %d, expected %d", want,
				      workers[w], got, want < 0 ? -1 : want);
		}
	free(xs);
}

/* Every searcher finds a match, so all but the first have an answer that
 * nobody needs: the case for a searcher with nowhere to send. */
CL_TEST(first_match_leaves_no_searcher_behind) {
	int *xs = malloc(N * sizeof(*xs));

	for (int i = 0; i < N; i++)
		xs[i] = 7;
	for (int call = 0; call < 20; call++) {
		int got = first_match(xs, N, 7, 8);

		CL_EXPECT_MSG(got >= 0 && got < N, "first_match returned %d for a 7 in every place", got);
	}
	free(xs);
}

/* --- watcher -------------------------------------------------------- */

struct seen {
	int n;                  /* updates applied so far */
	bool in_order;
	int slow_on;            /* apply takes 100 ms over this update */
	go_atomic_bool applying;
};

static void apply(int update, void *payload)
{
	struct seen *s = payload;

	go_atomic_bool_store(&s->applying, true);
	if (update == s->slow_on)
		go_sleep(100 * GO_MILLISECOND);
	if (update != s->n + 1)
		s->in_order = false;
	s->n++;
	go_atomic_bool_store(&s->applying, false);
}

CL_TEST(the_watcher_applies_every_update_in_order) {
	struct seen s = { 0, true, -1, false };
	struct watcher *w = watch_start(apply, &s);

	for (int u = 1; u <= 1000; u++)
		watch_push(w, u);
	watch_stop(w);
	CL_EXPECT_MSG(s.n == 1000, "1000 updates pushed, %d applied when watch_stop returned", s.n);
	CL_EXPECT_MSG(s.in_order, "the updates were not applied in the order they were pushed");
}

/* The last update takes 100 ms to apply: watch_stop must wait for it. */
CL_TEST(watch_stop_waits_for_the_last_update) {
	struct seen s = { 0, true, 10, false };
	struct watcher *w = watch_start(apply, &s);
	int n;

	for (int u = 1; u <= 10; u++)
		watch_push(w, u);
	watch_stop(w);
	n = s.n;
	CL_EXPECT_MSG(n == 10 && !go_atomic_bool_load(&s.applying),
		      "when watch_stop returned, %d of 10 updates were applied%s: it must wait until the watcher "
		      "has finished", n, go_atomic_bool_load(&s.applying) ? " and apply was still running" : "");
	if (n != 10 || go_atomic_bool_load(&s.applying))
		go_sleep(200 * GO_MILLISECOND);   /* let it finish with s before s goes */
}

/* --- fetch ---------------------------------------------------------- */

CL_TEST(fetch_returns_the_value) {
	char out[VALUE_MAX] = "";
	int err = fetch(go_ctx_background(), "k1", out, sizeof(out));

	CL_EXPECT_MSG(err == 0, "fetch with a context that is never done returned %d (%s)", err, go_strerror(err));
	CL_EXPECT_STR(out, "value of k1");
	CL_EXPECT_MSG(go_atomic_int64_load(&steps) == BACKEND_STEPS, "the lookup ran %lld steps of %d",
		      (long long)go_atomic_int64_load(&steps), BACKEND_STEPS);
}

/* Runs fetch with ctx, and checks what it returned, how long it took and
 * how many steps the lookup ran (at 2 ms a step, about 10 in 20 ms). */
static void fetch_until_done(go_ctx *ctx, int want, int64_t after)
{
	char out[VALUE_MAX] = "";
	int64_t t0 = go_now(), took, ran;
	int err;

	go_atomic_int64_store(&steps, 0);
	err = fetch(ctx, "k2", out, sizeof(out));
	took = go_now() - t0;
	ran = go_atomic_int64_load(&steps);
	CL_EXPECT_MSG(err == want, "fetch returned %d (%s), expected %d (%s)", err, go_strerror(err), want,
		      go_strerror(want));
	CL_EXPECT_MSG(ran <= 30, "the lookup ran %lld of its %d steps (2 ms each) although the context was done "
		      "after %lld ms: nobody told it to stop", (long long)ran, BACKEND_STEPS,
		      (long long)(after / GO_MILLISECOND));
	CL_EXPECT_MSG(took <= after + cl_scaled(100 * GO_MILLISECOND),
		      "fetch returned %.0f ms after the context was done", (double)(took - after) / 1e6);
	CL_LOG("fetch returned after %.1f ms, %lld backend steps", (double)took / 1e6, (long long)ran);
}

CL_TEST(fetch_gives_up_at_the_deadline) {
	go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), 20 * GO_MILLISECOND);

	fetch_until_done(ctx, GO_EDEADLINE, 20 * GO_MILLISECOND);
	go_ctx_free(ctx);
}

static void cancel(void *arg)
{
	go_ctx_cancel((go_ctx *)arg);
}

CL_TEST(fetch_gives_up_when_cancelled) {
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	go_timer *t = go_timer_func(15 * GO_MILLISECOND, cancel, ctx);

	fetch_until_done(ctx, GO_ECANCELED, 15 * GO_MILLISECOND);
	go_timer_free(t);
	go_ctx_free(ctx);
}

/* After fetch returns, no backend step runs for it any more. */
CL_TEST(the_lookup_has_stopped_when_fetch_returns) {
	int late = 0;
	int64_t extra = 0;

	for (int k = 0; k < 5; k++) {
		go_ctx *ctx = go_ctx_with_timeout(go_ctx_background(), (5 + 2 * k) * GO_MILLISECOND);
		char out[VALUE_MAX];
		int64_t busy, before;

		fetch(ctx, "k3", out, sizeof(out));
		busy = go_atomic_int64_load(&in_step);
		before = go_atomic_int64_load(&steps);
		go_sleep(30 * GO_MILLISECOND);
		if (busy != 0 || go_atomic_int64_load(&steps) != before) {
			late++;
			extra += go_atomic_int64_load(&steps) - before;
			go_sleep(300 * GO_MILLISECOND);   /* let it finish with ctx before ctx goes */
		}
		go_ctx_free(ctx);
	}
	CL_EXPECT_MSG(late == 0, "%d of 5 fetches returned while their lookup was still running: %lld backend "
		      "steps ran after they returned", late, (long long)extra);
}

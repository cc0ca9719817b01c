/* racer_test.c: instructor tests for first-response-wins, one process per
 * case. A fake call either answers at once or waits at a gate the test
 * opens once racer_race has returned, so "the race did not wait for the
 * slower call" is decided by order, not by a stopwatch. A slow call that
 * is never let through gives up after SLOW (scaled) and says so. After
 * every case the harness waits for both calls to have returned; the leak
 * check then finds any runner that could not hand in its answer. */
#include <chanlab_test.h>

#include "racer.h"

#define SLOW (100 * GO_MILLISECOND)     /* how long a gated call waits at most */

struct fake {
	int answer;
	go_chan *gate;          /* NULL: answers at once; else waits for it to close */
	go_atomic_bool gave_up; /* the gate never opened: the call ran its full time */
	go_waitgroup *done;     /* the test waits here for every call to return */
};

static int fake_call(void *arg)
{
	struct fake *f = arg;
	int answer = f->answer;

	if (f->gate && go_recv_until(f->gate, NULL, NULL, go_now() + cl_scaled(SLOW)) == GO_ETIMEDOUT)
		go_atomic_bool_store(&f->gave_up, true);
	go_waitgroup_done(f->done);     /* f may be gone after this */
	return answer;
}

static void fake_init(struct fake *f, int answer, bool slow, go_waitgroup *done)
{
	f->answer = answer;
	f->gate = slow ? go_chan_make(1, 0) : NULL;
	go_atomic_bool_store(&f->gave_up, false);
	f->done = done;
	go_waitgroup_add(done, 1);
}

/* Lets the slow calls through, waits until both calls returned. */
static void finish(struct fake *a, struct fake *b, go_waitgroup *done)
{
	if (a->gate)
		go_close(a->gate);
	if (b->gate)
		go_close(b->gate);
	go_waitgroup_wait(done);
	go_chan_free(a->gate);
	go_chan_free(b->gate);
}

/* One fast and one slow call: the fast one must win, at once. */
static void fast_beats_slow(int fast)
{
	go_waitgroup done = GO_WAITGROUP_INIT;
	struct fake f[2];
	int winner = -1, answer = -1, rc;

	fake_init(&f[0], 7, fast != 0, &done);
	fake_init(&f[1], 9, fast != 1, &done);
	rc = racer_race((struct racer_call){ fake_call, &f[0] }, (struct racer_call){ fake_call, &f[1] },
			10 * GO_SECOND, &winner, &answer);
	CL_EXPECT_MSG(!go_atomic_bool_load(&f[1 - fast].gave_up),
		      "racer_race did not return until the slower call had run its full %.0f ms: the faster call "
		      "answered at once, and its answer is all the race needs", (double)cl_scaled(SLOW) / 1e6);
	CL_EXPECT_MSG(rc == 0, "racer_race returned %d, expected 0: call %c answered at once and the timeout was 10 s",
		      rc, "ab"[fast]);
	CL_EXPECT_MSG(winner == fast && answer == f[fast].answer,
		      "the winner is %d with answer %d; call %c (winner %d) answered %d at once, call %c was slow",
		      winner, answer, "ab"[fast], fast, f[fast].answer, "ab"[1 - fast]);
	finish(&f[0], &f[1], &done);
}

CL_TEST(the_faster_call_wins) {
	fast_beats_slow(0);
}

CL_TEST(either_call_can_win) {
	fast_beats_slow(1);
}

CL_TEST(two_slow_calls_time_out_at_the_deadline) {
	go_waitgroup done = GO_WAITGROUP_INIT;
	struct fake f[2];
	int winner = -1, answer = -1, rc;
	int64_t t0, took, timeout = 50 * GO_MILLISECOND;

	fake_init(&f[0], 7, true, &done);
	fake_init(&f[1], 9, true, &done);
	t0 = go_now();
	rc = racer_race((struct racer_call){ fake_call, &f[0] }, (struct racer_call){ fake_call, &f[1] },
			timeout, &winner, &answer);
	took = go_now() - t0;
	CL_EXPECT_MSG(rc == GO_ETIMEDOUT, "racer_race returned %d, expected GO_ETIMEDOUT (%d): neither call answered "
		      "within the 50 ms timeout", rc, GO_ETIMEDOUT);
	CL_EXPECT_MSG(winner == -1 && answer == -1, "a race that timed out set *winner to %d and *answer to %d: "
		      "leave them alone when nobody won", winner, answer);
	CL_EXPECT_MSG(took >= timeout - GO_MILLISECOND, "racer_race gave up after %.1f ms: the timeout was 50 ms",
		      (double)took / 1e6);
	CL_EXPECT_MSG(took <= timeout + cl_scaled(150 * GO_MILLISECOND),
		      "racer_race returned %.0f ms after it started: the timeout was 50 ms", (double)took / 1e6);
	finish(&f[0], &f[1], &done);
	CL_LOG("timed out after %.1f ms (the timeout: 50 ms)", (double)took / 1e6);
}

/* The timeout is short: a timer the race does not stop fires soon after,
 * into a channel nobody holds any more (LeakSanitizer reports it). */
CL_TEST(a_quick_answer_stops_its_timer) {
	go_waitgroup done = GO_WAITGROUP_INIT;
	struct fake f[2];
	int winner = -1, answer = -1, rc;
	int64_t timeout = cl_scaled(30 * GO_MILLISECOND), deadline = go_now() + timeout;

	fake_init(&f[0], 7, false, &done);
	fake_init(&f[1], 9, true, &done);
	rc = racer_race((struct racer_call){ fake_call, &f[0] }, (struct racer_call){ fake_call, &f[1] },
			timeout, &winner, &answer);
	CL_EXPECT_MSG(rc == 0 && winner == 0 && answer == 7,
		      "racer_race returned %d with winner %d and answer %d; call a answered 7 at once", rc, winner,
		      answer);
	go_sleep(deadline - go_now() + 30 * GO_MILLISECOND);   /* the timer is due before we wake */
	finish(&f[0], &f[1], &done);
}

/* Many races in a row, each loser let through after its race. */
CL_TEST(a_hundred_races_leave_nothing_behind) {
	for (int i = 0; i < 100; i++) {
		go_waitgroup done = GO_WAITGROUP_INIT;
		struct fake f[2];
		int fast = i % 2, winner = -1, answer = -1, rc;

		fake_init(&f[0], 2 * i, fast != 0, &done);
		fake_init(&f[1], 2 * i + 1, fast != 1, &done);
		rc = racer_race((struct racer_call){ fake_call, &f[0] }, (struct racer_call){ fake_call, &f[1] },
				10 * GO_SECOND, &winner, &answer);
		CL_EXPECT_MSG(!go_atomic_bool_load(&f[1 - fast].gave_up),
			      "race %d did not return until the slower call had run its full time", i);
		CL_EXPECT_MSG(rc == 0 && winner == fast && answer == f[fast].answer,
			      "race %d: racer_race returned %d with winner %d and answer %d; call %c answered %d at once",
			      i, rc, winner, answer, "ab"[fast], f[fast].answer);
		finish(&f[0], &f[1], &done);
		if (cl_failed)
			break;
	}
}

/* sessions_test.c: instructor tests for session-cleaner, one process each.
 *
 * The main pass runs under deterministic schedules, so time is virtual: ten
 * minutes of traffic take milliseconds, and the bytes the store still holds
 * (cl_inuse, counted by the harness's malloc wrappers) are exact. The ASan
 * and TSan passes run the cases that say so below on real threads and a
 * real clock: LeakSanitizer sees a session nobody freed, ThreadSanitizer
 * an eviction that does not take the lock. After every case the runtime's
 * leak check looks for a cleaner still running. */
#include <chanlab_test.h>

#include "sessions.h"

/* Cases that sleep for simulated minutes run only on virtual time (under
 * a deterministic schedule, as the main pass is); on a real clock (the
 * sanitizer passes) they pass with a note. */
#define VIRTUAL_TIME_ONLY()                                                     \
	do {                                                                    \
		if (!cl_virtual_time()) {                                       \
			CL_LOG("not run: this case needs virtual time");         \
			return;                                                 \
		}                                                               \
	} while (0)

/* --- ten minutes of traffic ----------------------------------------- */

enum {
	MINUTES = 10,
	PER_SECOND = 5,                         /* new sessions each second */
	TOTAL = MINUTES * 60 * PER_SECOND,
	MAX_USE = 45,                           /* a session is used for 1..MAX_USE s, */
	USE_EVERY = 5,                          /* once every USE_EVERY s, */
	TTL = 30,                               /* then forgotten: gone TTL s later */
};

struct visit {
	uint64_t id;
	int born, use;                          /* seconds: created at born, used until born + use */
};

static struct visit visits[TOTAL];

/* The most sessions alive at once when idle ones go within a tick of the
 * TTL, and what they may hold with room for headers and the map; and room
 * for what the runtime allocates meanwhile (goroutines, timers), which
 * cl_inuse counts too. */
#define LIVE_MAX (PER_SECOND * (MAX_USE + TTL + 2))
#define RUNTIME_ROOM (256L << 10)
#define BYTES_MAX ((long)LIVE_MAX * (SESSION_DATA + 256) + RUNTIME_ROOM)

CL_TEST(ten_minutes_of_traffic_hold_only_the_live_sessions) {
	long base, end, peak;
	struct sessions *s;
	int n = 0, lost = 0, kept = 0;

	VIRTUAL_TIME_ONLY();
	base = cl_inuse();
	cl_inuse_reset_peak();
	s = sessions_new(TTL * GO_SECOND, GO_SECOND);
	for (int t = 0; t < MINUTES * 60; t++) {
		for (int k = 0; k < PER_SECOND; k++, n++) {
			visits[n].id = sessions_create(s, "gopher");
			visits[n].born = t;
			visits[n].use = 1 + (n * 7) % MAX_USE;
		}
		/* every session still in use is used again, every USE_EVERY s */
		for (int i = 0; i < n; i++) {
			if (t <= visits[i].born || t > visits[i].born + visits[i].use ||
			    (t - visits[i].born) % USE_EVERY != 0)
				continue;
			if (!sessions_touch(s, visits[i].id) && ++lost <= 3)
				CL_EXPECT_MSG(false, "at %d s, session %d (created at %d s, last used at %d s) "
					      "was gone: it was idle %d s, the TTL is %d s",
					      t, i, visits[i].born, t - USE_EVERY, USE_EVERY, TTL);
		}
		go_sleep(GO_SECOND);
	}
	end = cl_inuse() - base;
	peak = cl_inuse_peak() - base;
	/* whatever was forgotten more than TTL + a tick ago must be gone */
	for (int i = 0; i < n; i++)
		if (visits[i].born + visits[i].use + TTL + 2 < MINUTES * 60 && sessions_touch(s, visits[i].id))
			kept++;
	CL_EXPECT_MSG(kept == 0, "%d sessions last used more than %d s ago were still there "
		      "after ten minutes", kept, TTL + 2);
	CL_EXPECT_MSG(end <= BYTES_MAX, "after ten minutes the store held %ld KiB for its %zu sessions; "
		      "the live ones need at most %ld KiB: it keeps sessions nobody uses",
		      end / 1024, sessions_len(s), BYTES_MAX / 1024);
	CL_EXPECT_MSG(peak <= BYTES_MAX, "the store held up to %ld KiB during the ten minutes; "
		      "the live sessions need at most %ld KiB", peak / 1024, BYTES_MAX / 1024);
	CL_LOG("%d sessions in ten minutes: %zu left, %ld KiB held at the end, %ld KiB at most",
	       n, sessions_len(s), end / 1024, peak / 1024);
	sessions_close(s);
}

/* --- what a store must do -------------------------------------------- */

CL_TEST(a_session_used_within_the_ttl_is_kept) {
	struct sessions *s;
	uint64_t id;

	VIRTUAL_TIME_ONLY();
	s = sessions_new(10 * GO_SECOND, GO_SECOND);
	id = sessions_create(s, "alice");
	CL_EXPECT(id != 0);
	for (int i = 0; i < 60; i++) {
		go_sleep(5 * GO_SECOND);
		if (!sessions_touch(s, id)) {
			CL_EXPECT_MSG(false, "a session used every 5 s was gone after %d s (the TTL is 10 s)",
				      5 * (i + 1));
			break;
		}
	}
	CL_EXPECT_INT(sessions_len(s), 1);
	sessions_close(s);
}

CL_TEST(touching_refreshes_a_session) {
	struct sessions *s;
	uint64_t used, idle;

	VIRTUAL_TIME_ONLY();
	s = sessions_new(10 * GO_SECOND, GO_SECOND);
	used = sessions_create(s, "alice");
	idle = sessions_create(s, "bob");
	CL_EXPECT(used != idle);
	go_sleep(8 * GO_SECOND);
	CL_EXPECT_MSG(sessions_touch(s, used), "a session used 8 s ago was gone (the TTL is 10 s)");
	go_sleep(8 * GO_SECOND);
	CL_EXPECT_MSG(sessions_touch(s, used), "a session created 16 s ago and used 8 s ago was gone: "
		      "a session lives TTL after its last use, not after its creation");
	CL_EXPECT_MSG(!sessions_touch(s, idle), "a session created 16 s ago and never used since "
		      "was still there (the TTL is 10 s)");
	CL_EXPECT_INT(sessions_len(s), 1);
	sessions_close(s);
}

CL_TEST(an_unknown_id_is_not_found) {
	struct sessions *s = sessions_new(10 * GO_SECOND, GO_SECOND);
	uint64_t id = sessions_create(s, "alice");

	CL_EXPECT(!sessions_touch(s, id + 1000));
	CL_EXPECT_INT(sessions_len(s), 1);
	sessions_close(s);
}

/* Also on a real clock (the ASan pass): every session is evicted within a
 * few ticks of its TTL, and LeakSanitizer sees any it did not free. */
CL_TEST(idle_sessions_are_evicted) {
	int64_t ttl = cl_scaled(20 * GO_MILLISECOND), every = ttl / 4;
	struct sessions *s = sessions_new(ttl, every);
	int64_t start = go_now(), deadline = start + ttl + cl_scaled(300 * GO_MILLISECOND);
	uint64_t ids[200];
	int found = 0;

	for (int i = 0; i < 200; i++)
		ids[i] = sessions_create(s, "carol");
	while (sessions_len(s) > 0 && go_now() < deadline)
		go_sleep(every);
	CL_EXPECT_MSG(sessions_len(s) == 0, "%zu of 200 idle sessions were still there %lld ms "
		      "after their last use (the TTL is %lld ms)", sessions_len(s),
		      (long long)((go_now() - start) / GO_MILLISECOND), (long long)(ttl / GO_MILLISECOND));
	for (int i = 0; i < 200; i++)
		found += sessions_touch(s, ids[i]);
	CL_EXPECT_MSG(found == 0, "%d evicted ids were found again", found);
	sessions_close(s);
}

/* The cleaner evicts while four clients create and use sessions: also on
 * real threads (the TSan pass). */
struct client {
	struct sessions *s;
	go_waitgroup *wg;
};

static void client(void *arg)
{
	struct client *c = arg;
	uint64_t ids[8];

	for (int round = 0; round < 40; round++) {
		for (int k = 0; k < 8; k++)
			ids[k] = sessions_create(c->s, "dave");
		for (int k = 0; k < 8; k++)
			sessions_touch(c->s, ids[(k * 3) % 8]);
		go_sleep(GO_MILLISECOND / 2);
	}
	go_waitgroup_done(c->wg);
}

CL_TEST(the_cleaner_works_beside_the_clients) {
	struct sessions *s = sessions_new(2 * GO_MILLISECOND, GO_MILLISECOND / 2);
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct client c = { s, &wg };

	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(client, &c);
	go_waitgroup_wait(&wg);
	CL_LOG("%zu of 1280 sessions left when the clients were done", sessions_len(s));
	sessions_close(s);
}

/* Also on a real clock (the ASan pass). */
CL_TEST(close_leaves_nothing_behind) {
	long base = cl_inuse();
	struct sessions *s = sessions_new(GO_SECOND, 10 * GO_MILLISECOND);

	for (int i = 0; i < 100; i++)
		sessions_create(s, "erin");
	go_sleep(35 * GO_MILLISECOND);          /* a few ticks, no eviction */
	CL_EXPECT_INT(sessions_len(s), 100);
	sessions_close(s);
	/* the runtime may keep a few hundred bytes of a goroutine that ended */
	CL_EXPECT_MSG(cl_inuse() - base <= 2048, "sessions_close left %ld bytes allocated",
		      cl_inuse() - base);
}

/* metrics_test.c: instructor tests for never-block-the-hot-path, one
 * process per case. An exporter goroutine takes events off the channel,
 * 1 ms each while it is "stalled" (a slow collector), at once otherwise;
 * the hot path emits as fast as it can. */
#include <chanlab_test.h>

#include "metrics.h"

enum { BUFFER = 64 };

static struct metrics m;
static go_atomic_bool stalled;
static go_atomic_int64 delivered;
static go_waitgroup exporter_done = GO_WAITGROUP_INIT;

static void exporter(void *arg)
{
	int64_t v;

	(void)arg;
	while (go_recv2(m.events, &v)) {
		if (go_atomic_bool_load(&stalled))
			go_sleep(GO_MILLISECOND);
		go_atomic_int64_add(&delivered, 1);
	}
	go_waitgroup_done(&exporter_done);
}

static void start(bool stall)
{
	m.events = go_chan_make(sizeof(int64_t), BUFFER);
	go_atomic_bool_store(&stalled, stall);
	go_waitgroup_add(&exporter_done, 1);
	go_spawn(exporter, NULL);
}

/* Lets the exporter catch up, closes the channel and waits for it. */
static void finish(void)
{
	go_atomic_bool_store(&stalled, false);
	go_close(m.events);
	go_waitgroup_wait(&exporter_done);
	go_chan_free(m.events);
}

CL_TEST(events_reach_the_exporter) {
	start(false);
	for (int i = 0; i < 1000; i++) {
		metrics_emit(&m, i);
		if (i % 16 == 15) {
			/* room for the exporter to keep up: it has taken what was
			 * sent (however busy the machine), or it had its chance */
			int64_t until = go_now() + cl_scaled(50 * GO_MILLISECOND);

			while (go_chan_len(m.events) > 0 && go_now() < until)
				go_sleep(100 * GO_MICROSECOND);
		}
	}
	finish();
	CL_EXPECT_MSG(go_atomic_int64_load(&delivered) + metrics_dropped(&m) == 1000,
		      "1000 events emitted, %lld delivered and %lld counted as dropped: every event is delivered or "
		      "counted", (long long)go_atomic_int64_load(&delivered), (long long)metrics_dropped(&m));
	CL_EXPECT_MSG(go_atomic_int64_load(&delivered) >= 900,
		      "with an exporter that keeps up, only %lld of 1000 events were delivered",
		      (long long)go_atomic_int64_load(&delivered));
}

/* The hot path: emit n events, then say so. */
struct burst {
	int n;
	go_chan *done;
};

static void hot_path(void *arg)
{
	struct burst *b = arg;
	int one = 1;

	for (int i = 0; i < b->n; i++)
		metrics_emit(&m, i);
	go_send(b->done, &one);
}

CL_TEST(a_stalled_exporter_does_not_slow_the_hot_path) {
	struct burst b = { 100000, go_chan_make(sizeof(int), 1) };
	int64_t t0, took;
	int one;

	start(true);
	t0 = go_now();
	go_spawn(hot_path, &b);
	/* 100 000 events that do not wait take a few ms; ones that wait for
	 * a 1 ms exporter would take 100 s: give up on them after 1 s */
	if (go_recv_until(b.done, &one, NULL, t0 + cl_scaled(GO_SECOND)) == GO_OK) {
		took = go_now() - t0;
		CL_EXPECT_MSG(took <= cl_scaled(300 * GO_MILLISECOND),
			      "100000 events took %.0f ms to emit while the exporter was slow: metrics_emit waited for "
			      "it", (double)took / 1e6);
	} else {
		CL_EXPECT_MSG(false, "after %.1f s the hot path was still emitting its 100000 events: metrics_emit "
			      "waits for the exporter, which takes 1 ms an event", (double)(go_now() - t0) / 1e9);
		go_atomic_bool_store(&stalled, false);      /* let it finish */
		go_recv(b.done, &one);
	}
	finish();
	go_chan_free(b.done);
	CL_EXPECT_MSG(go_atomic_int64_load(&delivered) + metrics_dropped(&m) == 100000,
		      "100000 events emitted, %lld delivered and %lld counted as dropped: every event is delivered or "
		      "counted", (long long)go_atomic_int64_load(&delivered), (long long)metrics_dropped(&m));
	CL_LOG("%lld delivered, %lld dropped", (long long)go_atomic_int64_load(&delivered),
	       (long long)metrics_dropped(&m));
}

static void emitter(void *arg)
{
	go_waitgroup *wg = arg;

	for (int i = 0; i < 20000; i++)
		metrics_emit(&m, i);
	go_waitgroup_done(wg);
}

/* Ends the stall after 300 ms, so that code that waits for the exporter
 * fails this case on its count, not on a timeout. */
static void unstall_later(void *arg)
{
	go_sleep(300 * GO_MILLISECOND);
	go_atomic_bool_store(&stalled, false);
	go_waitgroup_done(arg);
}

CL_TEST(four_emitters_count_every_drop) {
	go_waitgroup wg = GO_WAITGROUP_INIT, later = GO_WAITGROUP_INIT;

	start(true);
	go_waitgroup_add(&later, 1);
	go_spawn(unstall_later, &later);
	go_waitgroup_add(&wg, 4);
	for (int i = 0; i < 4; i++)
		go_spawn(emitter, &wg);
	go_waitgroup_wait(&wg);
	go_waitgroup_wait(&later);
	finish();
	CL_EXPECT_MSG(go_atomic_int64_load(&delivered) + metrics_dropped(&m) == 80000,
		      "4 goroutines emitted 80000 events, %lld were delivered and %lld counted as dropped: drops "
		      "counted at once by several goroutines were lost", (long long)go_atomic_int64_load(&delivered),
		      (long long)metrics_dropped(&m));
}

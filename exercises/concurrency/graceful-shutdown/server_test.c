/* server_test.c: instructor tests for graceful-shutdown, one process per
 * case. The harness is the server's world: it sends requests (each send
 * waits for the server to take it, or gives up: refused), delivers
 * SIGINT on an unbuffered channel (so a server that does not listen is
 * found out) and does each request's work in request_handle. */
#include <chanlab_test.h>

#include "server.h"

#define ROLLBACK (50 * GO_MILLISECOND)
#define LONG (3 * GO_SECOND)   /* a request that must be cancelled */

void request_handle(struct request *r, go_ctx *ctx)
{
	atomic_store(&r->state, REQ_RUNNING);
	if (go_sleep_ctx(ctx, r->work) == GO_OK) {
		atomic_store(&r->state, REQ_DONE);
		return;
	}
	go_sleep(ROLLBACK);
	atomic_store(&r->state, REQ_CANCELLED);
}

/* A time bound that holds on a loaded machine (cl_scaled), but never
 * more than 2 s over d: a server that never answers fails the case with
 * a message, well before the case's own time limit. */
static int64_t bound(int64_t d)
{
	int64_t s = cl_scaled(d);

	return s < d + 2 * GO_SECOND ? s : d + 2 * GO_SECOND;
}

/* Requests live for the whole process: a server that returns while one
 * still runs must not make the harness free it under its handler. */
static struct request reqs[8];

struct run {
	struct server_cfg cfg;
	go_chan *ret;           /* int: what server_run returned */
};

static void serve(void *arg)
{
	struct run *run = arg;
	int st = server_run(&run->cfg);

	go_send(run->ret, &st);
}

static struct run *start(int64_t grace)
{
	static struct run run;

	run.cfg.requests = go_chan_make(sizeof(struct request *), 0);
	run.cfg.sigs = go_chan_make(sizeof(int), 0);
	run.cfg.grace = grace;
	run.ret = go_chan_make(sizeof(int), 1);
	if (!run.cfg.requests || !run.cfg.sigs || !run.ret)
		abort();
	go_spawn(serve, &run);
	return &run;
}

/* Sends reqs[i] with work w: whether the server took it within d. */
static bool send_request(struct run *run, int i, int64_t w, int64_t d)
{
	struct request *r = &reqs[i];

	r->work = w;
	atomic_store(&r->state, REQ_NEW);
	return go_send_until(run->cfg.requests, &r, go_now() + d) == GO_OK;
}

/* Delivers SIGINT: whether the server received it within d. */
static bool sigint(struct run *run, int64_t d)
{
	int sig = SIGINT;

	return go_send_until(run->cfg.sigs, &sig, go_now() + d) == GO_OK;
}

/* What server_run returned, or -1 if it had not within d. */
static int returned(struct run *run, int64_t d)
{
	int st;

	if (go_recv_until(run->ret, &st, NULL, go_now() + d) != GO_OK)
		return -1;
	return st;
}

/* Waits (a bounded time) for server_run to return, if it has not, so a
 * failed case does not also leave the server's goroutine behind. */
static void reap(struct run *run, int st)
{
	if (st < 0)
		(void)returned(run, LONG + bound(2000 * GO_MILLISECOND));
}

/* A failed expectation that ends the checks of this case (at out:). */
#define CHECK_OR_OUT(cond, ...) \
	do { \
		if (!(cond)) { \
			CL_EXPECT_MSG(0, __VA_ARGS__); \
			goto out; \
		} \
	} while (0)

static const char *state_name(int i)
{
	static const char *names[] = { "not started", "still running", "done", "cancelled" };

	return names[atomic_load(&reqs[i].state)];
}

CL_TEST(requests_are_served_until_the_first_sigint) {
	struct run *run = start(2 * GO_SECOND);
	int64_t until;
	int done = 0, st = -1;

	for (int i = 0; i < 5; i++)
		CHECK_OR_OUT(send_request(run, i, 10 * GO_MILLISECOND, bound(1000 * GO_MILLISECOND)),
			     "the server did not take request %d", i);
	until = go_now() + bound(2000 * GO_MILLISECOND);
	while (go_now() < until && done < 5) {
		go_sleep(5 * GO_MILLISECOND);
		done = 0;
		for (int i = 0; i < 5; i++)
			done += atomic_load(&reqs[i].state) == REQ_DONE;
	}
	CL_EXPECT_MSG(done == 5, "only %d of 5 requests of 10 ms each were done after 2 s", done);
	CHECK_OR_OUT(sigint(run, bound(1000 * GO_MILLISECOND)), "the server did not receive the SIGINT");
	st = returned(run, bound(500 * GO_MILLISECOND));
	CL_EXPECT_MSG(st == 0, "with nothing in flight, server_run should return 0 soon after the SIGINT; %s",
		      st < 0 ? "it had not returned after 500 ms" : "it returned 1");
out:
	reap(run, st);
}

CL_TEST(an_idle_server_stops_at_once) {
	struct run *run = start(LONG);
	int st = -1;

	CHECK_OR_OUT(sigint(run, bound(1000 * GO_MILLISECOND)), "the server did not receive the SIGINT");
	st = returned(run, bound(500 * GO_MILLISECOND));
	CL_EXPECT_MSG(st == 0, "an idle server should return 0 right after the SIGINT; %s",
		      st < 0 ? "it had not returned after 500 ms" : "it returned 1");
out:
	reap(run, st);
}

CL_TEST(in_flight_requests_finish_after_the_first_sigint) {
	struct run *run = start(LONG);
	int st = -1;

	for (int i = 0; i < 3; i++)
		CHECK_OR_OUT(send_request(run, i, 200 * GO_MILLISECOND, bound(1000 * GO_MILLISECOND)),
			     "the server did not take request %d", i);
	CHECK_OR_OUT(sigint(run, bound(1000 * GO_MILLISECOND)), "the server did not receive the SIGINT");
	st = returned(run, LONG + bound(1000 * GO_MILLISECOND));
	CHECK_OR_OUT(st >= 0, "3 requests of 200 ms were in flight at the SIGINT, and the grace period is 3 s: "
		     "server_run had not returned 4 s later");
	for (int i = 0; i < 3; i++)
		CL_EXPECT_MSG(atomic_load(&reqs[i].state) == REQ_DONE,
			      "request %d (200 ms of work, in flight at the SIGINT) was %s when server_run returned; "
			      "a request in flight must be allowed to finish", i, state_name(i));
	CL_EXPECT_MSG(st == 0, "every request finished, so server_run should return 0, not %d", st);
out:
	reap(run, st);
}

CL_TEST(new_requests_are_refused_after_the_first_sigint) {
	struct run *run = start(LONG);
	int st = -1;

	CHECK_OR_OUT(send_request(run, 0, 300 * GO_MILLISECOND, bound(1000 * GO_MILLISECOND)),
		     "the server did not take the first request");
	CHECK_OR_OUT(sigint(run, bound(1000 * GO_MILLISECOND)), "the server did not receive the SIGINT");
	CL_EXPECT_MSG(!send_request(run, 1, 10 * GO_MILLISECOND, 100 * GO_MILLISECOND),
		      "the server took a new request after the SIGINT; it must stop accepting at once");
	st = returned(run, LONG + bound(1000 * GO_MILLISECOND));
	CHECK_OR_OUT(st >= 0, "server_run had not returned 4 s after the SIGINT, with one request of 300 ms in flight");
	CL_EXPECT_MSG(atomic_load(&reqs[0].state) == REQ_DONE,
		      "the request in flight at the SIGINT (300 ms of work) was %s when server_run returned",
		      state_name(0));
	CL_EXPECT_MSG(st == 0, "every request accepted finished, so server_run should return 0, not %d", st);
out:
	reap(run, st);
}

CL_TEST(the_drain_stops_at_its_deadline) {
	int64_t grace = 200 * GO_MILLISECOND, t0, took;
	struct run *run = start(grace);
	int st = -1;

	CHECK_OR_OUT(send_request(run, 0, LONG, bound(1000 * GO_MILLISECOND)), "the server did not take the request");
	CHECK_OR_OUT(sigint(run, bound(1000 * GO_MILLISECOND)), "the server did not receive the SIGINT");
	t0 = go_now();
	st = returned(run, grace + ROLLBACK + bound(1000 * GO_MILLISECOND));
	took = go_now() - t0;
	CHECK_OR_OUT(st >= 0, "a request of 3 s was in flight and the grace period is 200 ms: server_run had not "
		     "returned %lld ms after the SIGINT", (long long)(took / GO_MILLISECOND));
	CL_EXPECT_MSG(took >= grace - 10 * GO_MILLISECOND,
		      "server_run returned %lld ms after the SIGINT, before the grace period of 200 ms was over",
		      (long long)(took / GO_MILLISECOND));
	CL_EXPECT_MSG(atomic_load(&reqs[0].state) == REQ_CANCELLED,
		      "the request of 3 s was %s when server_run returned; at the end of the grace period it "
		      "must be cancelled (its context), and server_run must wait for it to return",
		      state_name(0));
	CL_EXPECT_MSG(st == 1, "a request had to be cancelled, so server_run should return 1, not %d", st);
out:
	reap(run, st);
}

CL_TEST(a_second_sigint_stops_at_once) {
	struct run *run = start(LONG);
	int64_t t0, took;
	int st = -1;

	CHECK_OR_OUT(send_request(run, 0, LONG, bound(1000 * GO_MILLISECOND)), "the server did not take the request");
	CHECK_OR_OUT(sigint(run, bound(1000 * GO_MILLISECOND)), "the server did not receive the first SIGINT");
	go_sleep(20 * GO_MILLISECOND);
	CHECK_OR_OUT(sigint(run, bound(300 * GO_MILLISECOND)),
		     "the server did not receive a second SIGINT while it drained: it must keep listening for one");
	t0 = go_now();
	st = returned(run, ROLLBACK + bound(500 * GO_MILLISECOND));
	took = go_now() - t0;
	CHECK_OR_OUT(st >= 0, "server_run had not returned %lld ms after the second SIGINT; it must cancel what "
		     "still runs at once", (long long)(took / GO_MILLISECOND));
	CL_EXPECT_MSG(atomic_load(&reqs[0].state) == REQ_CANCELLED,
		      "the request in flight was %s when server_run returned; the second SIGINT must cancel it, "
		      "and server_run must wait for it to return", state_name(0));
	CL_EXPECT_MSG(st == 1, "a request had to be cancelled, so server_run should return 1, not %d", st);
out:
	reap(run, st);
}

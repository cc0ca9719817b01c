/* server_test.c: instructor tests for heartbeat-behind-a-lock, one
 * process per case. A heartbeat goroutine asks for the server's status
 * every 2 ms while requests of 64 MiB are handled on another P; the
 * harness records how long each status call waited. */
#include <chanlab_test.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

enum { MIB = 1 << 20 };

/* 64 MiB (about 65 ms of hashing) in the normal build; a quarter of it
 * under the sanitizers, which hash several times slower anyway. */
static size_t request_size(void)
{
	return strcmp(cl_flavour(), "normal") == 0 || strcmp(cl_flavour(), "debug") == 0 ? 64 * MIB : 16 * MIB;
}

static struct server srv = SERVER_INIT;
static uint8_t *request;
static uint64_t request_sum;   /* its checksum, computed once */
static go_atomic_bool done;
static int64_t worst_wait, beats, taken, shortest = INT64_MAX;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static uint64_t fnv(const uint8_t *b, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static uint8_t *make_bytes(size_t n)
{
	uint8_t *b = malloc(n);

	for (size_t i = 0; b && i < n; i++)
		b[i] = (uint8_t)(i * 2654435761u >> 24);
	return b;
}

static void make_request(void)
{
	request = make_bytes(request_size());
	if (request)
		request_sum = fnv(request, request_size());
}

CL_TEST(the_checksum_is_fnv1a) {
	static const uint8_t text[] = "a request";

	CL_EXPECT(server_handle(&srv, text, 9) == fnv(text, 9));
	CL_EXPECT(server_handle(&srv, text, 0) == 1469598103934665603ull);
	CL_EXPECT_INT(server_requests(&srv), 2);
	CL_EXPECT(srv.last_sum == 1469598103934665603ull);
}

/* Every 2 ms, the status: how long server_requests took is how long the
 * heartbeat waited for the server (the call itself takes nanoseconds). */
static void heartbeat(void *arg)
{
	(void)arg;
	while (!go_atomic_bool_load(&done)) {
		int64_t t0;

		go_sleep(2 * GO_MILLISECOND);
		/* was a request holding the lock as the beat came? (a question
		 * the machine's load cannot change the answer to) */
		if (go_mutex_trylock(&srv.mu))
			go_mutex_unlock(&srv.mu);
		else
			taken++;
		t0 = go_now();
		(void)server_requests(&srv);
		t0 = go_now() - t0;
		if (t0 > worst_wait)
			worst_wait = t0;
		beats++;
	}
	go_waitgroup_done(&wg);
}

static void handler(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		int64_t t0 = go_now(), took;

		CL_EXPECT(server_handle(&srv, request, request_size()) == request_sum);
		took = go_now() - t0;
		if (took < shortest)
			shortest = took;
	}
	go_atomic_bool_store(&done, true);
	go_waitgroup_done(&wg);
}

CL_TEST(the_heartbeat_keeps_time_while_requests_are_handled) {
	make_request();
	CL_ASSERT(request);
	go_waitgroup_add(&wg, 2);
	go_spawn(heartbeat, NULL);
	go_spawn(handler, NULL);
	go_waitgroup_wait(&wg);
	CL_EXPECT_INT(server_requests(&srv), 3);
	/* late because a request held the lock: beats found it taken (once a
	 * request: it then waits out the request) and waited long, past 10 ms
	 * (scaled for the flavour and the load) or past a quarter of the
	 * shortest request, whichever is less: the load that stretches the
	 * bound stretches the requests too, and a beat that waits for the
	 * lock waits out much of one (a loaded machine may delay a beat; it
	 * does not take the lock) */
	int64_t late = cl_scaled(10 * GO_MILLISECOND);

	if (shortest / 4 < late)
		late = shortest / 4;
	CL_EXPECT_MSG(!(worst_wait > late && taken >= 2),
		      "a heartbeat waited %.1f ms for server_requests, and %lld of %lld beats found the lock held by a "
		      "request: it waited for the lock while a request held it", (double)worst_wait / 1e6,
		      (long long)taken, (long long)beats);
	CL_LOG("%lld heartbeats, %lld found the lock taken; the longest waited %.2f ms for server_requests "
	       "(late past %.2f ms; the shortest request took %.1f ms)",
	       (long long)beats, (long long)taken, (double)worst_wait / 1e6, (double)late / 1e6, (double)shortest / 1e6);
	free(request);
}

/* One op: handle one 4 MiB request (about 4 ms: the benchmark's runs
 * are many and short, and start fast). */
CL_BENCH(handle_4m) {
	static uint8_t *small;

	cl_stop_timer(b);
	if (!small)
		small = make_bytes(4 * MIB);
	cl_start_timer(b);
	for (long k = 0; k < b->n && small; k++)
		server_handle(&srv, small, 4 * MIB);
}

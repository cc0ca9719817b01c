/* pool_test.c: instructor tests for worker-pool, one process each.
 *
 * work(job) takes about 0.3 ms (a sleep), answers job * job, and fails
 * with error 5 for every third job (job % 3 == 2); it
 * counts the jobs in flight and the most at once. report() checks it is
 * called from run_pool's goroutine and records every result.
 *
 * While failing_jobs_linger is set, a failing job also busy-waits about
 * 0.2 ms after its last synchronising operation before it returns: two
 * workers that fail at about the same time then run the code right after
 * work() side by side with nothing ordering them, so a shared counter
 * bumped there without a lock is a race ThreadSanitizer sees every run
 * (without the wait, the runtime's own locks order the two bumps on most
 * runs and the race goes unreported). Under TSan a failing job first
 * waits (up to 20 ms) for another failing job to be lingering too, with
 * relaxed atomics that order nothing: on a loaded machine a thread may be
 * off its core for the whole 0.2 ms, and the two bumps then meet anyway. */
#include <chanlab_test.h>

#include "pool.h"

#define MAXJOBS 512

static atomic_int in_flight, most_in_flight;
static int failing_jobs_linger;         /* set before run_pool, read by workers */
static atomic_int lingering;            /* failing jobs lingering now */

/* Spins for about us microseconds without touching shared memory. */
static void linger(int us)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000 + (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

int work(int job, long *value)
{
	int now = atomic_fetch_add(&in_flight, 1) + 1;
	int most = atomic_load(&most_in_flight);

	while (now > most && !atomic_compare_exchange_weak(&most_in_flight, &most, now))
		;
	go_sleep(300 * GO_MICROSECOND);
	atomic_fetch_sub(&in_flight, 1);
	if (job % 3 == 2) {
		if (failing_jobs_linger && strcmp(cl_flavour(), "tsan") == 0) {
			int64_t give_up = go_now() + 20 * GO_MILLISECOND;

			atomic_fetch_add_explicit(&lingering, 1, memory_order_relaxed);
			for (long i = 1; atomic_load_explicit(&lingering, memory_order_relaxed) < 2; i++)
				if (i % 4096 == 0 && go_now() > give_up)
					break;
			linger(200);
			atomic_fetch_sub_explicit(&lingering, 1, memory_order_relaxed);
		} else if (failing_jobs_linger) {
			linger(200);
		}
		return 5;
	}
	*value = (long)job * job;
	return 0;
}

struct record {
	uint64_t caller;        /* go_id() of run_pool's caller */
	int seen[MAXJOBS];
	int wrong_value, wrong_err, wrong_goroutine, unknown;
};

static void report(void *arg, const struct result *r)
{
	struct record *rec = arg;

	if (go_id() != rec->caller)
		rec->wrong_goroutine++;
	if (r->job < 0 || r->job >= MAXJOBS) {
		rec->unknown++;
		return;
	}
	rec->seen[r->job]++;
	if (r->err != (r->job % 3 == 2 ? 5 : 0))
		rec->wrong_err++;
	else if (r->err == 0 && r->value != (long)r->job * r->job)
		rec->wrong_value++;
}

/* Runs n jobs first, first + step, ... on `workers` workers and checks
 * every report. */
static void pool_jobs_and_expect(int n, int workers, int first, int step)
{
	static int jobs[MAXJOBS];
	static struct record rec;
	int failed, want_failed = 0, missing = 0, twice = 0;

	memset(&rec, 0, sizeof(rec));
	rec.caller = go_id();
	for (int i = 0; i < n; i++) {
		jobs[i] = first + step * i;
		want_failed += jobs[i] % 3 == 2;
	}
	failed = run_pool(jobs, n, workers, report, &rec);
	for (int i = 0; i < n; i++) {
		missing += rec.seen[jobs[i]] == 0;
		twice += rec.seen[jobs[i]] > 1;
	}
	CL_EXPECT_MSG(missing == 0 && twice == 0 && rec.unknown == 0,
		      "of %d jobs, %d were never reported, %d more than once, and %d reports named no job",
		      n, missing, twice, rec.unknown);
	CL_EXPECT_MSG(rec.wrong_value == 0 && rec.wrong_err == 0,
		      "%d reports had a wrong value and %d a wrong error", rec.wrong_value, rec.wrong_err);
	CL_EXPECT_MSG(rec.wrong_goroutine == 0,
		      "report was called %d times from a worker: call it only from run_pool's goroutine",
		      rec.wrong_goroutine);
	CL_EXPECT_MSG(failed == want_failed, "run_pool returned %d failed jobs, expected %d", failed, want_failed);
	CL_EXPECT_MSG(atomic_load(&most_in_flight) <= workers,
		      "%d jobs ran at the same moment with %d workers", atomic_load(&most_in_flight), workers);
}

/* Runs n jobs 0..n-1 on `workers` workers and checks every report. */
static void pool_and_expect(int n, int workers)
{
	pool_jobs_and_expect(n, workers, 0, 1);
}

CL_TEST(no_jobs_report_nothing) {
	pool_and_expect(0, 3);
}

CL_TEST(every_job_is_reported_exactly_once) {
	pool_and_expect(200, 4);
}

CL_TEST(failed_jobs_are_reported_and_counted) {
	pool_and_expect(50, 2);
}

/* Only failing jobs (2, 5, 8, ...), four workers at once, each lingering
 * as it fails: see failing_jobs_linger above. */
CL_TEST(failures_at_the_same_moment_are_all_counted) {
	failing_jobs_linger = 1;
	pool_jobs_and_expect(150, 4, 2, 3);
}

CL_TEST(more_workers_than_jobs_is_fine) {
	pool_and_expect(3, 8);
}

CL_TEST(the_workers_run_at_the_same_time_but_no_more_of_them) {
	pool_and_expect(300, 3);
	CL_EXPECT_MSG(atomic_load(&most_in_flight) >= 2,
		      "at most %d job ran at a time with 3 workers: the pool is not concurrent",
		      atomic_load(&most_in_flight));
}

CL_TEST(no_worker_is_left_after_run_pool_returns) {
	int64_t deadline;

	pool_and_expect(100, 4);
	deadline = go_now() + 100 * GO_MILLISECOND;
	while (go_num_goroutine() > 1 && go_now() < deadline)
		go_sleep(GO_MILLISECOND);
	CL_EXPECT_MSG(go_num_goroutine() == 1,
		      "%d goroutines were still there 100 ms after run_pool returned: the workers never stopped",
		      go_num_goroutine() - 1);
}

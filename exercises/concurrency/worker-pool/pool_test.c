/* pool_test.c: instructor tests for worker-pool, one process each.
 *
 * work(job) takes about 0.3 ms (a sleep), answers job * job, and fails
 * with error 5 for every third job (job % 3 == 2); it
 * counts the jobs in flight and the most at once. report() checks it is
 * called from run_pool's goroutine and records every result. */
#include <chanlab_test.h>

#include "pool.h"

#define MAXJOBS 512

static atomic_int in_flight, most_in_flight;

int work(int job, long *value)
{
	int now = atomic_fetch_add(&in_flight, 1) + 1;
	int most = atomic_load(&most_in_flight);

	while (now > most && !atomic_compare_exchange_weak(&most_in_flight, &most, now))
		;
	go_sleep(300 * GO_MICROSECOND);
	atomic_fetch_sub(&in_flight, 1);
	if (job % 3 == 2)
		return 5;
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

/* Runs n jobs 0..n-1 on `workers` workers and checks every report. */
static void pool_and_expect(int n, int workers)
{
	static int jobs[MAXJOBS];
	static struct record rec;
	int failed, want_failed = 0, missing = 0, twice = 0;

	memset(&rec, 0, sizeof(rec));
	rec.caller = go_id();
	for (int i = 0; i < n; i++) {
		jobs[i] = i;
		want_failed += i % 3 == 2;
	}
	failed = run_pool(jobs, n, workers, report, &rec);
	for (int i = 0; i < n; i++) {
		missing += rec.seen[i] == 0;
		twice += rec.seen[i] > 1;
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

CL_TEST(no_jobs_report_nothing) {
	pool_and_expect(0, 3);
}

CL_TEST(every_job_is_reported_exactly_once) {
	pool_and_expect(200, 4);
}

CL_TEST(failed_jobs_are_reported_and_counted) {
	pool_and_expect(50, 2);
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

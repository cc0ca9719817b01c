/* pool.h: a pool of workers (the harness includes it too). */
#ifndef POOL_H
#define POOL_H

struct result {
	int job;
	long value;             /* work's answer when err == 0 */
	int err;                /* 0, or work's error */
};

/* Does one job: returns 0 and stores its answer in *value, or returns an
 * error (non-zero). Takes a while; safe from many goroutines at once.
 * Provided by the tests. */
int work(int job, long *value);

/* Runs work on every job of jobs[0..n-1] with exactly `workers` worker
 * goroutines (workers >= 1), and calls report(arg, &result) once per job,
 * in any order, always from the goroutine that called run_pool. Returns
 * how many jobs failed, once every worker has exited. */
int run_pool(const int *jobs, int n, int workers,
	     void (*report)(void *arg, const struct result *r), void *arg);

#endif

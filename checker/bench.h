/*
 * bench — benchmark arithmetic: Go's iteration-count rule, a median with a
 * distribution-free confidence interval, and Go's benchmark line format.
 */
#ifndef CHECKER_BENCH_H
#define CHECKER_BENCH_H

#include <stddef.h>

#include "base/buf.h"

/* The next iteration count after prev_n iterations took prev_ns, aiming at
 * goal_ns, the way Go's testing.B predicts it: grow by at most 100x and at
 * least by one, cap at 1e9, round up to 1, 2, 3 or 5 times a power of ten. */
long bench_next_n(long prev_n, double prev_ns, double goal_ns);

/* The largest 1, 2, 3 or 5 times a power of ten that is <= n (1 for n < 1). */
long bench_round_down(long n);

/* Sorts x in place and returns its median. n >= 1. */
double bench_median(double *x, size_t n);

/* Sorts x in place and gives its median and a confidence interval of at
 * least 95% for it from order statistics (binomial, no assumption about the
 * distribution). n >= 1; with n < 6 the interval is the whole range. */
void bench_median_ci(double *x, size_t n, double *median, double *lo, double *hi);

/* The two-sided p-value of the Mann-Whitney U test that x (nx values) and
 * y (ny values) come from the same distribution, as benchstat uses it:
 * the normal approximation with a continuity and a tie correction (exact
 * enough from 5 values a side; benchmarks take at least 10). 1 when
 * either side is empty or every value is the same. */
double bench_mann_whitney(const double *x, size_t nx, const double *y, size_t ny);

/* Appends one line in Go's format:
 * "BenchmarkName-2   \t 1000000\t      1032 ns/op\t      16 B/op\t       1 allocs/op",
 * then, when cpu_ns_op >= 0, a metric of its own as benchstat reads one:
 * "\t      1010 cpu-ns/op". */
void bench_line(struct buf *b, const char *name, int procs, long n, double ns_op,
		double bytes_op, double allocs_op, double cpu_ns_op);

#endif

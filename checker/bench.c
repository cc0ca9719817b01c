/* bench — benchmark arithmetic; see bench.h. */
#include <math.h>
#include <stdlib.h>

#include "checker/bench.h"

static long round_up(long n)
{
	long base = 1;

	while (base * 10 <= n)
		base *= 10;
	if (n <= base)
		return base;
	if (n <= 2 * base)
		return 2 * base;
	if (n <= 3 * base)
		return 3 * base;
	if (n <= 5 * base)
		return 5 * base;
	return 10 * base;
}

long bench_round_down(long n)
{
	long base = 1;

	if (n < 1)
		return 1;
	while (base * 10 <= n)
		base *= 10;
	if (n >= 5 * base)
		return 5 * base;
	if (n >= 3 * base)
		return 3 * base;
	if (n >= 2 * base)
		return 2 * base;
	return base;
}

long bench_next_n(long prev_n, double prev_ns, double goal_ns)
{
	double n;

	if (prev_ns <= 0)
		prev_ns = 1;
	n = goal_ns * (double)prev_n / prev_ns;
	n += n / 5;                       /* Go overshoots by 20% */
	if (n > 100.0 * (double)prev_n)
		n = 100.0 * (double)prev_n;
	if (n < (double)prev_n + 1)
		n = (double)prev_n + 1;
	if (n > 1e9)
		n = 1e9;
	return round_up((long)n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* P(Binomial(n, 1/2) <= k). */
static double binom_cdf(size_t n, size_t k)
{
	double p = 0, c = 1, all = 1;   /* c = C(n, i) */

	for (size_t i = 0; i <= k; i++) {
		p += c;
		c = c * (double)(n - i) / (double)(i + 1);
	}
	for (size_t i = 0; i < n; i++)
		all *= 2;
	return p / all;
}

double bench_median(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

void bench_median_ci(double *x, size_t n, double *median, double *lo, double *hi)
{
	size_t k = 0;

	*median = bench_median(x, n);
	/* [x[k], x[n-1-k]] (0-based) misses the median with probability
	 * 2 P(B <= k), B ~ Binomial(n, 1/2): take the largest k keeping that
	 * at most 5% (k = 0 when even the whole range cannot promise it). */
	while (k + 1 < n / 2 && binom_cdf(n, k + 1) <= 0.025)
		k++;
	*lo = x[k];
	*hi = x[n - 1 - k];
}

static void pretty(struct buf *b, double x, const char *unit)
{
	double y = x < 0 ? -x : x;   /* no libm in chanlab */

	if (y == 0 || y >= 999.95)
		buf_printf(b, "%10.0f %s", x, unit);
	else if (y >= 99.995)
		buf_printf(b, "%12.1f %s", x, unit);
	else if (y >= 9.9995)
		buf_printf(b, "%13.2f %s", x, unit);
	else if (y >= 0.99995)
		buf_printf(b, "%14.3f %s", x, unit);
	else
		buf_printf(b, "%15.4f %s", x, unit);
}

void bench_line(struct buf *b, const char *name, int procs, long n, double ns_op,
		double bytes_op, double allocs_op, double cpu_ns_op)
{
	buf_printf(b, "Benchmark%s-%d\t%8ld\t", name, procs, n);
	pretty(b, ns_op, "ns/op");
	buf_printf(b, "\t%8.0f B/op\t%8.0f allocs/op", bytes_op, allocs_op);
	if (cpu_ns_op >= 0) {
		buf_puts(b, "\t");
		pretty(b, cpu_ns_op, "cpu-ns/op");
	}
	buf_puts(b, "\n");
}

struct ranked {
	double v;
	int side;
};

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;

	return (x > y) - (x < y);
}

double bench_mann_whitney(const double *x, size_t nx, const double *y, size_t ny)
{
	size_t n = nx + ny;
	struct ranked *all;
	double rx = 0, ties = 0, u, mu, sigma, z;

	if (!nx || !ny || !(all = malloc(n * sizeof(*all))))
		return 1;
	for (size_t i = 0; i < nx; i++)
		all[i] = (struct ranked){ x[i], 0 };
	for (size_t i = 0; i < ny; i++)
		all[nx + i] = (struct ranked){ y[i], 1 };
	qsort(all, n, sizeof(*all), cmp_ranked);
	/* ranks from 1, ties sharing their mean rank */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double rank;

		while (j + 1 < n && all[j + 1].v == all[i].v)
			j++;
		rank = (double)(i + j + 2) / 2;
		for (size_t k = i; k <= j; k++)
			if (all[k].side == 0)
				rx += rank;
		ties += (double)(j - i + 1) * (double)(j - i + 1) * (double)(j - i + 1) - (double)(j - i + 1);
		i = j + 1;
	}
	free(all);
	u = rx - (double)nx * (double)(nx + 1) / 2;
	mu = (double)nx * (double)ny / 2;
	sigma = sqrt((double)nx * (double)ny / 12 * ((double)(n + 1) - ties / ((double)n * (double)(n - 1))));
	if (sigma == 0)
		return 1;
	z = (fabs(u - mu) - 0.5) / sigma;
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2));
}

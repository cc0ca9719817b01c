/* checker/bench: Go's b.N rule, the median's confidence interval, Go's line format. */
#include <math.h>
#include <string.h>

#include "checker/bench.h"
#include "base/buf.h"
#include "tests/tap.h"

int main(void)
{
	double x[10] = { 5, 1, 9, 3, 7, 2, 8, 4, 6, 10 }, x3[3] = { 3, 1, 2 }, x20[20];
	double med, lo, hi;
	struct buf b = BUF_INIT;

	plan(20);
	is_int(bench_next_n(1, 1000, 1e9), 100, "from 1 iteration Go grows at most 100x");
	is_int(bench_next_n(100, 1e6, 1e9), 10000, "then aims at the goal");
	is_int(bench_next_n(1000, 3e8, 1e9), 5000, "with 20%% to spare, rounded up to 1, 2, 3 or 5 x 10^k");
	is_int(bench_next_n(10, 2e9, 1e9), 20, "and at least by one (11, rounded up)");
	is_int(bench_next_n(500000000, 1, 1e9), 1000000000, "never past 1e9");
	is_int(bench_round_down(1259), 1000, "rounding down: 1259 -> 1000");
	is_int(bench_round_down(4999), 3000, "4999 -> 3000");
	is_int(bench_round_down(0), 1, "never below 1");

	bench_median_ci(x, 10, &med, &lo, &hi);
	ok(med == 5.5, "the median of 1..10 is 5.5 (%g)", med);
	ok(lo == 2 && hi == 9, "its 95%% interval is [x(2), x(9)] (%g, %g)", lo, hi);
	bench_median_ci(x3, 3, &med, &lo, &hi);
	ok(med == 2 && lo == 1 && hi == 3, "with 3 values the interval is the whole range");
	for (int i = 0; i < 20; i++)
		x20[i] = 20 - i;
	bench_median_ci(x20, 20, &med, &lo, &hi);
	ok(lo == 6 && hi == 15, "with 20 values it is [x(6), x(15)] (%g, %g)", lo, hi);

	bench_line(&b, "Push", 2, 1000000, 1032, 16, 1, -1);
	is_str(b.s, "BenchmarkPush-2\t 1000000\t      1032 ns/op\t      16 B/op\t       1 allocs/op\n",
	       "a line in Go's format");
	buf_release(&b);
	bench_line(&b, "Pop", 8, 30, 12.345, 0, 0, -1);
	ok(strstr(b.s, "12.35 ns/op") != NULL, "small times keep two decimals like Go: %s", b.s);
	buf_release(&b);
	bench_line(&b, "Sum", 1, 5, 150.55, 0, 0, -1);
	ok(strstr(b.s, "150.6 ns/op") != NULL, "and three-digit times one");
	buf_release(&b);
	bench_line(&b, "Push", 2, 1000000, 1032, 16, 1, 1010);
	is_str(b.s, "BenchmarkPush-2\t 1000000\t      1032 ns/op\t      16 B/op\t       1 allocs/op\t      1010 cpu-ns/op\n",
	       "CPU time follows as a metric of its own, as benchstat reads one");
	buf_release(&b);
	{
		double lo10[10], hi10[10], half[10], same[10];

		for (int i = 0; i < 10; i++)
			lo10[i] = i + 1, hi10[i] = i + 11, half[i] = i + 1.5, same[i] = 7;
		ok(fabs(bench_mann_whitney(lo10, 10, hi10, 10) - 0.0001827) < 0.000001,
		   "U test: 1..10 against 11..20 differ (p %.7f; z = 3.742 by hand: 0.0001827)",
		   bench_mann_whitney(lo10, 10, hi10, 10));
		ok(fabs(bench_mann_whitney(lo10, 10, half, 10) - 0.7337) < 0.0005,
		   "interleaved samples do not (p %.4f; z = 0.340 by hand: 0.7337)", bench_mann_whitney(lo10, 10, half, 10));
		ok(bench_mann_whitney(same, 10, same, 10) == 1, "every value the same: p 1");
		ok(bench_mann_whitney(lo10, 0, hi10, 10) == 1, "an empty side: p 1");
	}
	return done();
}

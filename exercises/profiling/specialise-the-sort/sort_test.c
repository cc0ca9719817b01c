/* sort_test.c: instructor tests for specialise-the-sort, one process per case. */
#include <chanlab_test.h>
#include <limits.h>
#include <stdlib.h>

#include "sort.h"

/* A fixed pseudo-random sequence (the same in every run and in both
 * programs of the benchmark). */
static unsigned long long seed = 88172645463325252ull;

static int next_int(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (int)(seed >> 32);
}

static int compare(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Sorts a copy with sort_ints and another with qsort; they must agree. */
static void expect_sorted_like_qsort(const int *in, size_t n)
{
	int *got = malloc((n ? n : 1) * sizeof(*got)), *want = malloc((n ? n : 1) * sizeof(*want));
	size_t bad = n;

	CL_ASSERT(got && want);
	for (size_t i = 0; i < n; i++)
		got[i] = want[i] = in[i];
	sort_ints(got, n);
	qsort(want, n, sizeof(*want), compare);
	for (size_t i = 0; i < n && bad == n; i++)
		if (got[i] != want[i])
			bad = i;
	CL_EXPECT_MSG(bad == n, "of %zu ints, position %zu holds %d where the sorted order has %d", n, bad,
		      bad < n ? got[bad] : 0, bad < n ? want[bad] : 0);
	free(got);
	free(want);
}

CL_TEST(nothing_to_sort) {
	int none[1] = { 42 }, one = 42;

	sort_ints(none, 0);
	sort_ints(&one, 1);
	CL_EXPECT_INT(none[0], 42);
	CL_EXPECT_INT(one, 42);
}

CL_TEST(a_short_list) {
	int a[] = { 5, -3, 9, 0, 2, 2, -8, 7 };

	expect_sorted_like_qsort(a, sizeof(a) / sizeof(a[0]));
}

CL_TEST(sorted_and_reversed) {
	static int up[5000], down[5000];

	for (int i = 0; i < 5000; i++)
		up[i] = i, down[i] = 5000 - i;
	expect_sorted_like_qsort(up, 5000);
	expect_sorted_like_qsort(down, 5000);
}

CL_TEST(the_extremes_of_int) {
	int a[] = { INT_MAX, INT_MIN, 0, -1, INT_MAX, 1, INT_MIN + 1, INT_MAX - 1 };

	expect_sorted_like_qsort(a, sizeof(a) / sizeof(a[0]));
}

CL_TEST(a_hundred_thousand_random_ints) {
	static int a[100000];

	for (size_t i = 0; i < 100000; i++)
		a[i] = next_int();
	expect_sorted_like_qsort(a, 100000);
}

/* Mostly one value: a partition that sends every key equal to the pivot
 * to one side makes this quadratic (seconds instead of milliseconds). */
CL_TEST(many_equal_values_in_linear_time) {
	static int a[100000], b[100000];
	int64_t start, took;

	for (size_t i = 0; i < 100000; i++)
		a[i] = b[i] = i % 1000 == 0 ? (int)i : 7;
	start = go_now();
	sort_ints(b, 100000);
	took = go_now() - start;
	CL_EXPECT_MSG(took < cl_scaled(300 * GO_MILLISECOND),
		      "sorting 100,000 ints that are nearly all equal took %.2f s (the reference: a few ms): "
		      "equal keys all went to one side of each partition", (double)took / 1e9);
	expect_sorted_like_qsort(a, 100000);
}

/* One op: sort 100,000 random ints (the same ones every time). */
CL_BENCH(sort_1e5_ints) {
	static int in[100000], a[100000];

	cl_stop_timer(b);
	for (size_t i = 0; i < 100000; i++)
		in[i] = next_int();
	cl_start_timer(b);
	for (long k = 0; k < b->n; k++) {
		cl_stop_timer(b);
		for (size_t i = 0; i < 100000; i++)
			a[i] = in[i];
		cl_start_timer(b);
		sort_ints(a, 100000);
	}
}

/* stats_test.c: instructor tests for uninitialised, one process each.
 * Before each call, scribble() leaves garbage where stats_of's frame will
 * be, as a long-running program's stack holds: a field nobody set then
 * reads 0x41414141, not a lucky 0. */
#include <string.h>

#include <chanlab_test.h>

#include "stats.h"

static void __attribute__((noinline)) scribble(void)
{
	unsigned char junk[4096];

	memset(junk, 0x41, sizeof(junk));
	__asm__ volatile("" : : "r"(junk) : "memory");   /* keep the stores */
}

static struct stats summarise(const int *ms, int n, int limit)
{
	scribble();
	return stats_of(ms, n, limit);
}

#define EXPECT_STATS(st, c, t, s, sl) do { \
	CL_EXPECT_INT((st).count, c); \
	CL_EXPECT_INT((st).total, t); \
	CL_EXPECT_INT((st).slowest, s); \
	CL_EXPECT_INT((st).slow, sl); \
} while (0)

CL_TEST(no_readings) {
	struct stats st = summarise(NULL, 0, 100);

	EXPECT_STATS(st, 0, 0, 0, 0);
}

CL_TEST(one_reading) {
	const int ms[] = { 120 };
	struct stats st = summarise(ms, 1, 100);

	EXPECT_STATS(st, 1, 120, 120, 1);
}

CL_TEST(several_readings) {
	const int ms[] = { 12, 250, 40, 99, 101, 7 };
	struct stats st = summarise(ms, 6, 100);

	EXPECT_STATS(st, 6, 509, 250, 2);
}

CL_TEST(none_over_the_limit) {
	const int ms[] = { 5, 9, 5 };
	struct stats st = summarise(ms, 3, 100);

	EXPECT_STATS(st, 3, 19, 9, 0);
}

CL_TEST(all_zero) {
	const int ms[] = { 0, 0 };
	struct stats st = summarise(ms, 2, 0);

	EXPECT_STATS(st, 2, 0, 0, 0);
}

CL_TEST(two_summaries_in_a_row) {
	const int a[] = { 300, 20 };
	const int b[] = { 30, 40, 50 };
	struct stats first = summarise(a, 2, 100);
	struct stats second = summarise(b, 3, 100);

	EXPECT_STATS(first, 2, 320, 300, 1);
	EXPECT_STATS(second, 3, 120, 50, 0);
}

CL_TEST(a_thousand_readings) {
	static int ms[1000];
	struct stats st;

	for (int i = 0; i < 1000; i++)
		ms[i] = i % 300;
	st = summarise(ms, 1000, 250);
	EXPECT_STATS(st, 1000, 139500, 299, 147);
}

/* trans_test.c: instructor tests for cache-blocking, one process per case. */
#include <chanlab_test.h>
#include <string.h>
#include <stdlib.h>

#include "trans.h"

/* Transposes a rows x cols matrix of distinct values and checks every
 * element of the result. */
static void expect_transposed(int rows, int cols)
{
	int *a = malloc((size_t)rows * (size_t)cols * sizeof(*a));
	int *b = malloc((size_t)rows * (size_t)cols * sizeof(*b));
	int bad = -1;

	CL_ASSERT(a && b);
	for (int k = 0; k < rows * cols; k++)
		a[k] = k * 7 + 1, b[k] = -1;
	transpose(a, b, rows, cols);
	for (int i = 0; i < rows && bad < 0; i++)
		for (int j = 0; j < cols && bad < 0; j++)
			if (b[j * rows + i] != a[i * cols + j])
				bad = i * cols + j;
	CL_EXPECT_MSG(bad < 0, "transposing %d x %d: a[%d][%d] = %d, but b[%d][%d] = %d", rows, cols,
		      bad < 0 ? 0 : bad / cols, bad < 0 ? 0 : bad % cols, bad < 0 ? 0 : a[bad],
		      bad < 0 ? 0 : bad % cols, bad < 0 ? 0 : bad / cols,
		      bad < 0 ? 0 : b[(bad % cols) * rows + bad / cols]);
	free(a);
	free(b);
}

CL_TEST(one_by_one) {
	expect_transposed(1, 1);
}

CL_TEST(a_row_becomes_a_column) {
	expect_transposed(1, 40);
	expect_transposed(40, 1);
}

CL_TEST(square_32) {
	expect_transposed(32, 32);
}

CL_TEST(square_64) {
	expect_transposed(64, 64);
}

CL_TEST(sixty_one_by_sixty_seven) {
	expect_transposed(61, 67);
}

CL_TEST(not_a_multiple_of_any_block) {
	expect_transposed(1000, 999);
}

/* One op: transpose a 2048 x 2048 matrix of ints (16 MiB each way). */
CL_BENCH(transpose_2048) {
	enum { N = 2048 };
	static int *src, *dst;

	cl_stop_timer(b);
	if (!src) {
		src = malloc((size_t)N * N * sizeof(*src));
		dst = malloc((size_t)N * N * sizeof(*dst));
		for (size_t k = 0; src && k < (size_t)N * N; k++)
			src[k] = (int)k;
		/* dst is touched now, untimed: its 16 MiB of first-touch page
		 * faults would cost any order the same ~40 ms, and hide the
		 * cache's effect (not with 0: malloc and memset 0 become calloc) */
		if (dst)
			memset(dst, 0xff, (size_t)N * N * sizeof(*dst));
	}
	cl_start_timer(b);
	for (long k = 0; k < b->n && src && dst; k++)
		transpose(src, dst, N, N);
}

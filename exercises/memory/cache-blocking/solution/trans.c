/* trans.c: the reference solution. The matrix is walked in 16 x 16
 * tiles: a tile of a is 16 rows of 16 ints (a cache line each), its
 * transpose 16 rows of b, so every line brought into the cache is used
 * whole before it leaves. The last tiles of a row or column may be
 * narrower: the bounds are min(ii + BLOCK, rows), not ii + BLOCK. */
#include "trans.h"

enum { BLOCK = 16 };

static int min(int x, int y)
{
	return x < y ? x : y;
}

void transpose(const int *a, int *b, int rows, int cols)
{
	for (int ii = 0; ii < rows; ii += BLOCK)
		for (int jj = 0; jj < cols; jj += BLOCK)
			for (int i = ii; i < min(ii + BLOCK, rows); i++)
				for (int j = jj; j < min(jj + BLOCK, cols); j++)
					b[j * rows + i] = a[i * cols + j];
}

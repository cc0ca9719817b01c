/* Blocked, and careful not to run past the edge: it only transposes
 * whole tiles, so the last rows and columns of a matrix that is not a
 * multiple of 16 are never written. */
#include "trans.h"

enum { BLOCK = 16 };

void transpose(const int *a, int *b, int rows, int cols)
{
	for (int ii = 0; ii + BLOCK <= rows; ii += BLOCK)     /* wrong: test anywhere */
		for (int jj = 0; jj + BLOCK <= cols; jj += BLOCK)
			for (int i = ii; i < ii + BLOCK; i++)
				for (int j = jj; j < jj + BLOCK; j++)
					b[j * rows + i] = a[i * cols + j];
}

/* Blocked, but every tile is a full 16 x 16: at the edge of a matrix that
 * is not a multiple of 16 the tile runs past the last row and column. */
#include "trans.h"

enum { BLOCK = 16 };

void transpose(const int *a, int *b, int rows, int cols)
{
	for (int ii = 0; ii < rows; ii += BLOCK)
		for (int jj = 0; jj < cols; jj += BLOCK)
			for (int i = ii; i < ii + BLOCK; i++)
				for (int j = jj; j < jj + BLOCK; j++)
					b[j * rows + i] = a[i * cols + j];   /* wrong: sanitizer */
}

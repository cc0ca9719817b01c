/* "The writes were the problem, so write along a row": with the loops
 * swapped b is written in order, but now every read of a goes down a
 * column, one new cache line per int. The traffic just moved. */
#include "trans.h"

void transpose(const int *a, int *b, int rows, int cols)
{
	for (int j = 0; j < cols; j++)
		for (int i = 0; i < rows; i++)          /* wrong: benchmark anywhere */
			b[j * rows + i] = a[i * cols + j];
}

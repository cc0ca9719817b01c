/* trans.c: transpose a matrix. See the exercise text (chanlab shows it). */
#include "trans.h"

void transpose(const int *a, int *b, int rows, int cols)
{
	for (int i = 0; i < rows; i++)
		for (int j = 0; j < cols; j++)
			b[j * rows + i] = a[i * cols + j];
}

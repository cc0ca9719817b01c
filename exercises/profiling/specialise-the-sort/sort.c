/* sort.c: sort ints, fast. See the exercise text (chanlab shows it). */
#include <stdlib.h>

#include "sort.h"

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

void sort_ints(int *a, size_t n)
{
	qsort(a, n, sizeof(*a), compare_ints);
}

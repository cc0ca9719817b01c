/* Sorts, but into a copy: the caller's array is left as it was. */
#include <stdlib.h>
#include <string.h>

#include "sort.h"

static void insertion_sort(int *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int v = a[i];
		size_t j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

void sort_ints(int *a, size_t n)
{
	int copy[16];

	if (n > 16) {                   /* wrong: test anywhere */
		int *big = malloc(n * sizeof(*big));

		if (!big)
			return;
		memcpy(big, a, n * sizeof(*a));
		insertion_sort(big, n);
		free(big);
		return;
	}
	memcpy(copy, a, n * sizeof(*a));
	insertion_sort(copy, n);
	memcpy(a, copy, n * sizeof(*a));
}

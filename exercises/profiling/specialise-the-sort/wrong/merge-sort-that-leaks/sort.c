/* A merge sort for ints: fast, but the buffer it merges through is
 * allocated on every call and never freed. */
#include <stdlib.h>
#include <string.h>

#include "sort.h"

static void merge_sort(int *a, int *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	merge_sort(a, tmp, h);
	merge_sort(a + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

void sort_ints(int *a, size_t n)
{
	int *tmp = malloc((n ? n : 1) * sizeof(*tmp));  /* wrong: sanitizer */

	if (!tmp)
		return;
	merge_sort(a, tmp, n);
}

/* A "faster qsort" of one's own: the reference's quicksort, but written
 * once for any type, as qsort is: void *, an element size, a comparator
 * called through a pointer and swaps byte by byte. As generic as qsort,
 * and about as slow. */
#include <stddef.h>

#include "sort.h"

typedef int (*compare_fn)(const void *, const void *);

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void swap_bytes(char *a, char *b, size_t size)
{
	for (size_t k = 0; k < size; k++) {
		char t = a[k];

		a[k] = b[k];
		b[k] = t;
	}
}

/* Sorts n elements of size bytes at base with cmp: for any type. */
void generic_sort(void *base, size_t n, size_t size, compare_fn cmp);

void generic_sort(void *base, size_t n, size_t size, compare_fn cmp)
{
	char *a = base, pivot[64];

	while (n > 16) {
		char *x = a, *y = a + (n / 2) * size, *z = a + (n - 1) * size, *m;
		size_t i = 0, j = n - 1;

		/* the median of the first, middle and last as the pivot */
		if ((cmp(x, y) < 0) != (cmp(x, z) < 0))
			m = x;
		else if ((cmp(y, x) < 0) != (cmp(y, z) < 0))
			m = y;
		else
			m = z;
		for (size_t k = 0; k < size; k++)
			pivot[k] = m[k];
		for (;;) {
			while (cmp(a + i * size, pivot) < 0)
				i++;
			while (cmp(a + j * size, pivot) > 0)
				j--;
			if (i >= j)
				break;
			swap_bytes(a + i * size, a + j * size, size);
			i++;
			j--;
		}
		generic_sort(a, j + 1, size, cmp);
		a += (j + 1) * size;
		n -= j + 1;
	}
	for (size_t i = 1; i < n; i++)          /* insertion sort for the rest */
		for (size_t j = i; j > 0 && cmp(a + (j - 1) * size, a + j * size) > 0; j--)
			swap_bytes(a + (j - 1) * size, a + j * size, size);
}

void sort_ints(int *a, size_t n)
{
	generic_sort(a, n, sizeof(*a), compare_ints);   /* wrong: benchmark anywhere */
}

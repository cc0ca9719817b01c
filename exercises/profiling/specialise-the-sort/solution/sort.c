/* sort.c: the reference solution. A quicksort written for ints: the
 * comparisons are `<` on ints the compiler sees, the swaps are int moves.
 * Median of three picks the pivot; the partition stops on keys equal to
 * it, so equal keys split evenly; small ranges finish by insertion sort;
 * the smaller side recurses and the larger loops, so the stack stays
 * O(log n) deep. */
#include "sort.h"

enum { SMALL = 16 };

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

static int median_of_three(int x, int y, int z)
{
	if ((x < y) != (x < z))
		return x;
	if ((y < x) != (y < z))
		return y;
	return z;
}

void sort_ints(int *a, size_t n)
{
	while (n > SMALL) {
		int p = median_of_three(a[0], a[n / 2], a[n - 1]);
		size_t i = 0, j = n - 1;

		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			int t = a[i];

			a[i++] = a[j];
			a[j--] = t;
		}
		/* a[0..j] <= p <= a[j+1..n) */
		if (j + 1 < n - (j + 1)) {
			sort_ints(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			sort_ints(a + j + 1, n - (j + 1));
			n = j + 1;
		}
	}
	insertion_sort(a, n);
}

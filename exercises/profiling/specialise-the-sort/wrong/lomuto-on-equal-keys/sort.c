/* Specialised for int, but with a Lomuto partition: keys equal to the
 * pivot all go to one side, so 100,000 mostly-equal values take a
 * quadratic number of steps: seconds where the reference takes ms. */
#include "sort.h"

void sort_ints(int *a, size_t n)
{
	while (n > 1) {
		int p = a[n - 1];
		size_t i = 0;

		for (size_t k = 0; k + 1 < n; k++)      /* wrong: test anywhere */
			if (a[k] < p) {
				int t = a[i];

				a[i++] = a[k];
				a[k] = t;
			}
		a[n - 1] = a[i];
		a[i] = p;
		sort_ints(a, i);
		a += i + 1;
		n -= i + 1;
	}
}

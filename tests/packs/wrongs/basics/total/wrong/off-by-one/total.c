/* Stops one short: the last number is never added. */
#include "total.h"

long total_sum(const int *xs, int n)
{
	long s = 0;

	for (int i = 0; i < n - 1; i++)   /* wrong: test anywhere */
		s += xs[i];
	return s;
}

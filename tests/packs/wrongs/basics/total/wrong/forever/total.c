/* Never moves i on: the loop never ends. */
#include "total.h"

long total_sum(const int *xs, int n)
{
	long s = 0;

	for (int i = 0; i < n; i += 0)   /* wrong: timeout anywhere */
		s += xs[i];
	return s;
}

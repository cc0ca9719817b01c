/* A missing semicolon: the compiler stops at the next line. */
#include "total.h"

long total_sum(const int *xs, int n)
{
	long s = 0

	for (int i = 0; i < n; i++) /* wrong: build */
		s += xs[i];
	return s;
}

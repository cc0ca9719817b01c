/* total.c: see the exercise text. */
#include "total.h"

long total_sum(const int *xs, int n)
{
	(void)xs, (void)n;
	return 0;   /* TODO */
}

/* work.c: right, but it counts one by one. TODO: faster. */
#include "work.h"

unsigned long triangle(unsigned long n)
{
	volatile unsigned long s = 0;

	for (unsigned long i = 1; i <= n; i++)
		for (unsigned long k = 0; k < i; k++)
			s = s + 1;
	return s;
}

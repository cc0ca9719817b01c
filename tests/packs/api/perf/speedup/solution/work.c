/* work.c: the reference solution: Gauss's formula. */
#include "work.h"

unsigned long triangle(unsigned long n)
{
	return n * (n + 1) / 2;
}

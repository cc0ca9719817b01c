#include <stdlib.h>
#include <string.h>
#include "work.h"

static unsigned long mix(unsigned long x, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	return x;
}

__attribute__((noinline)) unsigned long heavy(unsigned long n)
{
	return mix(3, 2 * n);
}

__attribute__((noinline)) unsigned long light(unsigned long n)
{
	return mix(5, n);
}

char *copy_of(const char *s)
{
	char *c = malloc(strlen(s) + 1);

	return c ? strcpy(c, s) : NULL;
}

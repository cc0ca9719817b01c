/* sort.h: what sort.c provides (the tests include it too). */
#ifndef SORT_H
#define SORT_H

#include <stddef.h>

/* Sorts the n ints at a into ascending order, in place. */
void sort_ints(int *a, size_t n);

#endif

/* total.h: what the learner implements (the harness includes it too). */
#ifndef TOTAL_H
#define TOTAL_H

/* The sum of the n numbers in xs (0 when n is 0). */
long total_sum(const int *xs, int n);

#endif

/* pipeline.h: a two-stage pipeline of goroutines (the harness includes it too). */
#ifndef PIPELINE_H
#define PIPELINE_H

/* The sum of the squares of the n numbers in xs, computed by a generator
 * goroutine that sends xs one by one, a squarer goroutine that squares
 * them, and the caller, which adds up what comes out. Blocks until done. */
long pipeline_sum_squares(const int *xs, int n);

#endif

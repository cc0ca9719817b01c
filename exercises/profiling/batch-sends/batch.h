/* batch.h: summing numbers in a consumer goroutine (the harness includes it too). */
#ifndef BATCH_H
#define BATCH_H

/* The sum of the n numbers in xs, added up by a consumer goroutine that
 * receives them over a channel from the caller. Blocks until done. */
long channel_sum(const int *xs, int n);

#endif

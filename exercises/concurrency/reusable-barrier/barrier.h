/* barrier.h: a barrier for n goroutines that can be used again and again
 * (barrier.c implements it; the tests include this too).
 *
 * Each of the n goroutines works in phases and calls barrier_wait between
 * two of them:
 *
 *     for (int phase = 0; phase < phases; phase++) {
 *         work(phase);
 *         barrier_wait(b);        // nobody starts phase + 1 before all finish phase
 *     }
 */
#ifndef BARRIER_H
#define BARRIER_H

#include <go.h>

struct barrier;

/* A barrier for n goroutines (n >= 1), or NULL without memory. */
struct barrier *barrier_new(int n);

/* Frees the barrier; nobody may be waiting at it. */
void barrier_free(struct barrier *b);

/* Blocks until all n goroutines have called barrier_wait, then returns in
 * every one of them; the n-th caller does not wait. Then the barrier is
 * ready for the next round: the next n calls wait for each other again. */
void barrier_wait(struct barrier *b);

#endif

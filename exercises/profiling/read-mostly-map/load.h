/* load.h: the read-mostly workload the benchmark and the profiled program
 * run (load.c, instructor file). */
#ifndef LOAD_H
#define LOAD_H

#include "rmap.h"

#define LOAD_KEYS 4096          /* keys 0 .. LOAD_KEYS-1 */

/* Puts every key of the workload into m. */
void load_fill(struct rmap *m);

/* Runs ops operations on m from `workers` goroutines at once, each its
 * share: 95 in 100 an rmap_get of a random key, 4 an rmap_put, 1 an
 * rmap_add, drawn from seed. Returns when all are done; the sum of what
 * the gets read, so nothing is optimised away. */
uint64_t load_run(struct rmap *m, int workers, long ops, uint64_t seed);

#endif

/* ring.h: a bounded buffer of ints (the harness includes it too). */
#ifndef RING_H
#define RING_H

#include <stdbool.h>
#include <stddef.h>

struct ring;

/* A ring with room for cap ints (cap >= 1), or NULL without memory. */
struct ring *ring_new(size_t cap);

/* Adds v at the tail. Blocks while the ring is full. Must not be called
 * once the ring is closed. */
void ring_put(struct ring *r, int v);

/* Takes the head into *v and returns true. Blocks while the ring is empty
 * and open; returns false once it is closed and empty. */
bool ring_get(struct ring *r, int *v);

/* Closes the ring: every goroutine waiting in ring_get wakes up, takes
 * what is left, then gets false. */
void ring_close(struct ring *r);

/* Frees the ring; nobody may be using it. */
void ring_free(struct ring *r);

#endif

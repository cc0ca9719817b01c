/* ht_hold.h: what the tests add to ht.c (instructor file). */
#ifndef HT_HOLD_H
#define HT_HOLD_H

#include <stdint.h>

#include <go.h>

/* The next ht_put of key, by any goroutine, sends an int on entered and
 * then waits for one on release before it changes the table: a put that
 * is stuck half-way, for as long as the test likes. */
void ht_hold_put(uint64_t key, go_chan *entered, go_chan *release);

#endif

/* spy.h: the tests' store, a spy (Learn Go with Tests' SpyStore): it
 * hands out its record a piece at a time, stops at once when told to, and
 * remembers whether it was told and whether a fetch is still running. */
#ifndef SPY_H
#define SPY_H

#include <stdint.h>

#include <go.h>

#include "store.h"

struct store {
	const char *record;
	int64_t piece;          /* the time each piece takes */
	go_chan *stop;          /* closed by the first store_cancel */
	go_atomic_bool cancelled;
	go_atomic_int64 cancelled_at;
	go_atomic_int32 fetching;       /* store_fetch calls not returned yet */
	go_atomic_int32 pieces;         /* pieces handed out */
};

/* A store of record (a string that outlives it), piece ns a character. */
struct store *spy_new(const char *record, int64_t piece);
/* Frees s once no store_fetch runs on it (waits up to 1 s; keeps s if one
 * still does). Blocks. */
void spy_free(struct store *s);

#endif

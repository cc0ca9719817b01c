/* store.h: a slow store with a cancel button (the tests provide it). */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

#include <go.h>

struct store;

/* Fetches the store's record into out (at most n - 1 bytes, then a NUL),
 * a piece at a time: slow, the way a remote store is. Returns 0; or
 * GO_ECANCELED, soon after store_cancel(s), with out holding what came so
 * far. Writes into out until it returns. Blocks. */
int store_fetch(struct store *s, char *out, size_t n);

/* Tells the store that nobody wants the record any more: a store_fetch
 * in progress stops at once. Any goroutine, any number of times. Never
 * blocks. */
void store_cancel(struct store *s);

#endif

/* fetch.h: a fetch that stops when its caller stops (see the exercise text). */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>
#include <stdint.h>

#include <go.h>

#include "store.h"

/* Fetches s's record into out (n bytes, NUL-terminated), for at most
 * timeout nanoseconds and only while ctx is not cancelled. Returns 0 with
 * the record; GO_ECANCELED soon after ctx is cancelled; GO_ETIMEDOUT soon
 * after timeout has passed or ctx's deadline has. When it gives up it has
 * told the store to stop, and nothing writes into out once it returned.
 * Frees every context it makes. Blocks. */
int fetch(go_ctx *ctx, struct store *s, int64_t timeout, char *out, size_t n);

#endif

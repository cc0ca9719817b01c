/* leaks.h: three functions that start goroutines (see the exercise text).
 * The harness includes it too, and provides backend_step. */
#ifndef LEAKS_H
#define LEAKS_H

#include <stddef.h>

#include <go.h>

/* The index of an element of xs[0..n) equal to want, or -1 if there is
 * none. `workers` searcher goroutines search a slice of xs each; the first
 * to find one answers. Blocks; every searcher has returned when it
 * returns (xs is the caller's again). */
int first_match(const int *xs, int n, int want, int workers);

/* A watcher: a goroutine that calls apply(update, payload) for each
 * update pushed to it, in order. */
struct watcher;

/* Starts a watcher. */
struct watcher *watch_start(void (*apply)(int update, void *payload), void *payload);

/* Hands one update to the watcher. Blocks until the watcher takes it. */
void watch_push(struct watcher *w, int update);

/* Stops the watcher and frees it. When it returns, every update pushed
 * before has been applied and apply is never called again. Blocks. */
void watch_stop(struct watcher *w);

/* The backend (the harness's): step i of BACKEND_STEPS of a slow lookup
 * of key, about 2 ms each; after the last step out holds the value. It
 * knows nothing of contexts: it cannot be interrupted inside a step. */
enum { BACKEND_STEPS = 100, VALUE_MAX = 64 };
void backend_step(const char *key, int i, char *out, size_t cap);

/* Looks key up on the backend in a goroutine of its own and waits for the
 * value or for ctx, whichever comes first: 0 and the value in out (cap
 * bytes, at most VALUE_MAX are used), or go_ctx_err(ctx). The lookup has
 * stopped when it returns, and uses neither ctx nor key after that. Blocks. */
int fetch(go_ctx *ctx, const char *key, char *out, size_t cap);

#endif

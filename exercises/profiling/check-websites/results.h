/* results.h: a map from a url to whether it is up, the C stand-in for
 * Go's map[string]bool (instructor file, results.c; the tests include it
 * too). Like a Go map it is not safe for concurrent use: two goroutines
 * that write it at the same time corrupt it. */
#ifndef RESULTS_H
#define RESULTS_H

#include <stdbool.h>

struct results;

/* An empty map, or NULL when out of memory. Free with results_free. */
struct results *results_new(void);

/* Sets url's answer (Go's m[url] = up), replacing an earlier one. Keeps
 * the pointer url, not a copy: the string must outlive the map. Returns
 * 0, or -1 when out of memory. */
int results_set(struct results *r, const char *url, bool up);

/* Whether url has an answer (Go's up, ok := m[url]); stores it in *up. */
bool results_get(const struct results *r, const char *url, bool *up);

/* How many urls have an answer (Go's len(m)). */
int results_len(const struct results *r);

/* Frees the map (NULL is fine); the urls are the caller's. */
void results_free(struct results *r);

#endif

/* rmap.h: a map from integer keys to integer values that many goroutines
 * share (rmap.c, yours), built on the plain hash table of ht.c (the
 * instructor's). */
#ifndef RMAP_H
#define RMAP_H

#include <stdbool.h>
#include <stdint.h>

/* A hash table of uint64_t keys and values. Not safe for use by several
 * goroutines at once: lock it, or give each its own. */
struct ht;

/* A new empty table, or NULL when out of memory. */
struct ht *ht_new(void);

void ht_free(struct ht *t);

/* Whether key is in t; its value in *val when it is (val may be NULL). */
bool ht_get(const struct ht *t, uint64_t key, uint64_t *val);

/* Sets key's value, adding key when absent; the table grows as it needs.
 * Returns 0, or -1 when out of memory. */
int ht_put(struct ht *t, uint64_t key, uint64_t val);

/* How many keys t holds. */
uint64_t ht_len(const struct ht *t);

/* A 64-bit hash of key, its bits well mixed (the one ht.c uses). */
uint64_t ht_hash(uint64_t key);

/* The map: safe for any number of goroutines at once. */
struct rmap;

/* A new empty map, or NULL when out of memory. */
struct rmap *rmap_new(void);

/* Frees m; no goroutine may use it any more. */
void rmap_free(struct rmap *m);

/* Whether key is in m; its value in *val when it is (val may be NULL).
 * May block while another goroutine writes. */
bool rmap_get(struct rmap *m, uint64_t key, uint64_t *val);

/* Sets key's value, adding key when absent. May block. */
void rmap_put(struct rmap *m, uint64_t key, uint64_t val);

/* Adds delta to key's value (a key that is absent counts as 0), as one
 * step that no other write to key can come between, and returns the new
 * value. May block. */
uint64_t rmap_add(struct rmap *m, uint64_t key, uint64_t delta);

/* How many keys m holds. */
uint64_t rmap_len(struct rmap *m);

#endif

/* wordcount.h: counting the words of a text with several goroutines
 * (wordcount.c), into the word table of table.c (the instructor's). */
#ifndef WORDCOUNT_H
#define WORDCOUNT_H

#include <stdbool.h>
#include <stddef.h>

/* A table of word counts: a hash table that copies its words. Not safe
 * for use by several goroutines at once: lock it, or give each its own. */
struct wc_table;

/* A new empty table, or NULL when out of memory. */
struct wc_table *table_new(void);

void table_free(struct wc_table *t);

/* Adds by to the count of the n letters at w (0 before the first). */
void table_inc(struct wc_table *t, const char *w, size_t n, long by);

/* Adds every count of src to dst's. src is unchanged. */
void table_merge(struct wc_table *dst, const struct wc_table *src);

/* The count of the n letters at w, 0 if absent. */
long table_get(const struct wc_table *t, const char *w, size_t n);

/* The number of distinct words, and the sum of their counts. */
size_t table_len(const struct wc_table *t);
long table_total(const struct wc_table *t);

/* Adds the count of every word of text (a run of the letters a to z;
 * anything else separates words) to counts, using `workers` goroutines
 * (1 to 16), each counting a part of the text. Returns when every count
 * is in. */
void wordcount(const char *text, int workers, struct wc_table *counts);

#endif

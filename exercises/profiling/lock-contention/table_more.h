/* table_more.h: what the tests and the driver need besides wordcount.h
 * (instructor file). */
#ifndef TABLE_MORE_H
#define TABLE_MORE_H

#include "wordcount.h"

/* The first word whose count differs between got and want, with both
 * counts in *g and *w; NULL when the tables hold the same counts. */
const char *table_diff(const struct wc_table *got, const struct wc_table *want, long *g, long *w);

/* A text of about len bytes: words of a 5000-word vocabulary, a few very
 * common and most rare (as in prose), drawn from seed. Free it. */
char *corpus_make(size_t len, unsigned seed);

/* Counts text's words on the calling goroutine alone, into t. */
void corpus_count(const char *text, struct wc_table *t);

#endif

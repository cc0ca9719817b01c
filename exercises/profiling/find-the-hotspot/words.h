/* words.h: counting the words of a text that are not stop words. */
#ifndef WORDS_H
#define WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* The stop words ("a", "about", "above", ...): NSTOPWORDS of them, in
 * strcmp order, in stopwords.c. */
#define NSTOPWORDS 229
extern const char *const stopwords[NSTOPWORDS];

/* Whether the n letters at w are a stop word. */
bool is_stopword(const char *w, size_t n);

/* The words of text (runs of lowercase letters) that are not stop words. */
long count_content_words(const char *text);

#endif

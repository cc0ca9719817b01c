/* tokenize.h: split a line into lower-cased words (the harness includes
 * it too). */
#ifndef TOKENIZE_H
#define TOKENIZE_H

/* The longest word tokenize passes on: a longer one is cut to its first
 * TOKEN_MAX bytes. */
#define TOKEN_MAX 32

/* Called once per word: word is NUL-terminated, lower-cased and valid
 * only until the call returns (copy it to keep it). */
typedef void tokenize_fn(const char *word, void *payload);

/* Calls fn(word, payload) for each word of line, in order: a word is a
 * run of ASCII letters, digits and '_'; anything else separates words.
 * Returns the number of words. Safe to call from several goroutines at
 * once. */
int tokenize(const char *line, tokenize_fn *fn, void *payload);

#endif

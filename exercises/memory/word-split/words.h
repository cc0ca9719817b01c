/* words.h: splitting a line into words (the harness includes it too). */
#ifndef WORDS_H
#define WORDS_H

/* The words of s (separated by spaces, tabs and newlines) as a malloc'd
 * array of malloc'd strings; *n gets their number. Returns NULL (and *n = 0)
 * when s holds no word. The caller frees it with words_free. */
char **words_split(const char *s, int *n);

/* Frees everything words_split returned (NULL is fine). */
void words_free(char **words, int n);

#endif

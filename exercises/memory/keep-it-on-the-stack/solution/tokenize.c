/* Splitting a line into words: see the exercise text (chanlab shows it).
 *
 * Each word is lower-cased into a scratch buffer and handed to the
 * callback, which may read it only during the call. The buffer never
 * outlives the call, so it lives in tokenize's frame: TOKEN_MAX + 1
 * bytes of stack, no malloc, and nothing shared between callers. */
#include <ctype.h>
#include <stddef.h>

#include "tokenize.h"

static int is_word_byte(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int tokenize(const char *line, tokenize_fn *fn, void *payload)
{
	char word[TOKEN_MAX + 1];       /* the longest word and its NUL */
	const char *p = line;
	int count = 0;

	while (*p) {
		const char *start;
		size_t n;

		if (!is_word_byte(*p)) {
			p++;
			continue;
		}
		start = p;
		while (is_word_byte(*p))
			p++;
		n = (size_t)(p - start);
		if (n > TOKEN_MAX)
			n = TOKEN_MAX;
		for (size_t i = 0; i < n; i++)
			word[i] = (char)tolower((unsigned char)start[i]);
		word[n] = '\0';
		fn(word, payload);
		count++;
	}
	return count;
}

/* Wrong: the malloc moved out of the loop, one per call instead of one
 * per word, and freed at the end: still an allocation on every call. */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>

#include "tokenize.h"

static int is_word_byte(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int tokenize(const char *line, tokenize_fn *fn, void *payload)
{
	char *word = malloc(TOKEN_MAX + 1); /* wrong: test anywhere */
	const char *p = line;
	int count = 0;

	if (!word)
		abort();
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
	free(word);
	return count;
}

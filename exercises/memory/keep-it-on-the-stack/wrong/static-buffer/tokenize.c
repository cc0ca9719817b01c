/* Wrong: the buffer is a static local, so no malloc, but it is one
 * buffer for every caller: goroutines that tokenize at once write it
 * together. ThreadSanitizer reports whichever write it sees race first:
 * both are marked. */
#include <ctype.h>
#include <stddef.h>

#include "tokenize.h"

static int is_word_byte(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int tokenize(const char *line, tokenize_fn *fn, void *payload)
{
	static char word[TOKEN_MAX + 1]; /* one buffer, every caller */
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
			word[i] = (char)tolower((unsigned char)start[i]); /* wrong: sanitizer */
		word[n] = '\0';                                   /* wrong: sanitizer */
		fn(word, payload);
		count++;
	}
	return count;
}

/* Wrong: a helper lower-cases the word into its own local array and
 * returns a pointer to it: the array died when the helper returned. */
#include <ctype.h>
#include <stddef.h>

#include "tokenize.h"

static int is_word_byte(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static const char *fold(const char *start, size_t n)
{
	char word[TOKEN_MAX + 1];       /* the longest word and its NUL */

	for (size_t i = 0; i < n; i++)
		word[i] = (char)tolower((unsigned char)start[i]);
	word[n] = '\0';
	return word; /* wrong: test anywhere */
}

int tokenize(const char *line, tokenize_fn *fn, void *payload)
{
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
		fn(fold(start, n), payload);
		count++;
	}
	return count;
}

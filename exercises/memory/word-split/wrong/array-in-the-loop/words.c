/* Wrong: the free of the array went inside the loop: with two words or
 * more, the next round reads words[1] out of the freed array. */
#include <stdlib.h>
#include <string.h>

#include "words.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

char **words_split(const char *s, int *n)
{
	char **words = NULL;
	int count = 0;

	while (*s) {
		const char *start;
		char **more;

		while (is_space(*s))
			s++;
		if (!*s)
			break;
		start = s;
		while (*s && !is_space(*s))
			s++;
		more = realloc(words, (size_t)(count + 1) * sizeof(*words));
		if (!more)
			abort();
		words = more;
		words[count++] = strndup(start, (size_t)(s - start));
	}
	*n = count;
	return words;
}

void words_free(char **words, int n)
{
	for (int i = 0; i < n; i++) {
		free(words[i]);         /* wrong: sanitizer */
		free(words);
	}
}

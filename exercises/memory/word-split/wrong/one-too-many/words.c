/* Wrong: "n words, so up to n": the loop runs once more than there are
 * words and reads words[n], one pointer past the end of the array. */
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
	for (int i = 0; i <= n; i++)
		free(words[i]);         /* wrong: sanitizer */
	free(words);
}

/* Wrong: makes each comparison cheaper (the first letter first) and keeps
 * the scan: still 229 stop words looked at for every word. */
#include "words.h"

/* Whether the n letters at w spell s, all of it. */
static bool same(const char *w, size_t n, const char *s)
{
	size_t i = 0;

	while (i < n && s[i] == w[i])
		i++;
	return i == n && s[i] == '\0';
}

bool is_stopword(const char *w, size_t n)
{
	for (int i = 0; i < NSTOPWORDS; i++)
		if (n > 0 && stopwords[i][0] == w[0] && same(w, n, stopwords[i]))    /* wrong: benchmark anywhere */
			return true;
	return false;
}

long count_content_words(const char *text)
{
	long count = 0;
	const char *p = text;

	while (*p) {
		const char *start;

		while (*p && !(*p >= 'a' && *p <= 'z'))
			p++;
		start = p;
		while (*p >= 'a' && *p <= 'z')
			p++;
		if (p > start && !is_stopword(start, (size_t)(p - start)))
			count++;
	}
	return count;
}

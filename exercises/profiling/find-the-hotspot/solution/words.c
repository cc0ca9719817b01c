/* Counting content words: the reference solution. */
#include "words.h"

/* strcmp of the n letters at w against s. */
static int compare(const char *w, size_t n, const char *s)
{
	size_t i = 0;

	while (i < n && s[i] == w[i])
		i++;
	if (i == n)
		return s[i] ? -1 : 0;   /* w ends first: smaller, unless s ends too */
	return (unsigned char)w[i] - (unsigned char)s[i];
}

/* The list is sorted: a binary search, 8 comparisons in place of 229. */
bool is_stopword(const char *w, size_t n)
{
	int lo = 0, hi = NSTOPWORDS - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, d = compare(w, n, stopwords[mid]);

		if (d == 0)
			return true;
		if (d < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
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

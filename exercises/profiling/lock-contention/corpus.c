/* corpus.c: test texts, and a plain count to compare with (instructor
 * file). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table_more.h"

enum { VOCAB = 5000 };

static uint32_t next(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33);
}

/* Word i of the vocabulary: 2 to 9 letters drawn from i. */
static size_t vocab_word(int i, char *out)
{
	uint64_t s = (uint64_t)i * 0x9e3779b97f4a7c15ull + 1;
	size_t n = 2 + next(&s) % 8;

	for (size_t k = 0; k < n; k++)
		out[k] = (char)('a' + next(&s) % 26);
	return n;
}

char *corpus_make(size_t len, unsigned seed)
{
	char *text = malloc(len + 16), w[16];
	uint64_t s = seed;
	size_t at = 0;

	if (!text)
		return NULL;
	while (at < len) {
		/* skewed ranks: u cubed puts most draws on the first words */
		double u = (double)next(&s) / 2147483648.0;    /* next() has 31 bits */
		int r = (int)(u * u * u * VOCAB);
		size_t n = vocab_word(r % VOCAB, w);

		memcpy(text + at, w, n);
		at += n;
		text[at++] = next(&s) % 12 == 0 ? '\n' : ' ';
	}
	text[at] = 0;
	return text;
}

void corpus_count(const char *text, struct wc_table *t)
{
	const char *p = text;

	while (*p) {
		const char *w;

		while (*p && !(*p >= 'a' && *p <= 'z'))
			p++;
		w = p;
		while (*p >= 'a' && *p <= 'z')
			p++;
		if (p > w)
			table_inc(t, w, (size_t)(p - w), 1);
	}
}

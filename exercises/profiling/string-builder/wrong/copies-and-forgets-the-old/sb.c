/* Wrong: grows by doubling into a new buffer and copies the string over,
 * as the starter did, but the free of the old buffer went missing: every
 * growth leaks the buffer before. */
#include <stdlib.h>
#include <string.h>

#include "sb.h"

void sb_append(struct sb *b, const char *t)
{
	size_t n = strlen(t);

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *s;

		while (cap < b->len + n + 1)
			cap *= 2;
		s = malloc(cap);        /* wrong: sanitizer */
		if (!s)
			abort();
		if (b->s)
			memcpy(s, b->s, b->len + 1);
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, t, n + 1);
	b->len += n;
}

const char *sb_str(const struct sb *b)
{
	return b->s ? b->s : "";
}

void sb_free(struct sb *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

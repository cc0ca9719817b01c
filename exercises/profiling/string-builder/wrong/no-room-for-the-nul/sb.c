/* Wrong: doubles, but counts only the text, not the NUL after it: when
 * an append fills the buffer exactly, the NUL goes one byte past it. */
#include <stdlib.h>
#include <string.h>

#include "sb.h"

void sb_append(struct sb *b, const char *t)
{
	size_t n = strlen(t);

	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *s;

		while (cap < b->len + n)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s)
			abort();
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, t, n + 1);        /* wrong: sanitizer */
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

/* Wrong: keeps spare room, but grows it by a fixed 4 KiB: fast on the
 * benchmark's 4000 bytes, and one realloc per 4 KiB (256 for a megabyte),
 * so building n bytes still copies about n^2/8192 of them. */
#include <stdlib.h>
#include <string.h>

#include "sb.h"

void sb_append(struct sb *b, const char *t)
{
	size_t n = strlen(t);

	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap;
		char *s;

		while (cap < b->len + n + 1)
			cap += 4096;    /* wrong: test anywhere */
		s = realloc(b->s, cap);
		if (!s)
			abort();
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

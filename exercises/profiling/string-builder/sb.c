/* A growable string: see the exercise text (chanlab shows it). */
#include <stdlib.h>
#include <string.h>

#include "sb.h"

void sb_append(struct sb *b, const char *t)
{
	size_t n = strlen(t);
	char *s = malloc(b->len + n + 1);   /* exactly enough, every time */

	if (!s)
		abort();
	if (b->s)
		memcpy(s, b->s, b->len);
	memcpy(s + b->len, t, n + 1);
	free(b->s);
	b->s = s;
	b->len += n;
	b->cap = b->len + 1;
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

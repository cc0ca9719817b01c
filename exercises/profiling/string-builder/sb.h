/* sb.h: a growable string (the harness includes it too). */
#ifndef SB_H
#define SB_H

#include <stddef.h>

struct sb {
	char *s;        /* NUL-terminated once anything was appended; NULL before */
	size_t len;     /* bytes in use, without the NUL */
	size_t cap;     /* bytes allocated */
};

#define SB_INIT { NULL, 0, 0 }

/* Appends the string t. */
void sb_append(struct sb *b, const char *t);

/* The string so far ("" when empty). */
const char *sb_str(const struct sb *b);

/* Frees the buffer and empties b. */
void sb_free(struct sb *b);

#endif

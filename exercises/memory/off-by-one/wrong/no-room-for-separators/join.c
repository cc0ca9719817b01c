/* Wrong: room for the parts and the NUL, but not for the separators
 * between them: the copies run past the end of the block. */
#include <stdlib.h>
#include <string.h>

#include "join.h"

char *join(const char **parts, int n, const char *sep)
{
	size_t seplen = strlen(sep);
	size_t len = 0;
	char *s, *p;

	for (int i = 0; i < n; i++)
		len += strlen(parts[i]);
	s = malloc(len + 1);   /* the characters, and one byte for the NUL */
	if (!s)
		abort();
	p = s;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(parts[i]);

		if (i > 0) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, parts[i], l);         /* wrong: sanitizer */
		p += l;
	}
	*p = '\0';
	return s;
}

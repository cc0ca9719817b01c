/* Wrong: a separator after every part, the last one too: one separator
 * more than the n - 1 the block has room for (and one too many in the
 * result). */
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
	if (n > 1)
		len += (size_t)(n - 1) * seplen;
	s = malloc(len + 1);
	if (!s)
		abort();
	p = s;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(parts[i]);

		memcpy(p, parts[i], l);
		p += l;
		memcpy(p, sep, seplen);         /* wrong: sanitizer */
		p += seplen;
	}
	*p = '\0';
	return s;
}

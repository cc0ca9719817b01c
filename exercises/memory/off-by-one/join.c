/* Joining strings with a separator: see the exercise text (chanlab shows it). */
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
	s = malloc(len);
	if (!s)
		abort();
	p = s;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(parts[i]);

		if (i > 0) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, parts[i], l);
		p += l;
	}
	*p = '\0';
	return s;
}

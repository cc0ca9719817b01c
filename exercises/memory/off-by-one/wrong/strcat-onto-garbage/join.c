/* Wrong: strcat onto a block fresh from malloc: malloc does not zero it,
 * so the first strcat looks for a NUL in garbage and reads past the end. */
#include <stdlib.h>
#include <string.h>

#include "join.h"

char *join(const char **parts, int n, const char *sep)
{
	size_t len = 0;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(parts[i]);
	if (n > 1)
		len += (size_t)(n - 1) * strlen(sep);
	s = malloc(len + 1);
	if (!s)
		abort();
	for (int i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, sep);
		strcat(s, parts[i]);            /* wrong: sanitizer */
	}
	return s;
}

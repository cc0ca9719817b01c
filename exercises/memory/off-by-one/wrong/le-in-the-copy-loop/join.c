/* Wrong: "copy up to the length" with <= copies each part's NUL too, one
 * byte more per part than the block was sized for. */
#include <stdlib.h>
#include <string.h>

#include "join.h"

char *join(const char **parts, int n, const char *sep)
{
	size_t seplen = strlen(sep);
	size_t len = 0, k = 0;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(parts[i]);
	if (n > 1)
		len += (size_t)(n - 1) * seplen;
	s = malloc(len + 1);
	if (!s)
		abort();
	for (int i = 0; i < n; i++) {
		size_t l = strlen(parts[i]);

		if (i > 0)
			for (size_t j = 0; j < seplen; j++)
				s[k++] = sep[j];
		for (size_t j = 0; j <= l; j++)
			s[k++] = parts[i][j];   /* wrong: sanitizer */
	}
	s[k] = '\0';
	return s;
}

#include <stdlib.h>
#include <string.h>
#include "cache.h"

static char **all;
static size_t n, cap;

void cache_put(const char *s)
{
	if (n == cap) {
		cap = cap ? 2 * cap : 8;
		all = realloc(all, cap * sizeof(*all));
	}
	all[n++] = strdup(s);
}

void cache_clear(void)
{
	while (n)
		free(all[--n]);
	free(all);
	all = NULL;
	cap = 0;
}

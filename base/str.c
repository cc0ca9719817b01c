/* str — string and string-list helpers; see str.h. */
#include <stdlib.h>
#include <string.h>

#include "base/str.h"

char *str_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

size_t str_list_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

void str_list_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

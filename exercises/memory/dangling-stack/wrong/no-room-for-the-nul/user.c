/* Wrong: the name is measured and allocated to fit, but with no byte for
 * its NUL. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "user.h"

struct user *user_parse(const char *line)
{
	struct user *u;
	char *name;
	const char *p = line;
	size_t n = 0;
	int id = 0;

	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		id = id * 10 + (*p++ - '0');
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return NULL;
	n = strnlen(p, USER_NAME_MAX);
	name = malloc(n);
	u = malloc(sizeof(*u));
	if (!name || !u)
		abort();
	for (size_t i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)p[i]);
	name[n] = '\0';                 /* wrong: sanitizer */
	u->id = id;
	u->name = name;
	return u;
}

void user_free(struct user *u)
{
	if (!u)
		return;
	free((char *)u->name);
	free(u);
}

const struct user *user_find(struct user *const *users, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(users[i]->name, name) == 0)
			return users[i];
	return NULL;
}

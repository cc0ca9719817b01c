/* Wrong: the name is on the heap now, but user_free still frees only the
 * struct: every name leaks. */
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
	/* The name outlives this call, so it lives on the heap, as u does. */
	name = malloc(USER_NAME_MAX + 1);     /* wrong: sanitizer */
	u = malloc(sizeof(*u));
	if (!name || !u)
		abort();
	while (p[n] && n < USER_NAME_MAX) {
		name[n] = (char)tolower((unsigned char)p[n]);
		n++;
	}
	name[n] = '\0';
	u->id = id;
	u->name = name;
	return u;
}

void user_free(struct user *u)
{
	if (!u)
		return;
	free(u);
}

const struct user *user_find(struct user *const *users, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(users[i]->name, name) == 0)
			return users[i];
	return NULL;
}

/* user.h: users parsed from lines of a user list (the harness includes it
 * too). */
#ifndef USER_H
#define USER_H

#define USER_NAME_MAX 31        /* a longer name is cut to this many bytes */

/* One user. The struct and its name belong to it: both stay valid until
 * user_free. */
struct user {
	int id;
	const char *name;       /* lower-cased, NUL-terminated */
};

/* Parses a line "ID NAME" ("42 Ada") into a new user, the name folded to
 * lower case and cut to USER_NAME_MAX bytes. Returns NULL if the line does
 * not start with a number followed by a name. The caller frees the user
 * with user_free. */
struct user *user_parse(const char *line);

/* Gives back everything user_parse allocated for u. u may be NULL. */
void user_free(struct user *u);

/* Returns the first of the n users whose name is name, or NULL. */
const struct user *user_find(struct user *const *users, int n, const char *name);

#endif

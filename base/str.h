/*
 * str — string and string-list helpers.
 *
 * A string list is a malloc'd array of malloc'd strings ending in NULL
 * (char **), as execve takes them; str_list_free releases the lot.
 */
#ifndef BASE_STR_H
#define BASE_STR_H

#include <stddef.h>

/* A malloc'd copy of s, or NULL when s is NULL (or memory ran out). */
char *str_dup(const char *s);

/* The number of strings in v before its NULL (0 for a NULL v). */
size_t str_list_len(char *const *v);

/* Frees every string of v, then v; a NULL v is fine. */
void str_list_free(char **v);

#endif

/*
 * json — a small reader for the JSON chanlab prints itself (the result of
 * `chanlab check --json`, docs/results.md), into a tree of values.
 *
 * The tree is one heap object: json_parse allocates it, json_free frees
 * it. Lookups never fail: a missing member reads as NULL, "" or 0, so a
 * newer format version with more fields reads the same.
 */
#ifndef TUI_JSON_H
#define TUI_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_type type;
	char *key;              /* the member's name inside an object, else NULL */
	char *str;              /* JSON_STR: the decoded UTF-8 text (NUL-terminated) */
	size_t len;             /* JSON_STR: its length; it may hold NULs ("\u0000") */
	double num;             /* JSON_NUM; JSON_BOOL: 0 or 1 */
	struct json *kids;      /* JSON_ARR, JSON_OBJ: the elements or members */
	size_t nkids;
};

/* Parses text (one value, then only white space). 0, or -1 with err_msg
 * naming the byte offset. Free *out with json_free. */
int json_parse(struct json **out, const char *text);
void json_free(struct json *j);

/* The member key of object j, or NULL (also when j is NULL or no object). */
const struct json *json_get(const struct json *j, const char *key);
/* The string member key, or "" when missing or not a string. */
const char *json_str(const struct json *j, const char *key);
/* The same with its length in *len: a program's output may hold NULs. */
const char *json_strn(const struct json *j, const char *key, size_t *len);
/* The number member key, or 0. */
double json_num(const struct json *j, const char *key);

#endif

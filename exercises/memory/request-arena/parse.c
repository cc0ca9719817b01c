/* Requests parsed from their text: see the exercise text (chanlab shows it).
 *
 * For now every piece of a request is a malloc of its own, and req_free
 * walks the request to free each. TODO: take them all from one arena. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "parse.h"

/* The end of the line that starts at p: its '\n' or the text's NUL. */
static const char *line_end(const char *p)
{
	const char *e = strchr(p, '\n');

	return e ? e : p + strlen(p);
}

static char *copy_of(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		abort();
	return d;
}

struct req *req_parse(const char *text)
{
	struct req *r = calloc(1, sizeof(*r));
	struct header **tail = &r->headers;
	const char *eol = line_end(text), *sp = memchr(text, ' ', (size_t)(eol - text));
	const char *p;

	if (!r)
		abort();
	if (!sp || sp == text || sp + 1 == eol)
		goto out_free;
	r->method = copy_of(text, (size_t)(sp - text));
	r->path = copy_of(sp + 1, (size_t)(eol - sp - 1));
	for (p = *eol ? eol + 1 : eol; *p && *p != '\n'; p = *eol ? eol + 1 : eol) {
		const char *colon, *v;
		struct header *h;

		eol = line_end(p);
		colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon)
			goto out_free;
		for (v = colon + 1; v < eol && *v == ' '; v++)
			;
		h = malloc(sizeof(*h));
		if (!h)
			abort();
		h->name = copy_of(p, (size_t)(colon - p));
		h->value = copy_of(v, (size_t)(eol - v));
		h->next = NULL;
		*tail = h;
		tail = &h->next;
		r->nheaders++;
	}
	return r;

out_free:
	req_free(r);
	return NULL;
}

const char *req_header(const struct req *r, const char *name)
{
	for (const struct header *h = r->headers; h; h = h->next)
		if (strcmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

void req_free(struct req *r)
{
	struct header *h, *next;

	if (!r)
		return;
	for (h = r->headers; h; h = next) {
		next = h->next;
		free((char *)h->name);
		free((char *)h->value);
		free(h);
	}
	free((char *)r->method);
	free((char *)r->path);
	free(r);
}

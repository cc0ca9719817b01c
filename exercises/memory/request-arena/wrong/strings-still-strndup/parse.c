/* Wrong: the request and its headers come from the arena, but the strings
 * are still strndup'd, and arena_free does not know them: they leak.
 *
 * Everything a request holds comes from its own arena, the request struct
 * included: req_free is one arena_free. */
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

struct req *req_parse(const char *text)
{
	struct arena *a = arena_new();
	struct req *r = arena_alloc(a, sizeof(*r));
	struct header **tail = &r->headers;
	const char *eol = line_end(text), *sp = memchr(text, ' ', (size_t)(eol - text));
	const char *p;

	if (!sp || sp == text || sp + 1 == eol)
		goto out_free;
	r->arena = a;
	r->method = arena_strndup(a, text, (size_t)(sp - text));
	r->path = arena_strndup(a, sp + 1, (size_t)(eol - sp - 1));
	r->headers = NULL;
	r->nheaders = 0;
	for (p = *eol ? eol + 1 : eol; *p && *p != '\n'; p = *eol ? eol + 1 : eol) {
		const char *colon, *v;
		struct header *h;

		eol = line_end(p);
		colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon)
			goto out_free;
		for (v = colon + 1; v < eol && *v == ' '; v++)
			;
		h = arena_alloc(a, sizeof(*h));
		h->name = strndup(p, (size_t)(colon - p));   /* wrong: sanitizer */
		h->value = strndup(v, (size_t)(eol - v));
		h->next = NULL;
		*tail = h;
		tail = &h->next;
		r->nheaders++;
	}
	return r;

out_free:
	arena_free(a);
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
	if (r)
		arena_free(r->arena);
}

/*
 * check_paths — what programs and compilers print, in the learner's
 * terms: the folders chanlab builds in and keeps its own files in are
 * taken out of every path, and the stack frames of the test harness's
 * machinery, of a goroutine's entry and of the sanitizer's own
 * interceptors (malloc, free) are left out of sanitizer reports
 * (the runtime's own tracebacks already hide them). A learner reads
 * "list.c:22" and "list_test.c:38", never
 * "/home/.../build/list-remove/src-learner1/list_test.c:38".
 *
 * Data model: the verdict's prefixes (check_run sets them from its
 * environment), each a folder followed by '/'; a prefix marked with a
 * trailing '*' also takes the folder after it ("<builddir>/src-learner1/").
 * Everything is edited in place: the text only gets shorter.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <string.h>

#include "lua/check_int.h"

/* Removes every occurrence of prefix (and, with one_more, the path
 * component after it) from s[0..len); the new length. */
static size_t cut(char *s, size_t len, const char *prefix, bool one_more)
{
	size_t n = strlen(prefix), r = 0, w = 0;

	if (!n)
		return len;
	while (r < len) {
		if (r + n <= len && memcmp(s + r, prefix, n) == 0) {
			size_t e = r + n;

			if (one_more) {
				while (e < len && s[e] != '/' && s[e] != '\n' && s[e] != ' ')
					e++;
				if (e >= len || s[e] != '/') {   /* not a folder: leave it */
					s[w++] = s[r++];
					continue;
				}
				e++;
			}
			r = e;
			continue;
		}
		s[w++] = s[r++];
	}
	return w;
}

/* A frame placed by module and offset alone, not at a source line, in the
 * program itself ("#0 0x55d1 in malloc (prog1+0x1093af)"): the
 * sanitizer's runtime, linked in statically. A shared library's frame
 * names its .so; TSan's frames give a source line before their module
 * ("#0 f sessions.c:61 (prog4+0x1234)") and stay. */
static bool sanitizer_linked_in(const char *line, size_t n)
{
	const char *end = line + n, *open = NULL, *in, *plus, *base;

	while (end > line && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	if (end == line || end[-1] != ')')
		return false;
	for (const char *q = line; q < end; q++)
		if (*q == '(')
			open = q;
	if (!open || !(plus = memmem(open, (size_t)(end - open), "+0x", 3)))
		return false;
	/* "in NAME (", nothing between the name and the module */
	in = memmem(line, (size_t)(open - line), " in ", 4);
	if (!in || open - 1 <= in + 4 || memchr(in + 4, ' ', (size_t)(open - 1 - (in + 4))))
		return false;
	base = open + 1;
	for (const char *q = base; q < plus; q++)
		if (*q == '/')
			base = q + 1;
	return memchr(base, '.', (size_t)(plus - base)) == NULL;
}

/* A sanitizer's stack line ("    #2 0x55d1 in cl_run_case chanlab_test.h:351")
 * that shows only the harness's machinery, a goroutine's entry or the
 * sanitizer's own code. */
static bool machinery(const char *line, size_t n)
{
	static const char *const entry[] = {
		" in main_goroutine ", " in go__g_entry ", " in go__ctx_entry ", " in __interceptor_",
	};
	const char *p = line;

	while (p < line + n && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= line + n || *p != '#')
		return false;
	for (size_t i = 0; i < sizeof(entry) / sizeof(entry[0]); i++)
		if (memmem(line, n, entry[i], strlen(entry[i])))
			return true;
	return memmem(line, n, " chanlab_test.h:", 16) != NULL || sanitizer_linked_in(line, n);
}

static size_t drop_machinery(char *s, size_t len)
{
	size_t r = 0, w = 0;

	while (r < len) {
		char *nl = memchr(s + r, '\n', len - r);
		size_t n = nl ? (size_t)(nl - (s + r)) + 1 : len - r;

		if (!machinery(s + r, n)) {
			memmove(s + w, s + r, n);
			w += n;
		}
		r += n;
	}
	return w;
}

size_t check_paths_shorten(const struct check_verdict *v, char *s, size_t len)
{
	for (size_t i = 0; i < CHECK_NPATHS && v->paths[i]; i++) {
		size_t n = strlen(v->paths[i]);
		bool one_more = n && v->paths[i][n - 1] == '*';
		char prefix[4200];

		if (n >= sizeof(prefix) - 1)
			continue;
		memcpy(prefix, v->paths[i], n - one_more);
		prefix[n - one_more] = '\0';
		len = cut(s, len, prefix, one_more);
	}
	return drop_machinery(s, len);
}

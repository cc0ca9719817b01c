/*
 * check_paths — what programs and compilers print, in the learner's
 * terms: the folders chanlab builds in and keeps its own files in are
 * taken out of every path, and the stack frames of the test harness's
 * machinery, of a goroutine's entry and of the sanitizer's own
 * interceptors (malloc, free) are left out of sanitizer reports, in
 * ASan's form and in TSan's, with TSan's word on where the scheduler
 * made a goroutine's fiber (the runtime's own tracebacks already hide
 * them). A learner reads
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

/* The function a sanitizer's stack line names, in ASan's form ("    #2
 * 0x55d1 in cl_run_case chanlab_test.h:351") or TSan's ("    #2
 * go__g_entry runtime/sched.c:879 (prog2+0x5605)"): its start, and its
 * length in *fn_len; NULL for a line that is not a frame. */
static const char *frame_function(const char *line, size_t n, size_t *fn_len)
{
	const char *p = line, *end = line + n, *f;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p++ != '#')
		return NULL;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	if (p >= end || *p++ != ' ')
		return NULL;
	if (end - p > 2 && p[0] == '0' && p[1] == 'x') {     /* ASan: 0xADDR in FUNC */
		const char *in = memmem(p, (size_t)(end - p), " in ", 4);

		if (!in)
			return NULL;
		p = in + 4;
	}
	for (f = p; p < end && *p != ' ' && *p != '\n'; p++)
		;
	*fn_len = (size_t)(p - f);
	return *fn_len ? f : NULL;
}

/* A frame of the runtime's own sources ("... execute runtime/sched.c:773"). */
static bool runtime_frame(const char *line, size_t n)
{
	size_t fn;
	const char *f = frame_function(line, n, &fn);

	return f && f + fn + 9 <= line + n && memcmp(f + fn, " runtime/", 9) == 0;
}

/* A sanitizer's stack line that shows only the harness's machinery, a
 * goroutine's entry or the sanitizer's own interceptors; the harness's
 * are in chanlab_test.h. */
static bool machinery(const char *line, size_t n)
{
	static const char *const entry[] = { "main_goroutine", "go__g_entry", "go__ctx_entry" };
	size_t fn;
	const char *f = frame_function(line, n, &fn);

	if (!f)
		return false;
	for (size_t i = 0; i < sizeof(entry) / sizeof(entry[0]); i++)
		if (fn == strlen(entry[i]) && memcmp(f, entry[i], fn) == 0)
			return true;
	if (fn > 14 && memcmp(f, "__interceptor_", 14) == 0)
		return true;
	return memmem(line, n, " chanlab_test.h:", 16) != NULL || sanitizer_linked_in(line, n);
}

/* The length of the line at s[0..len). */
static size_t line_len(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);

	return nl ? (size_t)(nl - s) + 1 : len;
}

static bool blank(const char *line, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\n')
			return false;
	return true;
}

/* How much of s[0..len) is a block of TSan's that says where a thread
 * was created, when each of its frames is the scheduler's: a goroutine is
 * a fiber TSan sees created where the scheduler first ran it ("Thread T6
 * (tid=0, running) created by main thread at:" then execute, schedule),
 * which says nothing of the learner's program. The block's blank line
 * after it goes too; 0 for any other line. */
static size_t scheduler_creation(const char *s, size_t len)
{
	size_t n = line_len(s, len), at = n, frames = 0;

	if (!memmem(s, n, "Thread T", 8) || !memmem(s, n, " created by ", 12))
		return 0;
	while (at < len) {
		size_t k = line_len(s + at, len - at), fn;

		if (!runtime_frame(s + at, k)) {
			if (frame_function(s + at, k, &fn))
				return 0;    /* a frame of the program's own */
			if (blank(s + at, k))
				at += k;     /* the blank line after the block */
			break;
		}
		frames++;
		at += k;
	}
	return frames ? at : 0;
}

static size_t drop_machinery(char *s, size_t len)
{
	size_t r = 0, w = 0;

	while (r < len) {
		size_t n = line_len(s + r, len - r), block = scheduler_creation(s + r, len - r);

		if (block) {
			r += block;
			continue;
		}
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

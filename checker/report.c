/*
 * report — line-based readers for sanitizer, valgrind and runtime reports;
 * see report.h.
 *
 * Data model: a report starts at a headline the tool always prints ("ERROR:
 * AddressSanitizer: <kind>", "WARNING: ThreadSanitizer: <kind>", "==pid==
 * Invalid read", "fatal error: ...", "<file>:<line>:<col>: runtime error:")
 * and owns the lines up to the next headline or the tool's SUMMARY line.
 * Inside it, frame lines ("#3 0x.. in f file.c:12", "at 0x..: f (file.c:12)",
 * "\tblocked at file.c:12", the runtime's "\t#0 f file.c:12") are tried in
 * order until one names a learner file; a goroutine leak takes the
 * "created at" line first. A runtime report's goroutines ("goroutine N
 * [state]:" blocks) are also kept as a JSON array for the verdict, and a
 * crash's "[signal SIGSEGV: ...]" line gives its signal.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "checker/report.h"

struct kind_info {
	const char *key;      /* matched as a prefix of the tool's kind */
	const char *kind;     /* our name; NULL: the tool's own */
	const char *explain;
};

static const struct kind_info kinds[] = {
	{ "heap-use-after-free", NULL, "memory was used after it was freed: something still points at a block you gave back with free(); free it only after its last use, or set the pointer to NULL" },
	{ "heap-buffer-overflow", NULL, "a read or write went past the end (or before the start) of a malloc'd block: check the loop bounds and the size you allocated" },
	{ "stack-buffer-overflow", NULL, "a read or write went past the end of a local array: check the index against the array's length" },
	{ "global-buffer-overflow", NULL, "a read or write went past the end of a global array" },
	{ "stack-use-after-return", NULL, "a pointer to a local variable was used after its function returned" },
	{ "use-after-poison", NULL, "memory was used that its allocator marked off-limits (poisoned): a block not handed out yet, or past the end of what was handed out" },
	{ "stack-use-after-scope", NULL, "a pointer to a local variable was used after its block ended" },
	{ "attempting double-free", "double-free", "the same block was freed twice: after free(p), p must not be freed again" },
	{ "double-free", NULL, "the same block was freed twice: after free(p), p must not be freed again" },
	{ "attempting free on address which was not malloc", "bad-free", "free() got a pointer that malloc did not return" },
	{ "alloc-dealloc-mismatch", NULL, "memory was released with a different family of calls than allocated it" },
	{ "SEGV", "segv", "the program touched memory it does not own (often a NULL or dangling pointer)" },
	{ "stack-overflow", NULL, "the stack ran out: usually a recursion that never stops" },
	{ "detected memory leaks", "memory-leak", "memory was allocated and never freed: every malloc needs a free once the block is no longer used (the frame shows where it was allocated)" },
	{ "data race", "data-race", "two threads or goroutines touched the same memory at the same time and at least one wrote: protect it with a mutex, or pass it through a channel" },
	{ "lock-order-inversion", "lock-order-inversion", "two locks are taken in different orders in different places, which can deadlock: always take them in one order" },
	{ "thread leak", "thread-leak", "a thread was started and never joined" },
	{ "heap-use-after-free (", "heap-use-after-free", "memory was used after it was freed" },
	{ "found unexpected goroutines", "goroutine-leak", "goroutines were still alive when the work was done (a goroutine leak): each one waits for something that never comes, such as a send nobody receives, a channel never closed, a done signal it ignores or a ticker never stopped; the report shows where each was created and where it waits" },
	{ "lostcancel", "context-leak", "a context made with go_ctx_with_cancel, _deadline or _timeout was never cancelled: its timer and its place in the parent stay until the program ends; call go_ctx_free(ctx) when done with it (Go's defer cancel())" },
	{ "SIGQUIT", "timeout", "the time limit was up and the program was stopped: the dump shows where each goroutine was, a loop that never ends at its line (running) or goroutines waiting for each other" },
	{ "runtime error: invalid memory address or nil pointer dereference", "nil-dereference", "the program read or wrote through a NULL (or nearly NULL) pointer: the frame shows the line; make sure the pointer is set before it is used" },
	{ "runtime error: integer divide by zero", "divide-by-zero", "an integer was divided by zero (or taken modulo zero): check the divisor first" },
	{ "runtime error: ", "crash", "the program crashed: the frame shows the line where it happened" },
	{ "fault", "segv", "the program touched memory it does not own (a dangling or wild pointer): the frame shows the line" },
	{ "runtime error", "undefined-behaviour", "the program did something C leaves undefined (overflow, bad shift, misaligned or NULL access): the result cannot be trusted" },
	{ "a goroutine pinned to its P by go_proc_pin", "pinned-block", "between go_proc_pin and go_proc_unpin no other goroutine may run on this P, so the goroutine must not block or yield there, and every way out must unpin (look for an early return after the pin named here); the frames show where it left its P" },
	{ "all goroutines are asleep - deadlock!", "deadlock", "every goroutine is blocked waiting for another: a send nobody receives, a receive nobody sends to, or a lock never released; the dump shows where each one waits" },
	{ "goroutine", "stack-overflow", "a goroutine ran out of stack: usually a recursion that never stops" },
	{ "panic", "panic", "the program panicked: the message says why, the frame says where" },
	{ "out of memory (the program held", "fatal-error", "the program held more memory than the check allows (every process it started counts) and was stopped: look for memory that grows without end; the dump shows where each goroutine was" },
	{ "fatal error", "fatal-error", "the runtime stopped the program: the message says why" },
	{ "Invalid read", "invalid-read", "the program read memory it does not own: past the end of a block, or a block already freed" },
	{ "Invalid write", "invalid-write", "the program wrote memory it does not own: past the end of a block, or a block already freed" },
	{ "Invalid free", "invalid-free", "free() got a pointer that was already freed or never allocated" },
	{ "Conditional jump or move depends on uninitialised", "uninitialised-value", "a decision depends on a variable that was never given a value" },
	{ "Use of uninitialised", "uninitialised-value", "a value that was never initialised was used" },
	{ "definitely lost", "memory-leak", "memory was allocated and never freed: every malloc needs a free once the block is no longer used" },
	{ "Mismatched free", "alloc-dealloc-mismatch", "memory was released with a different family of calls than allocated it" },
};

static const struct kind_info *kind_for(const char *tool_kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(tool_kind, kinds[i].key, strlen(kinds[i].key)) == 0)
			return &kinds[i];
	return NULL;
}

static const char *base_name(const char *path, size_t len, size_t *blen)
{
	const char *b = path;

	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			b = path + i + 1;
	*blen = len - (size_t)(b - path);
	return b;
}

/* The learner's own name for the file at path, or NULL. */
static const char *own_name(const char *path, size_t len, const char *const *own)
{
	size_t blen, olen;
	const char *b = base_name(path, len, &blen);

	for (size_t i = 0; own && own[i]; i++) {
		const char *ob = base_name(own[i], strlen(own[i]), &olen);

		if (olen == blen && memcmp(ob, b, blen) == 0)
			return own[i];
	}
	return NULL;
}

/* Finds "path:line" in s (a token ending in :digits or :digits:digits). */
static bool find_loc(const char *s, const char **path, size_t *plen, int *line)
{
	const char *p = s;

	while (*p) {
		const char *tok, *end, *colon;

		while (*p == ' ' || *p == '\t' || *p == '(' || *p == ')')
			p++;
		tok = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '(' && *p != ')')
			p++;
		end = p;
		if (end == tok)
			break;   /* nothing left but separators */
		if (end > tok && end[-1] == ':')
			end--;
		/* strip a trailing :col, then need :line */
		for (int pass = 0; pass < 2; pass++) {
			colon = end;
			while (colon > tok && isdigit((unsigned char)colon[-1]))
				colon--;
			if (colon > tok + 1 && colon < end && colon[-1] == ':') {
				const char *q = colon - 1;
				const char *r = q;

				while (r > tok && isdigit((unsigned char)r[-1]))
					r--;
				if (pass == 0 && r > tok + 1 && r < q && r[-1] == ':') {
					/* path:line:col */
					*path = tok;
					*plen = (size_t)(r - 1 - tok);
					*line = atoi(r);
					return *plen > 0 && memchr(tok, '.', *plen);
				}
				*path = tok;
				*plen = (size_t)(q - tok);
				*line = atoi(colon);
				if (*plen > 0 && memchr(tok, '.', *plen))
					return true;
			}
			break;
		}
	}
	return false;
}

static bool is_frame(const char *l)
{
	while (*l == ' ' || *l == '\t')
		l++;
	if (*l == '#' && isdigit((unsigned char)l[1]))
		return true;
	if (strncmp(l, "==", 2) == 0) {   /* valgrind: ==123==    at 0x..: f (file.c:3) */
		const char *e = strstr(l + 2, "==");

		if (e) {
			e += 2;
			while (*e == ' ')
				e++;
			return strncmp(e, "at 0x", 5) == 0 || strncmp(e, "by 0x", 5) == 0;
		}
	}
	return strncmp(l, "blocked at ", 11) == 0 || strncmp(l, "at ", 3) == 0 ||
	       strncmp(l, "created at ", 11) == 0;
}

/* The function name in a frame line, or NULL. */
static char *frame_function(const char *l)
{
	const char *f = strstr(l, " in "), *e;

	if (f) {
		f += 4;
	} else if ((f = strstr(l, ": ")) && strstr(l, "0x")) {
		f += 2;   /* valgrind */
	} else {
		while (*l == ' ' || *l == '\t')
			l++;
		if (*l != '#')
			return NULL;
		f = strchr(l, ' ');   /* TSan: #0 func file:line (mod+0x..) */
		if (!f)
			return NULL;
		f++;
	}
	e = f;
	while (*e && *e != ' ')
		e++;
	return e > f ? strndup(f, (size_t)(e - f)) : NULL;
}

struct headline {
	const char *tool;
	char *tool_kind;
	const char *loc;      /* a location on the headline itself (UBSan), or NULL */
};

static char *dup_upto(const char *s, const char *stop)
{
	const char *e = stop ? strstr(s, stop) : NULL;

	return e ? strndup(s, (size_t)(e - s)) : strdup(s);
}

/* Recognises a line that starts a report. */
static bool headline(const char *l, struct headline *h)
{
	const char *p;

	memset(h, 0, sizeof(*h));
	if ((p = strstr(l, "ERROR: AddressSanitizer: "))) {
		h->tool = "AddressSanitizer";
		h->tool_kind = dup_upto(p + 25, " on address");
	} else if ((p = strstr(l, "ERROR: LeakSanitizer: "))) {
		h->tool = "LeakSanitizer";
		h->tool_kind = strdup(p + 22);
	} else if ((p = strstr(l, "WARNING: ThreadSanitizer: "))) {
		h->tool = "ThreadSanitizer";
		h->tool_kind = dup_upto(p + 26, " (pid=");
	} else if ((p = strstr(l, "ERROR: ThreadSanitizer: "))) {
		h->tool = "ThreadSanitizer";
		h->tool_kind = dup_upto(p + 24, " on address");
	} else if ((p = strstr(l, ": runtime error: ")) && strncmp(l, "panic: ", 7) != 0) {
		h->tool = "UndefinedBehaviorSanitizer";
		h->tool_kind = strdup("runtime error");
		h->loc = l;
	} else if (strncmp(l, "fatal error: ", 13) == 0) {
		h->tool = "runtime";
		h->tool_kind = strdup(l + 13);
		if ((p = strstr(l, "; created at ")))
			h->loc = p + 13;   /* a stack overflow names where the goroutine began */
	} else if (strncmp(l, "panic: ", 7) == 0) {
		h->tool = "runtime";
		h->tool_kind = strdup(strncmp(l + 7, "runtime error: ", 15) == 0 ? l + 7 : "panic");
	} else if (strncmp(l, "found unexpected goroutines:", 28) == 0) {
		h->tool = "runtime";
		h->tool_kind = strdup("found unexpected goroutines");
	} else if ((p = strstr(l, " never cancelled: ")) && strstr(p, "(lostcancel)")) {
		h->tool = "runtime";
		h->tool_kind = strdup("lostcancel");
		h->loc = l;   /* "file:line: the context made by ... here was never cancelled" */
	} else if (strncmp(l, "SIGQUIT: ", 9) == 0) {
		h->tool = "runtime";
		h->tool_kind = strdup("SIGQUIT");
	} else if (strncmp(l, "==", 2) == 0 && (p = strstr(l + 2, "== "))) {
		p += 3;
		while (*p == ' ')
			p++;
		if (strncmp(p, "Invalid ", 8) == 0 || strncmp(p, "Conditional jump", 16) == 0 ||
		    strncmp(p, "Use of uninitialised", 20) == 0 || strncmp(p, "Mismatched free", 15) == 0 ||
		    (strstr(p, "definitely lost in loss record"))) {
			h->tool = "valgrind";
			h->tool_kind = strdup(strstr(p, "definitely lost") ? "definitely lost" : p);
		}
	}
	return h->tool != NULL;
}

static bool ends_report(const char *l)
{
	return strstr(l, "SUMMARY: ") != NULL || strncmp(l, "==================", 18) == 0;
}

static int add(struct report_list *list, struct headline *h, const char *first_line)
{
	struct report *r = realloc(list->r, (list->n + 1) * sizeof(*r));
	const struct kind_info *k = kind_for(h->tool_kind);

	if (!r)
		return -1;
	list->r = r;
	r = &list->r[list->n++];
	memset(r, 0, sizeof(*r));
	r->tool = h->tool;
	r->kind = strdup(k && k->kind ? k->kind : h->tool_kind);
	r->explain = k ? k->explain : "the tool stopped the program: read its report below";
	r->summary = strdup(first_line);
	free(h->tool_kind);
	return 0;
}

/* --- a runtime dump's goroutines, as JSON --------------------------------
 * "goroutine N [state]:" opens one; "\tat F:L", "\tblocked at F:L", frames
 * "\t#i func F:L" and "\tcreated at F:L" (or "created by the runtime")
 * fill it; the next one, or the end of the report, closes it. */
#define GJ_MAX 100   /* goroutines kept; a dump may list thousands */

struct gjson {
	struct buf b;
	bool open, frames;
	int n;
};

static void gj_loc(struct buf *b, const char *key, const char *l, const char *const *own)
{
	const char *path, *name;
	size_t plen;
	int line;

	if (!find_loc(l, &path, &plen, &line))
		return;
	name = own_name(path, plen, own);
	buf_printf(b, ",\"%s\":{\"file\":", key);
	if (name)
		buf_json_str(b, name);
	else
		buf_json_strn(b, path, plen);
	buf_printf(b, ",\"line\":%d}", line);
}

static void gj_close(struct gjson *g)
{
	if (!g->open)
		return;
	buf_puts(&g->b, g->frames ? "]}" : ",\"frames\":[]}");
	g->open = g->frames = false;
}

static void gj_line(struct gjson *g, const char *l, const char *const *own)
{
	const char *t = l + strspn(l, " \t"), *br;
	unsigned long long id;

	if (sscanf(l, "goroutine %llu [", &id) == 1 && (br = strchr(l, '['))) {
		const char *end = strrchr(l, ']');

		gj_close(g);
		if (g->n++ >= GJ_MAX)
			return;
		buf_puts(&g->b, g->b.len ? ",{" : "[{");
		buf_printf(&g->b, "\"id\":%llu,\"state\":", id);
		buf_json_strn(&g->b, br + 1, end && end > br ? (size_t)(end - br - 1) : strlen(br + 1));
		g->open = true;
	} else if (!g->open || t == l) {
		return;
	} else if (strncmp(t, "blocked at ", 11) == 0) {
		gj_loc(&g->b, "blocked_at", t + 11, own);
	} else if (strncmp(t, "at ", 3) == 0) {
		gj_loc(&g->b, "at", t + 3, own);
	} else if (strncmp(t, "created at ", 11) == 0 || strncmp(t, "created by ", 11) == 0) {
		if (g->frames)
			buf_puts(&g->b, "]");
		else
			buf_puts(&g->b, ",\"frames\":[]");
		g->frames = true;   /* closed */
		if (t[8] == 'a')
			gj_loc(&g->b, "created_at", t + 11, own);
		else
			buf_puts(&g->b, ",\"created_at\":null");
		buf_puts(&g->b, "}");
		g->open = g->frames = false;
	} else if (*t == '#' && isdigit((unsigned char)t[1])) {
		const char *fn = strchr(t, ' '), *fe;
		struct buf one = BUF_INIT;

		if (!fn)
			return;
		fn++;
		fe = strchr(fn, ' ');
		if (!fe)
			return;
		buf_puts(&one, "{\"function\":");
		buf_json_strn(&one, fn, (size_t)(fe - fn));
		gj_loc(&one, "loc", fe + 1, own);
		/* flatten {"function":..,"loc":{"file":..,"line":..}} */
		if (one.s) {
			char *loc = strstr(one.s, ",\"loc\":{");

			buf_puts(&g->b, g->frames ? "," : ",\"frames\":[");
			if (loc) {
				buf_add(&g->b, one.s, (size_t)(loc - one.s));
				buf_puts(&g->b, ",");
				buf_puts(&g->b, loc + 8);
			} else {
				buf_puts(&g->b, one.s);
				buf_puts(&g->b, ",\"file\":null,\"line\":0}");
			}
			g->frames = true;
		}
		buf_release(&one);
	}
}

/* The array, or NULL when the report held no goroutine. */
static char *gj_finish(struct gjson *g)
{
	gj_close(g);
	g->n = 0;
	if (!g->b.len)
		return NULL;
	buf_puts(&g->b, "]");
	return buf_detach(&g->b);
}

/* A goroutine leak is reported where the leaked goroutine was created (its
 * "created at" line); when that is not in the learner's files, at its
 * first learner frame (kept in *fb meanwhile). */
struct fallback {
	char *file, *function;
	int line;
};

static void leak_close(struct report *cur, struct fallback *fb, struct gjson *g)
{
	char *gs = gj_finish(g);

	if (cur && strcmp(cur->tool, "runtime") == 0)
		cur->goroutines = gs;
	else
		free(gs);
	if (cur && !cur->file && fb->file) {
		cur->file = fb->file;
		cur->line = fb->line;
		cur->function = fb->function;
	} else {
		free(fb->file), free(fb->function);
	}
	memset(fb, 0, sizeof(*fb));
}

static bool is_leak(const struct report *r)
{
	return r && strcmp(r->kind, "goroutine-leak") == 0;
}

int report_parse(struct report_list *list, const char *text, const char *const *own)
{
	struct fallback fb = { 0 };
	struct gjson gj = { BUF_INIT, false, false, 0 };
	struct report *cur = NULL;
	struct buf body = BUF_INIT;
	const char *p = text;
	int nlines = 0;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *l = strndup(p, len);
		struct headline h;

		p = nl ? nl + 1 : NULL;
		if (!l)
			goto oom;
		if (headline(l, &h)) {
			/* One valgrind error or a LeakSanitizer leak per loss record
			 * would flood the list: keep the first of each kind. */
			if (cur)
				cur->text = buf_detach(&body);
			leak_close(cur, &fb, &gj);
			cur = NULL;
			if (add(list, &h, l) < 0) {
				free(l);
				goto oom;
			}
			cur = &list->r[list->n - 1];
			nlines = 0;
			if (h.loc) {
				const char *path;
				size_t plen;
				int line;

				if (find_loc(h.loc, &path, &plen, &line)) {
					const char *name = own_name(path, plen, own);

					cur->file = name ? strdup(name) : strndup(path, plen);
					cur->line = line;
				}
			}
		} else if (cur && ends_report(l) && strncmp(cur->tool, "valgrind", 8) != 0 &&
			   strcmp(cur->tool, "runtime") != 0) {
			buf_puts(&body, l);
			buf_puts(&body, "\n");
			cur->text = buf_detach(&body);
			leak_close(cur, &fb, &gj);
			cur = NULL;
		}
		if (cur && strcmp(cur->tool, "runtime") == 0) {
			gj_line(&gj, l, own);
			if (strncmp(l, "[signal SIG", 11) == 0)
				cur->signal = strncmp(l + 8, "SIGSEGV:", 8) == 0 ? SIGSEGV :
					      strncmp(l + 8, "SIGBUS:", 7) == 0 ? SIGBUS :
					      strncmp(l + 8, "SIGFPE:", 7) == 0 ? SIGFPE :
					      strncmp(l + 8, "SIGILL:", 7) == 0 ? SIGILL : 0;
		}
		if (cur && nlines < 40) {
			buf_puts(&body, l);
			buf_puts(&body, "\n");
			nlines++;
		}
		if (cur && !cur->file && is_frame(l)) {
			const char *path, *name;
			size_t plen;
			int line;

			if (find_loc(l, &path, &plen, &line) && (name = own_name(path, plen, own))) {
				const char *t = l + strspn(l, " \t");

				if (is_leak(cur) && strncmp(t, "created at ", 11) != 0) {
					if (!fb.file || (!fb.function && *t == '#')) {
						free(fb.file), free(fb.function);
						fb.file = strdup(name);
						fb.line = line;
						fb.function = frame_function(l);
					}
				} else {
					cur->file = strdup(name);
					cur->line = line;
					cur->function = frame_function(l);
				}
			}
		}
		free(l);
	}
	if (cur)
		cur->text = buf_detach(&body);
	leak_close(cur, &fb, &gj);
	buf_release(&body);
	for (size_t i = 0; i < list->n; i++)
		if (!list->r[i].text)
			list->r[i].text = strdup("");
	return 0;
oom:
	leak_close(NULL, &fb, &gj);
	buf_release(&body);
	return -1;
}

void report_list_release(struct report_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct report *r = &list->r[i];

		free(r->kind), free(r->summary), free(r->file), free(r->function), free(r->text);
		free(r->goroutines);
	}
	free(list->r);
	list->r = NULL;
	list->n = 0;
}

char *report_describe(const struct report *r)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, r->kind);
	if (r->file)
		buf_printf(&b, " at %s:%d", r->file, r->line);
	if (r->function)
		buf_printf(&b, " in %s()", r->function);
	buf_printf(&b, " (%s): %s", r->tool, r->explain);
	return buf_detach(&b);
}

/*
 * verdict — the one rendering of a verdict; see verdict.h.
 *
 * Data model: a verdict becomes a list of lines, each with an indent and a
 * style, never wider than what the verdict said (the shell wraps them to
 * its pane, the command mode prints them as they are). Everything quoted
 * from the learner's program or files is spelled with buf_add_shown here,
 * once, so neither front end can forget to. A test's failure is told once:
 * its message, then its report only if the message does not already carry
 * the report's explanation, then its output; a failure whose message and
 * output equal those of the test above, or whose message and report kind
 * do (the dumps then differ only by the test's own frames), is "the same
 * failure as above".
 *
 * A sanitizer pass's result for a case joins the case's own line: "✓
 * quick · ASan ✓ · TSan ✓", so that a check's lines update in place as
 * its passes end (while a pass still runs, "· ASan …"); a pass's failure
 * also gets its own lines below, as any failure does.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "checker/build.h"
#include "lua/pack.h"
#include "tui/verdict.h"

static void add(struct verdict_lines *l, int indent, enum verdict_style st, const char *s, size_t n)
{
	struct verdict_line *v;
	struct buf b = BUF_INIT;

	if (!(v = realloc(l->v, (l->n + 1) * sizeof(*v)))) {
		l->oom = true;
		return;
	}
	l->v = v;
	buf_add(&b, "", 0);
	buf_add_shown(&b, s, n);
	if (b.oom || !b.s) {
		buf_release(&b);
		l->oom = true;
		return;
	}
	l->v[l->n++] = (struct verdict_line){ indent, st, b.s };
}

static void adds(struct verdict_lines *l, int indent, enum verdict_style st, const char *s)
{
	add(l, indent, st, s, strlen(s));
}

/* Whether line (len bytes) is a stack frame ("#3 0x.. in f snap_test.c:36",
 * "#1 f pipeline_test.c:13") in a file of the exercise's folder that is not
 * one of the learner's: the test's own code. */
static bool test_frame(const struct verdict_lines *l, const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (!l->learner_files || p + 1 >= end || *p != '#' || !isdigit((unsigned char)p[1]))
		return false;
	for (const char *c = p; c + 3 < end; c++) {
		const char *w;
		size_t n;
		bool mine = false;

		if (c[0] != '.' || (c[1] != 'c' && c[1] != 'h') || c[2] != ':' || !isdigit((unsigned char)c[3]))
			continue;
		for (w = c; w > p && w[-1] != ' ' && w[-1] != '\t' && w[-1] != '/'; w--)
			;
		if (w > p && w[-1] == '/')
			return false;   /* runtime/..., a system header: not the exercise's */
		n = (size_t)(c + 2 - w);
		for (char *const *f = l->learner_files; *f; f++)
			mine |= strlen(*f) == n && memcmp(*f, w, n) == 0;
		return !mine;
	}
	return false;
}

/* Each line of s (n bytes), at most max of them, then how many are left. */
static void add_output(struct verdict_lines *l, const char *s, size_t n, int max)
{
	const char *end = s + n;
	int lines = 0, rest = 0;
	char more[64];

	while (s < end && lines < max) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (test_frame(l, s, len)) {
			struct buf b = BUF_INIT;

			buf_add(&b, s, len);
			buf_puts(&b, "   (the test's code)");
			add(l, 6, VERDICT_OUTPUT, b.s ? b.s : s, b.s ? b.len : len);
			buf_release(&b);
		} else {
			add(l, 6, VERDICT_OUTPUT, s, len);
		}
		lines++;
		s += len + (nl ? 1 : 0);
	}
	for (const char *p = s; p < end; p++)
		rest += *p == '\n';
	if (s < end) {
		snprintf(more, sizeof(more), "... %d more line%s not shown", rest + (end[-1] != '\n'),
			 rest + (end[-1] != '\n') == 1 ? "" : "s");
		adds(l, 6, VERDICT_DIM, more);
	}
}

static const char *mark(const char *status, bool utf8)
{
	if (strcmp(status, "pass") == 0)
		return utf8 ? "\u2713" : "ok  ";
	if (strcmp(status, "skip") == 0)
		return utf8 ? "\u2013" : "skip";
	return utf8 ? "\u2717" : "FAIL";
}

/* What a sanitizer or the runtime found, unless the message said it. */
static void add_report(struct verdict_lines *l, const struct json *rep, const char *message)
{
	const char *file = json_str(rep, "file"), *fn = json_str(rep, "function"), *tool = json_str(rep, "tool");
	const char *explain = json_str(rep, "explain");
	int line_no = (int)json_num(rep, "line");
	struct buf b = BUF_INIT;

	if (*explain && strstr(message, explain))
		return;
	buf_printf(&b, "%s%s%s", json_str(rep, "kind"), *tool ? " found by " : "", tool);
	if (*file)
		buf_printf(&b, line_no > 0 ? " at %s:%d" : " in %s", file, line_no);
	if (*fn)
		buf_printf(&b, " in %s()", fn);
	if (b.s)
		adds(l, 6, VERDICT_FOUND, b.s);
	buf_release(&b);
	if (*explain)
		adds(l, 6, VERDICT_TEXT, explain);
}

static bool same_failure(const struct json *t, const struct json *prev)
{
	size_t n1, n2, o1, o2;
	const char *m1 = json_strn(t, "message", &n1), *m2 = json_strn(prev, "message", &n2);
	const char *p1 = json_strn(t, "output", &o1), *p2 = json_strn(prev, "output", &o2);
	const struct json *r1, *r2;

	if (strcmp(json_str(t, "status"), "pass") == 0 || strcmp(json_str(t, "status"), json_str(prev, "status")) != 0)
		return false;
	if (n1 + o1 == 0)
		return false;
	/* The same report at the same line (the message names both): the dumps
	 * differ only by the test's own frames below the learner's. */
	r1 = json_get(t, "report");
	r2 = json_get(prev, "report");
	if (n1 && n1 == n2 && memcmp(m1, m2, n1) == 0 && r1 && r2 && r1->type == JSON_OBJ && r2->type == JSON_OBJ &&
	    *json_str(r1, "kind") && strcmp(json_str(r1, "kind"), json_str(r2, "kind")) == 0)
		return true;
	return n1 == n2 && o1 == o2 && memcmp(m1, m2, n1) == 0 && memcmp(p1, p2, o1) == 0;
}

/* The sanitizer pass a test's name says it ran in ("quick (ASan)":
 * "ASan", *n bytes), or NULL for a test of the main pass. */
static const char *pass_label(const char *name, size_t *n)
{
	size_t len = strlen(name);
	const char *open = strrchr(name, '(');

	if (!open || open == name || open[-1] != ' ' || name[len - 1] != ')')
		return NULL;
	*n = len - (size_t)(open + 1 - name) - 1;
	return build_flavour_labelled(open + 1, *n) ? open + 1 : NULL;
}

/* Whether name is a sanitizer's build ("build (asan)"), and its label. */
static bool build_of(const char *name, const char **label, size_t *n)
{
	const struct build_flavour *f;
	size_t len = strlen(name);
	char flavour[32];

	if (strncmp(name, "build (", 7) != 0 || len < 9 || name[len - 1] != ')' || len - 8 >= sizeof(flavour))
		return false;
	memcpy(flavour, name + 7, len - 8);
	flavour[len - 8] = '\0';
	if (!(f = build_flavour_find(flavour)) || !f->label)
		return false;
	*label = f->label;
	*n = strlen(f->label);
	return true;
}

/* Appends " · <label> <mark>" to line k. */
static void mark_line(struct verdict_lines *l, size_t k, const char *label, size_t n, const char *m, bool utf8)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, l->v[k].text);
	buf_puts(&b, utf8 ? " \u00b7 " : " | ");
	buf_add(&b, label, n);
	buf_printf(&b, " %s", m);
	if (b.oom || !b.s) {
		buf_release(&b);
		return;
	}
	free(l->v[k].text);
	l->v[k].text = buf_detach(&b);
}

/* Test i of tests, folded into an earlier one that failed the same way:
 * the one just above, or the same case in another pass ("quick" and
 * "quick (ASan)" with the same deadlock). A pass's test also marks its
 * case's line (line_of: each test's line, or -1), and is that alone when
 * it passed. */
static void add_test(struct verdict_lines *l, const struct json *tests, size_t i, bool utf8, int max_output,
		     long *line_of)
{
	const struct json *t = &tests->kids[i], *rep = json_get(t, "report");
	const char *status = json_str(t, "status"), *s, *label;
	struct buf b = BUF_INIT;
	size_t n, ln;

	line_of[i] = -1;
	if ((label = pass_label(json_str(t, "name"), &ln)))
		for (size_t k = i; k-- > 0;)
			if (line_of[k] >= 0 && !pass_label(json_str(&tests->kids[k], "name"), &n) &&
			    pack_same_test(json_str(&tests->kids[k], "name"), json_str(t, "name"))) {
				mark_line(l, (size_t)line_of[k], label, ln, mark(status, utf8), utf8);
				/* passed saying what the case said (or nothing), or failed
				 * as the case did: its mark says it all */
				if ((strcmp(status, "pass") == 0 && (!*json_str(t, "message") ||
				     strcmp(json_str(t, "message"), json_str(&tests->kids[k], "message")) == 0)) ||
				    same_failure(t, &tests->kids[k]))
					return;
				break;
			}
	if (build_of(json_str(t, "name"), &label, &ln) && strcmp(status, "pass") == 0)
		for (size_t k = 0; k < i; k++)
			if (line_of[k] >= 0 && strcmp(json_str(&tests->kids[k], "name"), "build (normal)") == 0) {
				mark_line(l, (size_t)line_of[k], label, ln, mark(status, utf8), utf8);
				return;     /* a sanitizer's build that passed joins the main build's line */
			}
	s = json_strn(t, "name", &n);
	buf_printf(&b, "%s ", mark(status, utf8));
	buf_add(&b, s, n);
	if (b.s) {
		line_of[i] = (long)l->n;
		add(l, 2, strcmp(status, "pass") == 0 ? VERDICT_PASS : strcmp(status, "skip") == 0 ? VERDICT_SKIP
												 : VERDICT_FAIL,
		    b.s, b.len);
	}
	buf_release(&b);
	/* A fault in shared code fails many tests the same way, and the
	 * sanitizer passes fail a case as the main pass did: say it once. */
	size_t same = i;

	for (size_t k = i; k-- > 0;)   /* the same case, else the nearest */
		if (same_failure(t, &tests->kids[k]) &&
		    (same == i || pack_same_test(json_str(&tests->kids[k], "name"), json_str(t, "name"))))
			same = k;
	if (same < i) {
		char as[300];

		if (same + 1 == i)
			snprintf(as, sizeof(as), "the same failure as above");
		else
			snprintf(as, sizeof(as), "the same failure as %s, above", json_str(&tests->kids[same], "name"));
		adds(l, 6, VERDICT_DIM, as);
		return;
	}
	if (*(s = json_strn(t, "message", &n)))
		add(l, 6, VERDICT_TEXT, s, n);
	if (rep && rep->type == JSON_OBJ)
		add_report(l, rep, s);
	if (strcmp(status, "pass") != 0 && (s = json_strn(t, "output", &n)) && n)
		add_output(l, s, n, max_output);
}

/* Each benchmark against the reference (format 2: "benchmarks"). */
static void add_bench(struct verdict_lines *l, const struct json *res, bool utf8)
{
	const struct json *b = json_get(res, "benchmarks");
	char line[512];

	if (!b || b->type != JSON_ARR || !b->nkids)
		return;
	adds(l, 1, VERDICT_TITLE, "Benchmarks");
	for (size_t i = 0; i < b->nkids; i++) {
		const struct json *f = &b->kids[i], *ref = json_get(f, "reference");
		bool ok = json_num(f, "passed") != 0;
		/* before CPU time was compared, verdicts had no clock: wall */
		bool cpu = strcmp(json_str(f, "clock"), "cpu") == 0;
		const char *base = *json_str(f, "baseline") ? json_str(f, "baseline") : "reference";
		const char *ns = cpu ? "cpu_ns_per_op" : "ns_per_op", *unit = cpu ? "CPU ns/op" : "ns/op";

		snprintf(line, sizeof(line), "%s %s: %.2fx the %s's %s (budget %.2fx)",
			 mark(ok ? "pass" : "fail", utf8), json_str(f, "name"), json_num(f, "ratio"), base,
			 cpu ? "CPU time" : "time", json_num(f, "budget"));
		adds(l, 2, ok ? VERDICT_PASS : VERDICT_FAIL, line);
		snprintf(line, sizeof(line), "yours %.0f %s, %.0f B/op, %.1f allocs/op; %s %.0f %s, %.0f B/op, %.1f allocs/op",
			 json_num(f, ns), unit, json_num(f, "bytes_per_op"), json_num(f, "allocs_per_op"), base,
			 json_num(ref, ns), unit, json_num(ref, "bytes_per_op"), json_num(ref, "allocs_per_op"));
		adds(l, 6, VERDICT_TEXT, line);
	}
}

/* While a check runs: each line of a main-pass test gets " · ASan …" for
 * each sanitizer pass still running (running: "ASan, normal"). */
static void mark_pending(struct verdict_lines *l, const struct json *tests, const long *line_of, const char *running,
			 bool utf8)
{
	for (const char *p = running; *p;) {
		size_t len = strcspn(p, ",");

		if (build_flavour_labelled(p, len))
			for (size_t i = 0; i < tests->nkids; i++)
				if (line_of[i] >= 0 && !pass_label(json_str(&tests->kids[i], "name"), &(size_t){ 0 }) &&
				    strncmp(json_str(&tests->kids[i], "name"), "build (", 7) != 0)
					mark_line(l, (size_t)line_of[i], p, len, utf8 ? "\u2026" : "...", utf8);
		p += len;
		p += strspn(p, ", ");
	}
}

void verdict_render(struct verdict_lines *l, const struct json *res, bool utf8, int max_output)
{
	const struct json *tests = json_get(res, "tests");
	const char *status = json_str(res, "status");
	size_t n = tests && tests->type == JSON_ARR ? tests->nkids : 0, npass = 0;
	bool pass = strcmp(status, "pass") == 0;
	char line[256];
	long *line_of = calloc(n ? n : 1, sizeof(*line_of));

	if (!line_of) {
		l->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		npass += strcmp(json_str(&tests->kids[i], "status"), "pass") == 0;
	if (strcmp(status, "running") == 0) {   /* a check still running: its tests so far */
		const char *running = json_str(res, "running");

		snprintf(line, sizeof(line), "%s checking: %zu of %zu tests so far passed, more to come%s%s",
			 utf8 ? "\u22ef" : "...", npass, n, *running ? " from " : "", running);
		adds(l, 1, VERDICT_TITLE, line);
		for (size_t i = 0; i < n; i++)
			add_test(l, tests, i, utf8, max_output, line_of);
		if (n)
			mark_pending(l, tests, line_of, running, utf8);
		free(line_of);
		return;
	}
	snprintf(line, sizeof(line), "%s %s: %zu of %zu tests passed in %.2f s", utf8 ? mark(status, true) : pass ? "+" : "x",
		 pass ? "passed" : strcmp(status, "error") == 0 ? "the check failed" : "not passed yet", npass, n,
		 json_num(res, "seconds"));
	adds(l, 1, pass ? VERDICT_PASS : VERDICT_FAIL, line);
	if (*json_str(res, "message"))
		adds(l, 4, VERDICT_FAIL, json_str(res, "message"));
	for (size_t i = 0; i < n; i++)
		add_test(l, tests, i, utf8, max_output, line_of);
	free(line_of);
	add_bench(l, res, utf8);
	if (*json_str(res, "note"))
		adds(l, 1, VERDICT_DIM, json_str(res, "note"));
}

void verdict_lines_release(struct verdict_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

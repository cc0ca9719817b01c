/*
 * cmd — helpers shared by the command tables; see cmd.h.
 *
 * Data model: a verdict is printed from a struct check_verdict, whether it
 * was just made (`chanlab check`) or read back from the record as JSON
 * (`chanlab show --verdict`, through cmd_verdict_from_json), so both read
 * the same. Every string in it that a learner's program or files could
 * have written reaches stdout through cmd_put_shown only: NULs, escape
 * sequences and stray bytes are shown as \x00, \x1b, ..., never obeyed.
 */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "checker/kind.h"
#include "tui/cmd.h"

bool cmd_flag(const struct cmd_args *a, const char *flag, const char **value)
{
	for (int i = 0; a->flags[i]; i++)
		if (strcmp(a->flags[i], flag) == 0) {
			if (value)
				*value = a->values[i];
			return true;
		}
	return false;
}

bool cmd_utf8(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

void cmd_put_shown(FILE *f, const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	buf_add_shown(&b, s, n);
	if (b.len)
		fwrite(b.s, 1, b.len, f);
	buf_release(&b);
}

int cmd_error(void)
{
	fputs("chanlab: ", stderr);
	cmd_put_shown(stderr, err_msg(), strlen(err_msg()));
	fputc('\n', stderr);
	return EXIT_ERROR;
}

/* --- printing a verdict ----------------------------------------------------- */

/* Up to max_lines lines of text (len bytes), each indented and shown. */
static void print_indented(const char *text, size_t len, int max_lines)
{
	const char *end = text + len;
	int lines = 0;

	while (text < end && lines < max_lines) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);

		fputs("      ", stdout);
		cmd_put_shown(stdout, text, n);
		putchar('\n');
		lines++;
		text += n + (nl ? 1 : 0);
	}
	if (text < end)
		printf("      ...\n");
}

/* A line of its own: two spaces (or more), then s shown. */
static void print_line(const char *indent, const char *s)
{
	fputs(indent, stdout);
	cmd_put_shown(stdout, s, strlen(s));
	putchar('\n');
}

/* The hint that answers the first failure, by its kind (a failure that
 * names none is a test's); NULL when nothing failed or no hint answers. */
static const char *hint_for(const struct pack_exercise *ex, const struct check_verdict *v)
{
	const char *kind = NULL;
	int h;

	for (size_t i = 0; i < v->ntests && !kind; i++)
		if (v->tests[i].status == CHECK_FAIL || v->tests[i].status == CHECK_ERROR)
			kind = v->tests[i].hint_on ? v->tests[i].hint_on : kind_name(KIND_TEST);
	if (!kind)
		return NULL;
	h = pack_hint_for(ex, kind, NULL, 0);
	return h < 0 ? NULL : ex->hints[h].text;
}

void cmd_print_verdict(const struct pack_exercise *ex, const struct check_verdict *v)
{
	bool utf8 = cmd_utf8();
	size_t passed = 0;
	const char *hint;

	for (size_t i = 0; i < v->ntests; i++)
		passed += v->tests[i].status == CHECK_PASS;
	printf("%s: %s (%zu of %zu tests passed, %.2f s)\n", ex->id,
	       v->status == CHECK_PASS ? "passed" : v->status == CHECK_ERROR ? "error" : "not passed",
	       passed, v->ntests, v->seconds);
	if (v->message && *v->message)
		print_line("  ", v->message);
	for (size_t i = 0; i < v->ntests; i++) {
		const struct check_test *t = &v->tests[i], *prev = i ? &v->tests[i - 1] : NULL;
		const char *mark = t->status == CHECK_PASS ? (utf8 ? "\u2713" : "ok  ") :
				   t->status == CHECK_SKIP ? (utf8 ? "\u2013" : "skip") : (utf8 ? "\u2717" : "FAIL");

		printf("  %s ", mark);
		print_line("", t->name);
		/* A fault in shared code fails many tests the same way: say it once. */
		if (prev && t->output_len && strcmp(t->message, prev->message) == 0 &&
		    t->output_len == prev->output_len && memcmp(t->output, prev->output, t->output_len) == 0) {
			printf("      the same failure as above\n");
			continue;
		}
		if (*t->message)
			print_line("      ", t->message);
		if (t->output_len)
			print_indented(t->output, t->output_len, t->status == CHECK_PASS ? 6 : 16);
	}
	if ((hint = hint_for(ex, v)))
		printf("  hint: %s\n", hint);
	if (v->note && *v->note)
		print_line("  note: ", v->note);
}

/* --- a recorded verdict ----------------------------------------------------- */

static enum check_status status_of(const char *name)
{
	for (int s = CHECK_PASS; s <= CHECK_ERROR; s++)
		if (strcmp(name, check_status_name((enum check_status)s)) == 0)
			return (enum check_status)s;
	return CHECK_ERROR;
}

int cmd_verdict_from_json(struct check_verdict *v, const struct json *res)
{
	const struct json *tests = json_get(res, "tests");
	size_t n = tests && tests->type == JSON_ARR ? tests->nkids : 0;

	memset(v, 0, sizeof(*v));
	v->status = status_of(json_str(res, "status"));
	v->message = strdup(json_str(res, "message"));
	v->note = strdup(json_str(res, "note"));
	v->seconds = json_num(res, "seconds");
	if (n && !(v->tests = calloc(n, sizeof(*v->tests))))
		goto out_oom;
	for (size_t i = 0; i < n; i++) {
		const struct json *j = &tests->kids[i];
		struct check_test *t = &v->tests[v->ntests++];
		size_t len;
		const char *out = json_strn(j, "output", &len);

		t->name = strdup(json_str(j, "name"));
		t->status = status_of(json_str(j, "status"));
		t->message = strdup(json_str(j, "message"));
		t->seconds = json_num(j, "seconds");
		t->hint_on = *json_str(j, "hint_on") ? strdup(json_str(j, "hint_on")) : NULL;
		if ((t->output = malloc(len + 1))) {
			memcpy(t->output, out, len);
			t->output[len] = '\0';
			t->output_len = len;
		}
		if (!t->name || !t->message || !t->output)
			goto out_oom;
	}
	if (!v->message || !v->note)
		goto out_oom;
	return 0;
out_oom:
	check_verdict_release(v);
	return err_set("out of memory");
}

/*
 * cmd — helpers shared by the command tables; see cmd.h.
 *
 * Data model: a verdict is printed from its JSON, whether it was just made
 * (`chanlab check`, through check_verdict_json) or read back from the
 * record (`chanlab show --verdict`), by the renderer the shell uses too
 * (tui/verdict.h), so all three read the same. Every string in it that a
 * learner's program or files could have written is spelled by that
 * renderer or cmd_put_shown: NULs, escape sequences and stray bytes are
 * shown as \x00, \x1b, ..., never obeyed.
 */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "tui/cmd.h"
#include "tui/verdict.h"

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

/* --- an unknown exercise ------------------------------------------------------ */

/* The edit distance between a and b, up to 64 bytes of b (more: far). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65];

	if (lb > 64 || la > 64)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], up;

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = diag + (a[i - 1] != b[j - 1]);

			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

int cmd_no_exercise(const struct pack *p, const char *id)
{
	const char *best = NULL;
	size_t best_d = 3;   /* at most two edits away */

	for (size_t i = 0; i < p->nex; i++) {
		const char *e = p->ex[i].id;
		size_t d = strncmp(e, id, strlen(id)) == 0 && *id ? 0 : distance(id, e);

		if (d < best_d)
			best = e, best_d = d;
	}
	fputs("chanlab: no exercise '", stderr);
	cmd_put_shown(stderr, id, strlen(id));
	if (best)
		fprintf(stderr, "': did you mean '%s'? (see 'chanlab list')\n", best);
	else
		fputs("' (see 'chanlab list')\n", stderr);
	return EXIT_USAGE;
}

/* --- printing a verdict ----------------------------------------------------- */

void cmd_print_result(const struct pack_exercise *ex, const struct json *res)
{
	struct verdict_lines l = { .learner_files = ex->files };
	const struct json *tests = json_get(res, "tests");
	bool failed = false;

	verdict_render(&l, res, cmd_utf8(), 16);
	for (size_t i = 0; i < l.n; i++) {
		if (i == 0)
			printf("%s:", ex->id);
		printf("%*s%s\n", i == 0 ? 1 : l.v[i].indent, "", l.v[i].text);
	}
	if (l.oom)
		printf("  (out of memory: the verdict is not shown in full)\n");
	verdict_lines_release(&l);
	for (size_t i = 0; tests && tests->type == JSON_ARR && i < tests->nkids; i++)
		failed = failed || strcmp(json_str(&tests->kids[i], "status"), "fail") == 0;
	/* hints only on request, and recorded: never one unasked */
	if (failed && ex->nhints)
		printf("  a hint: chanlab hint %s\n", ex->id);
}

void cmd_print_verdict(const struct pack_exercise *ex, const struct check_verdict *v)
{
	char *text = check_verdict_json(v, ex->id);
	struct json *res = NULL;

	if (!text || json_parse(&res, text) < 0) {
		printf("%s: %s (the verdict cannot be shown: out of memory)\n", ex->id, check_status_name(v->status));
	} else {
		cmd_print_result(ex, res);
	}
	json_free(res);
	free(text);
}

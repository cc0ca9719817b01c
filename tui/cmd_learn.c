/*
 * cmd_learn — the learner's commands beside check: `chanlab hint ID` and
 * `chanlab text ID`.
 *
 * Data model: nothing of its own. A hint is picked as the shell picks it
 * (pack_hint_for over the failures of the exercise's last recorded check,
 * leaving out those revealed before, which the record lists in order),
 * then recorded, so that the shell shows the same hints in the same order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "tui/cmd.h"
#include "tui/md.h"

enum { MAX_HINTS = 32, MAX_FAILS = 16 };

/* The failures of the last recorded check of ex into f (strings in *res,
 * which the caller frees); how many. */
static size_t last_failures(struct app *app, const struct pack_exercise *ex, struct json **res,
			    struct pack_failure *f)
{
	const struct json *tests;
	char *text = NULL;
	size_t n = 0;

	*res = NULL;
	if (app_last_result(app, ex, NULL, &text) < 0 || !text || json_parse(res, text) < 0) {
		free(text);
		return 0;
	}
	free(text);
	tests = json_get(*res, "tests");
	for (size_t i = 0; tests && tests->type == JSON_ARR && i < tests->nkids && n < MAX_FAILS; i++) {
		const struct json *t = &tests->kids[i];

		if (strcmp(json_str(t, "status"), "fail") != 0 && strcmp(json_str(t, "status"), "error") != 0)
			continue;
		f[n].test = json_str(t, "name");
		f[n++].kind = *json_str(t, "hint_on") ? json_str(t, "hint_on") : NULL;
	}
	return n;
}

static int cmd_hint(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = pack_find(app->pack, a->argv[0]);
	struct pack_failure f[MAX_FAILS];
	int shown[MAX_HINTS], pick;
	size_t nshown = 0, nf;
	struct json *res = NULL;
	bool matched = false;

	if (!ex)
		return cmd_no_exercise(app->pack, a->argv[0]);
	if (!ex->nhints) {
		printf("%s has no hints\n", ex->id);
		return EXIT_PASS;
	}
	if (app_hints(app, ex, shown, MAX_HINTS, &nshown) < 0)
		return cmd_error();
	nf = last_failures(app, ex, &res, f);
	pick = pack_hint_for(ex, f, nf, shown, nshown, &matched);
	/* none answers and no general one is left: the rest in order */
	for (size_t i = 0; pick < 0 && i < ex->nhints; i++) {
		bool seen = false;

		for (size_t s = 0; s < nshown; s++)
			seen = seen || shown[s] == (int)i;
		if (!seen)
			pick = (int)i;
	}
	if (pick < 0) {
		json_free(res);
		printf("every hint of %s is shown (%zu of %zu):\n", ex->id, nshown, ex->nhints);
		for (size_t i = 0; i < nshown; i++) {
			printf("  %zu. ", i + 1);
			cmd_put_shown(stdout, ex->hints[shown[i]].text, strlen(ex->hints[shown[i]].text));
			putchar('\n');
		}
		return EXIT_PASS;
	}
	json_free(res);
	if (app_hint(app, ex, pick) < 0)
		return cmd_error();
	printf("hint %zu of %zu for %s", nshown + 1, ex->nhints, ex->id);
	printf(nf && !matched ? " (no hint is written for this failure; the next general hint):\n" : ":\n");
	fputs("  ", stdout);
	cmd_put_shown(stdout, ex->hints[pick].text, strlen(ex->hints[pick].text));
	putchar('\n');
	return EXIT_PASS;
}

/* The exercise's text laid out for a terminal of COLUMNS (else 80). */
static int cmd_text(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = pack_find(app->pack, a->argv[0]);
	const char *cols = getenv("COLUMNS");
	int width = cols && atoi(cols) >= 40 ? atoi(cols) - 1 : 79;
	struct md_doc doc = { 0 };

	if (!ex)
		return cmd_no_exercise(app->pack, a->argv[0]);
	if (width > 100)
		width = 100;
	if (md_layout(&doc, ex->text ? ex->text : "", width) < 0)
		return cmd_error();
	printf("%s: %s\n\n", ex->id, ex->title);
	for (size_t i = 0; i < doc.nlines; i++) {
		const struct md_line *l = &doc.lines[i];

		printf("%*s", l->indent, "");
		for (size_t k = 0; k < l->nspans; k++)
			cmd_put_shown(stdout, l->spans[k].text, strlen(l->spans[k].text));
		putchar('\n');
	}
	md_release(&doc);
	return EXIT_PASS;
}

const struct cmd cmd_learn[] = {
	{ "text", "chanlab text ID", "print an exercise's text, laid out for a terminal",
	  "Prints the exercise's text (its Markdown laid out to $COLUMNS, at most\n"
	  "100).\n",
	  NULL, 1, 1, false, cmd_text },
	{ "hint", "chanlab hint ID", "reveal the next hint of an exercise (and record it)",
	  "The hint that answers the failure of your last check (by its test, then its\n"
	  "kind), else the next general one; the shell shows the same hints in the\n"
	  "same order.\n",
	  NULL, 1, 1, false, cmd_hint },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL },
};

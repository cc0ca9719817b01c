/*
 * cmd_learn — the learner's commands beside check: `chanlab hint ID`,
 * `chanlab text ID` and `chanlab check --all` (every exercise started,
 * checked again ALL_JOBS at a time as the shell checks: each a job, a
 * `chanlab check --json` of its own, recorded as any check is).
 *
 * Data model: nothing of its own. A hint is picked as the shell picks it
 * (pack_hint_for over the failures of the exercise's last recorded check,
 * leaving out those revealed before, which the record lists in order),
 * then recorded, so that the shell shows the same hints in the same order.
 */
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "checker/proc.h"
#include "tui/cmd.h"
#include "tui/job.h"
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

/* --- check --all --------------------------------------------------------------- */

enum { ALL_JOBS = 2 };

/* The progress grid: one mark per exercise checked, on one line redrawn in
 * place on a terminal. */
static void grid(const char *marks, size_t done, size_t n, bool tty)
{
	if (!tty)
		return;
	printf("\r[%zu/%zu] %s", done, n, marks);
	fflush(stdout);
}

int cmd_check_all(struct app *app, const struct cmd_args *a)
{
	const struct pack *p = app->pack;
	const struct pack_exercise **todo;
	struct job *jobs[ALL_JOBS] = { NULL };
	char exe[PATH_MAX], *marks;
	size_t n = 0, next = 0, done = 0, npass = 0;
	bool tty = isatty(1), utf8 = cmd_utf8();
	ssize_t len;
	int rc = EXIT_PASS;

	(void)a;
	if ((len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		return err_sys("cannot find chanlab's own executable"), cmd_error();
	exe[len] = '\0';
	if (!record_exists(app->home) || app_open_record(app) < 0) {
		printf("no exercise started yet: nothing to check\n");
		return EXIT_PASS;
	}
	if (!(todo = calloc(p->nex + 1, sizeof(*todo))) || !(marks = calloc(p->nex + 1, 1))) {
		free(todo);
		return err_set("out of memory"), cmd_error();
	}
	/* every exercise started: checked at least once */
	for (size_t i = 0; i < p->nex; i++) {
		struct record_progress pr;

		if (!p->ex[i].error && app_progress(app, &p->ex[i], &pr) == 0 && pr.attempts)
			todo[n++] = &p->ex[i];
	}
	memset(marks, '.', n);
	job_init_reaper();
	grid(marks, 0, n, tty);
	while (done < n) {
		struct pollfd fds[2 * ALL_JOBS];
		int nfds = 0;

		for (int k = 0; k < ALL_JOBS && next < n; k++)
			if (!jobs[k] && job_start(&jobs[k], exe, app->home, todo[next]->id, NULL) == 0)
				next++;
		for (int k = 0; k < ALL_JOBS; k++) {
			int jf[2], nj = jobs[k] ? job_fds(jobs[k], jf) : 0;

			for (int f = 0; f < nj; f++)
				fds[nfds++] = (struct pollfd){ .fd = jf[f], .events = POLLIN };
		}
		if (nfds)
			poll(fds, (nfds_t)nfds, 200);
		for (int k = 0; k < ALL_JOBS; k++) {
			const struct pack_exercise *ex;
			struct record_progress pr;
			struct json *res;
			size_t at;
			bool pass;

			if (!jobs[k] || !job_step(jobs[k]))
				continue;
			ex = pack_find(p, job_exercise(jobs[k]));
			res = job_take_result(jobs[k]);
			pass = res && strcmp(json_str(res, "status"), "pass") == 0;
			for (at = 0; at < n && todo[at] != ex; at++)
				;
			if (at < n)
				marks[at] = pass ? '+' : 'x';
			done++;
			npass += pass;
			if (tty)
				printf("\r\033[K");
			printf("%s %-24s %s", pass ? (utf8 ? "\u2713" : "ok  ") : (utf8 ? "\u2717" : "FAIL"), ex ? ex->id : "?",
			       !res ? "the check could not run" : pass ? "passed" : "not passed");
			if (!pass && ex && app_progress(app, ex, &pr) == 0 && pr.passed)
				printf(" (no longer passes: it passed before)");
			if (res)
				printf(", %.2f s", json_num(res, "seconds"));
			putchar('\n');
			if (!pass)
				rc = EXIT_NOTPASS;
			json_free(res);
			job_free(jobs[k]);
			jobs[k] = NULL;
			grid(marks, done, n, tty);
		}
	}
	if (tty)
		printf("\r\033[K");
	printf("%zu of %zu started exercises pass\n", npass, n);
	free(todo);
	free(marks);
	return rc;
}

/* Whether the learner has passed ex (the record's best), for "Do first". */
static bool text_done(const struct pack_exercise *ex, const void *arg)
{
	struct app *app = (struct app *)(uintptr_t)arg;   /* the record is read, not changed */
	struct record_progress pr;

	return app->record && app_progress(app, ex, &pr) == 0 && pr.passed;
}

/* The exercise's text laid out for a terminal of COLUMNS (else 80). */
static int cmd_text(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = pack_find(app->pack, a->argv[0]);
	const char *cols = getenv("COLUMNS");
	int width = cols && atoi(cols) >= 40 ? atoi(cols) - 1 : 79;
	struct md_doc doc = { 0 };
	struct buf md = BUF_INIT;

	if (!ex)
		return cmd_no_exercise(app->pack, a->argv[0]);
	if (width > 100)
		width = 100;
	if (record_exists(app->home) && app_open_record(app) < 0)   /* text never creates a home */
		return cmd_error();
	md_exercise(&md, app->pack, ex, text_done, app);
	if (md_layout(&doc, md.s ? md.s : "", width) < 0) {
		buf_release(&md);
		return cmd_error();
	}
	buf_release(&md);
	/* the text's own heading is the title; without one, say it here */
	if (ex->text && ex->text[0] == '#')
		printf("%s (%s)\n\n", ex->key, ex->track);
	else
		printf("%s: %s\n\n", ex->key, ex->title);
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

/* chanlab run: each run of the learner's code, with all it printed. */
static void show_run(const char *what, const struct proc_result *pr, void *arg)
{
	char how[256];
	int *n = arg;

	proc_describe(pr, how, sizeof(how));
	printf("%s── %s: %s ──\n", (*n)++ ? "\n" : "", what, how);
	if (pr->out_len) {
		cmd_put_shown(stdout, pr->out, pr->out_len);
		if (pr->out[pr->out_len - 1] != '\n')
			putchar('\n');
	}
	if (pr->err_len) {
		printf("(stderr)\n");
		cmd_put_shown(stdout, pr->err, pr->err_len);
		if (pr->err[pr->err_len - 1] != '\n')
			putchar('\n');
	}
	if (!pr->out_len && !pr->err_len)
		printf("(it printed nothing)\n");
	if (pr->out_dropped || pr->err_dropped)
		printf("(and %zu bytes more, not kept)\n", pr->out_dropped + pr->err_dropped);
	fflush(stdout);
}

/* The check ran none of the learner's code: why, with what the failing
 * step printed (the compiler's errors, which "fix the first error below"
 * points at). */
static void show_not_run(const char *id, const struct check_verdict *v)
{
	const struct check_test *t = v->ntests && v->tests[0].status != CHECK_PASS ? &v->tests[0] : NULL;

	printf("%s: your code did not run: %s\n", id, t ? t->message : "the check runs none of it");
	if (t && t->output_len) {
		cmd_put_shown(stdout, t->output, t->output_len);
		if (t->output[t->output_len - 1] != '\n')
			putchar('\n');
	}
}

static int cmd_run(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = pack_find(app->pack, a->argv[0]);
	struct check_verdict v;
	char commit[41];
	int n = 0, rc;

	if (!ex)
		return cmd_no_exercise(app->pack, a->argv[0]);
	app->no_record = true;
	if (a->argc > 1)
		app->run_args = (const char *const *)&a->argv[1];   /* NULL after the last */
	app->on_run = show_run;
	app->on_run_arg = &n;
	rc = app_check(app, ex, &v, commit);
	if (rc < 0) {
		check_verdict_release(&v);
		return cmd_error();
	}
	if (v.status == CHECK_ERROR)
		printf("%s\n", v.message);
	else if (!n)
		show_not_run(ex->id, &v);
	else
		printf("\n%d run%s of your code, as its check runs it (not recorded: 'chanlab check %s' grades it)\n", n,
		       n == 1 ? "" : "s", ex->id);
	rc = v.status == CHECK_PASS ? EXIT_PASS : EXIT_NOTPASS;
	check_verdict_release(&v);
	return rc;
}

const struct cmd cmd_learn[] = {
	{ "run", "chanlab run ID [ARGS]", "run your code as exercise ID's check does, and see all it prints",
	  "Builds your files for exercise ID as its check does and runs them as the\n"
	  "check would (each test case of a test harness in a process of its own),\n"
	  "without the sanitizer passes and benchmarks, and prints, for each run, how\n"
	  "it ended and everything it printed on stdout and stderr. Nothing is\n"
	  "recorded; 'chanlab check ID' grades. With ARGS, a program of yours that\n"
	  "the check runs whole (go_main, not a test harness) gets ARGS in place of\n"
	  "the check's arguments; put -- before ARGS that start with a dash.\n\n"
	  "Exit status: 0 when every test passed, 1 when not.\n",
	  NULL, 1, 64, false, cmd_run },
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

/*
 * chanlab — a terminal training lab for concurrency, memory and profiling in C.
 *
 * main parses the global options, then dispatches through the command
 * table; with no command it opens the ncurses shell. Exit status: 0 success
 * (a check passed), 1 a check did not pass, 2 bad usage, 3 chanlab itself
 * could not do its work (the message says why).
 */
#include <langinfo.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/err.h"
#include "tui/app.h"
#include "tui/shell.h"

#ifndef CHANLAB_VERSION
#define CHANLAB_VERSION "0.1.0"
#endif

enum { EXIT_PASS = 0, EXIT_NOTPASS = 1, EXIT_USAGE = 2, EXIT_ERROR = 3 };

struct opts {
	const char *home;
	bool json;
};

struct cmd {
	const char *name;
	const char *usage;
	const char *summary;
	const char *help;
	int (*run)(struct app *app, const struct opts *o, int argc, char **argv);
	int min_args, max_args;
};

static int cmd_list(struct app *app, const struct opts *o, int argc, char **argv);
static int cmd_check(struct app *app, const struct opts *o, int argc, char **argv);

static const struct cmd cmds[] = {
	{ "list", "chanlab list", "list the exercises and your progress on each",
	  "Prints one line per exercise, in course order: its track, id, title and\n"
	  "your status (new, failing or passed).\n", cmd_list, 0, 0 },
	{ "check", "chanlab check [--json] ID", "check your solution to exercise ID and record the attempt",
	  "Builds your files for exercise ID against the chanlab runtime, runs the\n"
	  "exercise's tests and prints the verdict. The first check of an exercise\n"
	  "creates your copy of its starter files (see 'chanlab list' for ids).\n"
	  "Every check is recorded in your progress database and your files are\n"
	  "snapshotted as a git commit in <home>/work, so nothing is ever lost.\n\n"
	  "  --json   print the result as JSON (format version 1, see docs/results.md)\n\n"
	  "Exit status: 0 passed, 1 not passed, 2 bad usage, 3 chanlab could not work.\n",
	  cmd_check, 1, 1 },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static bool utf8;

static void usage(FILE *f)
{
	fprintf(f, "usage: chanlab [--home DIR] [COMMAND [ARGS]]\n\n"
		   "With no command, chanlab opens its terminal shell on the bundled exercises.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nOptions:\n"
		   "  --home DIR   keep progress and your files in DIR\n"
		   "               (default: $XDG_DATA_HOME/chanlab or ~/.local/share/chanlab)\n"
		   "  --help       show this help, or a command's with 'chanlab COMMAND --help'\n"
		   "  --version    print chanlab's version\n");
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

static const char *status_of(struct app *app, const struct pack_exercise *ex)
{
	struct store_summary s;

	if (ex->error)
		return "broken";
	if (!app->store || store_summary(app->store, ex->id, &s) < 0 || s.attempts == 0)
		return "new";
	return s.passed ? "passed" : "failing";
}

static int cmd_list(struct app *app, const struct opts *o, int argc, char **argv)
{
	char db[4096];
	FILE *f;

	(void)o, (void)argc, (void)argv;
	snprintf(db, sizeof(db), "%s/progress.db", app->home);
	if ((f = fopen(db, "r"))) {     /* a listing never creates a home */
		fclose(f);
		if (app_open_record(app) < 0) {
			fprintf(stderr, "chanlab: %s\n", err_msg());
			return EXIT_ERROR;
		}
	}
	for (size_t i = 0; i < app->pack->nex; i++) {
		const struct pack_exercise *ex = &app->pack->ex[i];

		printf("%-12s %-24s %-8s %s\n", ex->track, ex->id, status_of(app, ex), ex->title);
		if (ex->error)
			printf("%12s   error: %s\n", "", ex->error);
	}
	return EXIT_PASS;
}

static void print_indented(const char *text, int max_lines)
{
	int lines = 0;

	while (*text && lines < max_lines) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);

		printf("      %.*s\n", len, text);
		lines++;
		text += len + (nl ? 1 : 0);
	}
	if (*text)
		printf("      ...\n");
}

static int cmd_check(struct app *app, const struct opts *o, int argc, char **argv)
{
	const struct pack_exercise *ex = pack_find(app->pack, argv[0]);
	struct check_verdict v;
	char commit[41], workdir[4096];
	size_t passed = 0;

	(void)argc;
	if (!ex) {
		fprintf(stderr, "chanlab: no exercise '%s' (see 'chanlab list')\n", argv[0]);
		return EXIT_USAGE;
	}
	if (app_check(app, ex, &v, commit) < 0) {
		fprintf(stderr, "chanlab: %s\n", err_msg());
		check_verdict_release(&v);
		return EXIT_ERROR;
	}
	if (o->json) {
		char *json = check_verdict_json(&v, ex->id);

		puts(json ? json : "{}");
		free(json);
	} else {
		app_workdir(app, ex, workdir, sizeof(workdir));
		for (size_t i = 0; i < v.ntests; i++)
			passed += v.tests[i].status == CHECK_PASS;
		printf("%s: %s (%zu of %zu tests passed, %.2f s)\n", ex->id,
		       v.status == CHECK_PASS ? "passed" : v.status == CHECK_ERROR ? "error" : "not passed",
		       passed, v.ntests, v.seconds);
		if (v.message && *v.message)
			printf("  %s\n", v.message);
		for (size_t i = 0; i < v.ntests; i++) {
			const struct check_test *t = &v.tests[i];
			bool ok = t->status == CHECK_PASS;

			printf("  %s %s\n", ok ? (utf8 ? "\u2713" : "ok  ") : (utf8 ? "\u2717" : "FAIL"), t->name);
			if (*t->message)
				printf("      %s\n", t->message);
			if (*t->output)
				print_indented(t->output, 20);
		}
		printf("  your files: %s\n  snapshot:   %.7s\n", workdir, commit);
	}
	check_verdict_release(&v);
	return v.status == CHECK_PASS ? EXIT_PASS : EXIT_NOTPASS;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	const struct cmd *cmd = NULL;
	char *args[64];
	int nargs = 0, rc;
	bool help = false;
	struct app *app;

	setlocale(LC_ALL, "");
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--home") == 0) {
			if (++i == argc) {
				fprintf(stderr, "chanlab: --home needs a folder\n");
				return EXIT_USAGE;
			}
			o.home = argv[i];
		} else if (strncmp(a, "--home=", 7) == 0) {
			o.home = a + 7;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			help = true;
		} else if (strcmp(a, "--version") == 0) {
			printf("chanlab %s\n", CHANLAB_VERSION);
			return EXIT_PASS;
		} else if (strcmp(a, "--json") == 0 && cmd && strcmp(cmd->name, "check") == 0) {
			o.json = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "chanlab: unknown option '%s' (see 'chanlab --help')\n", a);
			return EXIT_USAGE;
		} else if (!cmd && strcmp(a, "help") == 0) {
			help = true;
		} else if (!cmd) {
			if (!(cmd = find_cmd(a))) {
				fprintf(stderr, "chanlab: unknown command '%s' (see 'chanlab --help')\n", a);
				return EXIT_USAGE;
			}
		} else if (nargs < 64) {
			args[nargs++] = argv[i];
		}
	}
	if (help) {
		if (cmd)
			printf("usage: %s\n\n%s", cmd->usage, cmd->help);
		else
			usage(stdout);
		return EXIT_PASS;
	}
	if (cmd && (nargs < cmd->min_args || nargs > cmd->max_args)) {
		fprintf(stderr, "chanlab: usage: %s\n", cmd->usage);
		return EXIT_USAGE;
	}
	if (app_open(&app, o.home) < 0) {
		fprintf(stderr, "chanlab: %s\n", err_msg());
		return EXIT_ERROR;
	}
	rc = cmd ? cmd->run(app, &o, nargs, args) : shell_run(app);
	app_free(app);
	return rc;
}

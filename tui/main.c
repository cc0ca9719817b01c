/*
 * chanlab — a terminal training lab for concurrency, memory and profiling in C.
 *
 * main parses the global options, finds the command in the command tables
 * (tui/cmd.h) and runs it; with no command it opens the ncurses shell. The
 * core commands, list and check, live here.
 */
#include <locale.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "data/snap.h"
#include "tui/cmd.h"
#include "tui/shell.h"

#ifndef CHANLAB_VERSION
#define CHANLAB_VERSION "0.1.0"
#endif

static const struct cmd *const tables[] = { cmd_core, cmd_record, cmd_author, cmd_learn, cmd_prof };
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: chanlab [--home DIR] [--pack DIR] [COMMAND [ARGS]]\n\n"
		   "With no command, chanlab opens its terminal shell on the bundled exercises\n"
		   "and the packs found on $CHANLAB_PATH and in $XDG_DATA_HOME/chanlab/packs.\n\n"
		   "Commands:\n");
	for (size_t t = 0; t < NTABLES; t++)
		for (const struct cmd *c = tables[t]; c->name; c++)
			fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "\nOptions:\n"
		   "  --home DIR   keep progress and your files in DIR\n"
		   "               (default: $XDG_DATA_HOME/chanlab or ~/.local/share/chanlab)\n"
		   "  --pack DIR   work with the exercise pack in DIR only (relative or absolute;\n"
		   "               default: $CHANLAB_PACK if set)\n"
		   "  --help       show this help, or a command's with 'chanlab COMMAND --help'\n"
		   "  --version    print chanlab's version\n\n"
		   "Exit status: 0 success, 1 a check did not pass, 2 bad usage, 3 chanlab could not work.\n");
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t t = 0; t < NTABLES; t++)
		for (const struct cmd *c = tables[t]; c->name; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

/* The flag spelled like arg in cmd's list ("--json", or "--format=" for "--format=csv"). */
static const char *known_flag(const struct cmd *cmd, const char *arg, bool *takes_value)
{
	for (int i = 0; cmd && cmd->flags && cmd->flags[i]; i++) {
		const char *f = cmd->flags[i];
		size_t n = strlen(f);

		*takes_value = f[n - 1] == '=';
		if (*takes_value ? strncmp(arg, f, n - 1) == 0 && (arg[n - 1] == '=' || arg[n - 1] == '\0')
				 : strcmp(arg, f) == 0)
			return f;
	}
	return NULL;
}

/* --pack DIR, resolved once (pack_resolve): commands read it as the flag
 * "--pack=" with the absolute folder as its value, and the chanlab
 * processes this one starts (the shell's checks) as $CHANLAB_PACK, which
 * stands for --pack when none is given. EXIT_PASS, or EXIT_ERROR. */
static int take_pack(struct cmd_args *a, int nflags, const char *pack)
{
	a->pack = pack;
	if (nflags < 7) {
		a->flags[nflags] = "--pack=";
		a->values[nflags] = pack;
	}
	if (setenv("CHANLAB_PACK", pack, 1) < 0) {
		fprintf(stderr, "chanlab: cannot set CHANLAB_PACK\n");
		return EXIT_ERROR;
	}
	return EXIT_PASS;
}

int main(int argc, char **argv)
{
	struct cmd_args a = { 0 };
	const struct cmd *cmd = NULL;
	char *pos[65] = { NULL };   /* NULL after the last */
	int nflags = 0, rc;
	bool help = false;
	struct app *app = NULL;
	char *pack = NULL;

	setlocale(LC_ALL, "");
	/* Not dumpable: a learner program run without namespaces is our child
	 * under our uid, and must not open /proc/<chanlab>/mem or environ
	 * (where a harness token lives) even where Landlock is missing. */
	prctl(PR_SET_DUMPABLE, 0);
	a.argv = pos;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *flag;
		bool takes_value;

		if (strcmp(arg, "--home") == 0 || strncmp(arg, "--home=", 7) == 0) {
			if (arg[6] == '=') {
				a.home = arg + 7;
			} else if (++i < argc) {
				a.home = argv[i];
			} else {
				fprintf(stderr, "chanlab: --home needs a folder\n");
				return EXIT_USAGE;
			}
		} else if (strcmp(arg, "--pack") == 0 || strncmp(arg, "--pack=", 7) == 0) {
			const char *dir = arg[6] == '=' ? arg + 7 : ++i < argc ? argv[i] : NULL;

			if (!dir || !*dir) {
				fprintf(stderr, "chanlab: --pack needs a folder\n");
				return EXIT_USAGE;
			}
			free(pack);
			if (!(pack = pack_resolve(dir)))
				return cmd_error();
		} else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			help = true;
		} else if (strcmp(arg, "--version") == 0) {
			printf("chanlab %s\n", CHANLAB_VERSION);
			return EXIT_PASS;
		} else if ((flag = known_flag(cmd, arg, &takes_value))) {
			const char *value = NULL;

			if (takes_value) {
				value = strchr(arg, '=') ? strchr(arg, '=') + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!value || !*value) {
					fprintf(stderr, "chanlab: %.*s needs a value (see 'chanlab %s --help')\n",
						(int)strlen(flag) - 1, flag, cmd->name);
					return EXIT_USAGE;
				}
			}
			if (nflags < 7) {
				a.flags[nflags] = flag;
				a.values[nflags++] = value;
			}
		} else if (cmd && strcmp(arg, "--") == 0) {
			/* the rest are arguments, even those that start with - */
			while (++i < argc && a.argc < 64)
				pos[a.argc++] = argv[i];
		} else if (arg[0] == '-' && arg[1] != '\0') {
			fprintf(stderr, "chanlab: unknown option '%s' (see 'chanlab %s%s--help')\n", arg,
				cmd ? cmd->name : "", cmd ? " " : "");
			return EXIT_USAGE;
		} else if (!cmd && strcmp(arg, "help") == 0) {
			help = true;
		} else if (!cmd) {
			if (!(cmd = find_cmd(arg))) {
				fprintf(stderr, "chanlab: unknown command '%s' (see 'chanlab --help')\n", arg);
				return EXIT_USAGE;
			}
		} else if (a.argc < 64) {
			pos[a.argc++] = argv[i];
		}
	}
	if (!pack && getenv("CHANLAB_PACK") && *getenv("CHANLAB_PACK") && !(pack = pack_resolve(getenv("CHANLAB_PACK"))))
		return cmd_error();
	if (pack && (rc = take_pack(&a, nflags, pack)) != EXIT_PASS)
		return rc;
	if (help) {
		if (cmd)
			printf("usage: %s\n\n%s", cmd->usage, cmd->help);
		else
			usage(stdout);
		return EXIT_PASS;
	}
	if (cmd && (a.argc < cmd->min_args || a.argc > cmd->max_args)) {
		fprintf(stderr, "chanlab: usage: %s\n", cmd->usage);
		return EXIT_USAGE;
	}
	if (!cmd || !cmd->no_app)
		snap_warm();    /* libgit2 starts while the pack loads */
	if ((!cmd || !cmd->no_app) && app_open(&app, a.home, pack) < 0) {
		free(pack);
		snap_warm_wait();
		return cmd_error();
	}
	rc = cmd ? cmd->run(app, &a) : shell_run(app);
	snap_warm_wait();
	app_free(app);
	free(pack);
	return rc;
}

/* --- the core commands ------------------------------------------------------ */

static const char *status_of(struct app *app, const struct pack_exercise *ex)
{
	struct store_summary s;

	if (ex->error)
		return "broken";
	if (!app->store || store_summary(app->store, ex->key, &s) < 0 || s.attempts == 0)
		return "new";
	return s.passed ? "passed" : "failing";
}

/* Where a listing starts a pack's exercises: with a line naming the pack,
 * when exercises of several packs are listed. */
static void list_pack_heading(const struct app *app, const struct pack_exercise *ex,
			      const struct pack_exercise *prev)
{
	if (app->pack->more && (!prev || prev->pack != ex->pack))
		printf("%s# %s %s (%s)\n", prev ? "\n" : "", ex->pack->name, ex->pack->version ? ex->pack->version : "",
		       ex->pack->dir);
}

static int cmd_list(struct app *app, const struct cmd_args *a)
{
	(void)a;
	if (record_exists(app->home) && app_open_record(app) < 0)   /* a listing never creates a home */
		return cmd_error();
	for (size_t i = 0; i < app->pack->nex; i++) {
		const struct pack_exercise *ex = &app->pack->ex[i];

		list_pack_heading(app, ex, i ? ex - 1 : NULL);
		printf("%-12s %-24s %-8s %s", ex->track, ex->key, status_of(app, ex), ex->title);
		if (ex->time > 0)
			printf(" (about %d min)", ex->time);
		putchar('\n');
		if (ex->error)
			printf("%12s   error: %s\n", "", ex->error);
	}
	return EXIT_PASS;
}

/* check --stream: each test as soon as it is complete, one JSON line. */
static void print_test(const struct check_test *t, void *arg)
{
	char *json = check_test_json(t);

	(void)arg;
	if (json)
		printf("{\"event\":\"test\",\"test\":%s}\n", json);
	fflush(stdout);
	free(json);
}

/* and each pass over the tests as it starts and ends */
static void print_pass(const char *pass, bool running, void *arg)
{
	struct buf b = BUF_INIT;

	(void)arg;
	buf_json_str(&b, pass);
	if (b.s)
		printf("{\"event\":\"pass\",\"pass\":%s,\"running\":%s}\n", b.s, running ? "true" : "false");
	fflush(stdout);
	buf_release(&b);
}

/* "random:SEED" or "pct:SEED[:DEPTH[:STEPS]]", as the runtime reads
 * CHANLAB_SCHED. */
static bool sched_spec_ok(const char *s)
{
	char *end;
	long depth;

	if (strncmp(s, "random:", 7) == 0)
		s += 7;
	else if (strncmp(s, "pct:", 4) == 0)
		s += 4;
	else
		return false;
	if (!isdigit((unsigned char)*s))
		return false;
	strtoull(s, &end, 10);
	if (strncmp(s - 4, "pct:", 4) == 0 && *end == ':') {
		depth = strtol(end + 1, &end, 10);
		if (depth < 1 || depth > 16)
			return false;
		if (*end == ':' && (!isdigit((unsigned char)end[1]) || strtoull(end + 1, &end, 10) == 0))
			return false;
	}
	return *end == '\0';
}

static int cmd_check(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex;
	struct check_verdict v;
	char commit[41], workdir[4096];
	int rc;

	if (cmd_flag(a, "--all", NULL) != (a->argc == 0)) {
		fprintf(stderr, "chanlab: check takes an exercise ID, or --all\n");
		return EXIT_USAGE;
	}
	if (cmd_flag(a, "--all", NULL))
		return cmd_check_all(app, a);
	ex = pack_find(app->pack, a->argv[0]);
	if (!ex) {
		cmd_no_exercise(app->pack, a->argv[0]);
		return EXIT_USAGE;
	}
	if (cmd_flag(a, "--profile=", &app->profile_all) && strcmp(app->profile_all, "cpu") != 0 &&
	    strcmp(app->profile_all, "alloc") != 0 && strcmp(app->profile_all, "block") != 0 &&
	    strcmp(app->profile_all, "mutex") != 0 && strcmp(app->profile_all, "trace") != 0) {
		fprintf(stderr, "chanlab: --profile is cpu, alloc, block, mutex or trace\n");
		return EXIT_USAGE;
	}
	if (cmd_flag(a, "--sched=", &app->sched) && !sched_spec_ok(app->sched)) {
		fprintf(stderr, "chanlab: --sched is random:SEED or pct:SEED:DEPTH[:STEPS], as a failure names it\n");
		return EXIT_USAGE;
	}
	if (cmd_flag(a, "--stream", NULL)) {
		if (!cmd_flag(a, "--json", NULL)) {
			fprintf(stderr, "chanlab: --stream goes with --json\n");
			return EXIT_USAGE;
		}
		app->on_test = print_test;
		app->on_pass = print_pass;
	}
	if (app_check(app, ex, &v, commit) < 0) {
		rc = cmd_error();
		check_verdict_release(&v);
		return rc;
	}
	if (cmd_flag(a, "--json", NULL)) {
		char *json = check_verdict_json(&v, ex->id);

		puts(json ? json : "{}");
		free(json);
	} else {
		app_workdir(app, ex, workdir, sizeof(workdir));
		cmd_print_verdict(ex, &v);
		printf("  your files: %s\n  snapshot:   %.7s\n", workdir, commit);
	}
	rc = v.status == CHECK_PASS ? EXIT_PASS : EXIT_NOTPASS;
	check_verdict_release(&v);
	return rc;
}

const struct cmd cmd_core[] = {
	{ "list", "chanlab list [--pack=DIR]", "list the exercises and your progress on each",
	  "Prints one line per exercise, in course order: its track, id, status (new,\n"
	  "failing, passed, or broken when its script has an error), title and, when\n"
	  "its author gave one, the minutes it takes. The bundled pack comes first,\n"
	  "then the packs found on $CHANLAB_PATH and in $XDG_DATA_HOME/chanlab/packs,\n"
	  "each after a line naming it; their ids read PACK:ID (an ID alone names the\n"
	  "first pack's exercise with that id).\n\n"
	  "  --pack=DIR   list only the pack in DIR (its ids as they are)\n",
	  NULL, 0, 0, false, cmd_list },
	{ "check", "chanlab check [--json] [--pack=DIR] [--sched=S] ID | --all", "check your solution to exercise ID and record the check",
	  "Builds your files for exercise ID against the chanlab runtime, runs the\n"
	  "exercise's tests and prints the verdict. The first check of an exercise\n"
	  "creates your copy of its starter files (see 'chanlab list' for ids).\n"
	  "Every check is recorded in your progress database and your files are\n"
	  "snapshotted as a git commit in <home>/work, so nothing is ever lost.\n\n"
	  "  --json       print the result as JSON (format version 2, see docs/results.md)\n"
	  "  --pack=DIR   take exercise ID from the pack in DIR only (relative or absolute)\n"
	  "  --all        check again every exercise you have started, two at a time,\n"
	  "               and say which no longer pass\n"
	  "  --stream     with --json: each test first, as soon as it is done, as a line\n"
	  "               {\"event\":\"test\",\"test\":{...}}, and each pass over the\n"
	  "               tests as it starts and ends, {\"event\":\"pass\",...}; then\n"
	  "               the whole result\n"
	  "  --profile=K  every run of your code takes a profile of kind K (cpu, alloc,\n"
	  "               block, mutex), kept for 'chanlab profile --last' and the shell\n"
	  "  --sched=S    the tests that run under many deterministic schedules run\n"
	  "               under schedule S alone (random:SEED or pct:SEED:DEPTH:STEPS), as a\n"
	  "               failure names it: the same interleaving, every time\n\n"
	  "Exit status: 0 passed, 1 not passed, 2 bad usage, 3 chanlab could not work.\n",
	  (const char *const[]){ "--json", "--stream", "--all", "--profile=", "--sched=", NULL }, 0, 1, false, cmd_check },
	{ .name = NULL },
};

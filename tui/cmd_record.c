/*
 * cmd_record — commands over the learner's record: progress, export,
 * history, show, diff, restore and reset (data/record.h does the work).
 *
 * Reading commands never create a home: with no record (record_exists)
 * they show an empty one.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "tui/cmd.h"

/* The value of flag in a (cmd_flag lives in main.c, which unit tests do not link). */
static const char *flag_value(const struct cmd_args *a, const char *flag, const char *dflt)
{
	for (int i = 0; i < 8 && a->flags[i]; i++)
		if (strcmp(a->flags[i], flag) == 0)
			return a->values[i];
	return dflt;
}

static int fail(void)
{
	return cmd_error();
}

/* Opens the record if the home has one; false (and nothing opened) if not. */
static int open_existing(struct app *app, bool *exists)
{
	*exists = record_exists(app->home);
	return *exists ? app_open_record(app) : 0;
}

static const struct pack_exercise *find_ex(struct app *app, const char *id)
{
	const struct pack_exercise *ex = pack_find(app->pack, id);

	if (!ex)
		cmd_no_exercise(app->pack, id);
	return ex;
}

/* Whether w names an attempt as a learner may ("3", "#3", "last", 4+ hex
 * digits of its commit); if not, says so: a bad argument (exit 2), where a
 * well-formed name of an attempt that does not exist is not. */
static bool attempt_form(const char *w)
{
	const char *p = w[0] == '#' ? w + 1 : w;
	size_t n = strlen(p);
	bool digits = n > 0, hex = n >= 4;

	for (size_t i = 0; i < n; i++) {
		digits = digits && p[i] >= '0' && p[i] <= '9';
		hex = hex && strchr("0123456789abcdefABCDEF", p[i]);
	}
	if (strcmp(w, "last") == 0 || digits || (hex && w[0] != '#'))
		return true;
	fprintf(stderr, "chanlab: '%s' does not name an entry of your history: give its number (3 or #3), "
		"'last', or 4 or more hex digits of its snapshot\n", w);
	return false;
}

static void when(long long t, char *out, size_t size, bool utc)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t) {
		snprintf(out, size, "%s", "");
		return;
	}
	if (utc)
		gmtime_r(&tt, &tm);
	else
		localtime_r(&tt, &tm);
	strftime(out, size, utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M", &tm);
}

static void duration(double secs, char *out, size_t size)
{
	long s = (long)(secs + 0.5);

	if (s < 60)
		snprintf(out, size, "%lds", s);
	else if (s < 3600)
		snprintf(out, size, "%ldm", s / 60);
	else
		snprintf(out, size, "%ldh%02ldm", s / 3600, s % 3600 / 60);
}

static const char *status_word(const struct record_progress *p, const struct pack_exercise *ex)
{
	if (ex && ex->error)
		return "broken";
	if (p->passed)
		return "passed";
	return p->attempts ? "failing" : "new";
}

/* --- progress ------------------------------------------------------------- */

/* The lines of one track of pack pk: a summary, then each exercise. */
static void progress_track(const struct app *app, const struct pack *pk, const char *track,
			   const struct record_progress *p, int *all_done, int *all_n)
{
	int done = 0, n = 0, tried = 0, checks = 0, hints = 0;
	double secs = 0;
	char d[32];

	for (size_t i = 0; i < app->pack->nex; i++) {
		if (app->pack->ex[i].pack != pk || strcmp(app->pack->ex[i].track, track) != 0)
			continue;
		n++;
		done += p[i].passed;
		tried += p[i].attempts > 0;
		checks += p[i].attempts;
		hints += p[i].hints;
		secs += p[i].seconds_spent;
	}
	if (!n)
		return;
	duration(secs, d, sizeof(d));
	if (app->pack->more)   /* several packs: which one's track */
		printf("%s:", pk->slug);
	printf("%-14s %d of %d passed, %d tried, %d check%s, %d hint%s, %s spent\n", track, done, n, tried,
	       checks, checks == 1 ? "" : "s", hints, hints == 1 ? "" : "s", d);
	for (size_t i = 0; i < app->pack->nex; i++) {
		const struct pack_exercise *ex = &app->pack->ex[i];
		char first[32];

		if (ex->pack != pk || strcmp(ex->track, track) != 0)
			continue;
		duration(p[i].seconds_spent, d, sizeof(d));
		when(p[i].first_pass, first, sizeof(first), false);
		printf("  %-24s %-8s %3d %-6s %7s", ex->key, status_word(&p[i], ex), p[i].attempts,
		       p[i].attempts == 1 ? "check" : "checks", d);
		if (p[i].first_pass)
			printf("  first passed %s", first);
		else if (p[i].best_total)
			printf("  best %d of %d tests", p[i].best_passed, p[i].best_total);
		printf("\n");
	}
	*all_done += done;
	*all_n += n;
}

static int cmd_progress(struct app *app, const struct cmd_args *a)
{
	struct record_progress *p;
	bool exists;
	int all_done = 0, all_n = 0;

	(void)a;
	if (open_existing(app, &exists) < 0)
		return fail();
	if (!(p = calloc(app->pack->nex + 1, sizeof(*p))))
		return EXIT_ERROR;
	for (size_t i = 0; i < app->pack->nex; i++)
		if (exists && app_progress(app, &app->pack->ex[i], &p[i]) < 0) {
			free(p);
			return fail();
		}
	for (const struct pack *pk = app->pack; pk; pk = pk->more)
		for (char **track = pk->tracks; track && *track; track++)
			progress_track(app, pk, *track, p, &all_done, &all_n);
	printf("%-14s %d of %d passed\n", "total", all_done, all_n);
	free(p);
	return EXIT_PASS;
}

/* --- export --------------------------------------------------------------- */

static void csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++)
		buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	buf_puts(b, "\"");
}

/* How time spent is counted, for the export's readers. */
#define SPENT_IS "active time: the gaps of at most 5 minutes between consecutive checks and hints " \
	"(a longer gap is time away and counts nothing), plus the checks themselves"

/* The current state: the last check's outcome (status_word says the best). */
static const char *current_word(const struct record_progress *p)
{
	if (!p->attempts)
		return "new";
	return strcmp(p->last_status, "pass") == 0 ? "passed" : "failing";
}

static void export_row(struct buf *b, bool json, bool first, const char *id, const char *track,
		       const char *status, const struct record_progress *p)
{
	char fp[32], ratio[32];

	when(p->first_pass, fp, sizeof(fp), true);
	if (p->best_ratio > 0)
		snprintf(ratio, sizeof(ratio), "%.3f", p->best_ratio);
	else
		ratio[0] = '\0';
	if (json) {
		buf_puts(b, first ? "\n  {\"exercise\":" : ",\n  {\"exercise\":");
		buf_json_str(b, id);
		buf_puts(b, ",\"track\":");
		buf_json_str(b, track);
		buf_puts(b, ",\"status\":");
		buf_json_str(b, status);
		buf_printf(b, ",\"checks\":%d,\"first_pass\":", p->attempts);
		if (p->first_pass)
			buf_json_str(b, fp);
		else
			buf_puts(b, "null");
		buf_printf(b, ",\"active_seconds\":%.0f,\"hints\":%d,\"best_ratio\":%s,\"current\":\"%s\"}",
			   p->seconds_spent, p->hints, *ratio ? ratio : "null", current_word(p));
		return;
	}
	csv_field(b, id);
	buf_puts(b, ",");
	csv_field(b, track);
	buf_printf(b, ",%s,%d,%s,%.0f,%d,%s,%s\r\n", status, p->attempts, fp, p->seconds_spent, p->hints, ratio,
		   current_word(p));
}

static bool has_key(const struct pack *p, const char *key)
{
	for (size_t i = 0; i < p->nex; i++)
		if (strcmp(p->ex[i].key, key) == 0)
			return true;
	return false;
}

static int cmd_export(struct app *app, const struct cmd_args *a)
{
	const char *format = flag_value(a, "--format=", "csv"), *output = flag_value(a, "--output=", NULL);
	struct record_progress *all = NULL, p;
	struct buf b = BUF_INIT;
	size_t nall = 0;
	bool exists, json, first = true;
	int rc = EXIT_PASS;

	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "chanlab: --format must be csv or json, not '%s'\n", format);
		return EXIT_USAGE;
	}
	json = format[0] == 'j';
	if (open_existing(app, &exists) < 0 || (exists && record_progress_all(app->record, &all, &nall) < 0))
		return fail();
	buf_puts(&b, json ? "{\"version\":2,\"active_seconds_counts\":\"" SPENT_IS "\",\"exercises\":[" :
		 "exercise,track,status,checks,first_pass,active_seconds,hints,best_ratio,current\r\n");
	for (size_t i = 0; i < app->pack->nex; i++) {
		const struct pack_exercise *ex = &app->pack->ex[i];

		memset(&p, 0, sizeof(p));
		for (size_t j = 0; j < nall; j++)
			if (strcmp(all[j].exercise, ex->key) == 0)
				p = all[j];
		export_row(&b, json, first, ex->key, ex->track, status_word(&p, ex), &p);
		first = false;
	}
	/* Exercises in the record that no pack loaded has (any more): their
	 * track is not known. */
	for (size_t j = 0; j < nall; j++)
		if (!has_key(app->pack, all[j].exercise)) {
			export_row(&b, json, first, all[j].exercise, "", status_word(&all[j], NULL), &all[j]);
			first = false;
		}
	buf_puts(&b, json ? "\n]}\n" : "");
	free(all);
	if (b.oom) {
		buf_release(&b);
		return EXIT_ERROR;
	}
	if (output) {
		FILE *f = fopen(output, "w");

		if (!f || fwrite(b.s, 1, b.len, f) != b.len || fclose(f) != 0) {
			fprintf(stderr, "chanlab: cannot write '%s'\n", output);
			rc = EXIT_ERROR;
		}
	} else {
		fwrite(b.s, 1, b.len, stdout);
	}
	buf_release(&b);
	return rc;
}

/* --- history, show, diff ------------------------------------------------------ */

static int cmd_history(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = find_ex(app, a->argv[0]);
	struct record_entry *h = NULL;
	size_t n = 0;
	bool exists;

	if (!ex)
		return EXIT_USAGE;
	if (open_existing(app, &exists) < 0 || (exists && app_history(app, ex, &h, &n) < 0))
		return fail();
	if (n == 0) {
		printf("%s: no checks yet (check it with 'chanlab check %s')\n", ex->id, ex->id);
		return EXIT_PASS;
	}
	for (size_t i = 0; i < n; i++) {
		struct buf status = BUF_INIT;
		char t[32];

		when(h[i].at, t, sizeof(t), false);
		/* the record's words, but the record is in the learner's home */
		buf_add_shown(&status, h[i].status, strnlen(h[i].status, sizeof(h[i].status)));
		if (strcmp(h[i].kind, "save") == 0)
			printf("#%-4d %s  %-6s %-7s %7s  %.7s  your files, saved before a reset or restore\n",
			       h[i].number, t, "saved", "", "", h[i].commit);
		else
			printf("#%-4d %s  %-6s %3d/%-3d %6.2fs  %.7s\n", h[i].number, t, status.s ? status.s : "",
			       h[i].passed, h[i].total, h[i].seconds, h[i].commit);
		buf_release(&status);
	}
	free(h);
	return EXIT_PASS;
}

/* The recorded verdict of entry e, printed as `chanlab check` printed it.
 * The record keeps the full verdict of an exercise's last check. */
static int show_verdict(struct app *app, const struct pack_exercise *ex, const struct record_entry *e)
{
	struct record_entry last;
	struct json *res = NULL;
	const struct json *tests;
	char *text = NULL, t[32];
	int rc;

	if (strcmp(e->kind, "save") == 0) {
		printf("%s: #%d is a snapshot of your files as they were before a reset or restore; it has no verdict\n",
		       ex->id, e->number);
		return EXIT_PASS;
	}
	if (app_last_result(app, ex, &last, &text) < 0)
		return fail();
	if (!text || last.id != e->id) {
		free(text);
		fprintf(stderr, "chanlab: the record keeps the full verdict of the last check of %s only (#%d); "
			"'chanlab history %s' has the outcome of every check\n", ex->id, last.number, ex->id);
		return EXIT_ERROR;
	}
	rc = json_parse(&res, text);
	free(text);
	tests = rc < 0 ? NULL : json_get(res, "tests");
	if (rc < 0 || !*json_str(res, "status") ||
	    (json_num(res, "recovered") != 0 && (!tests || tests->type != JSON_ARR || !tests->nkids))) {
		/* a row rebuilt from git keeps only the outcome */
		json_free(res);
		printf("%s: %s (%d of %d tests passed, %.2f s)\n  the details of this check were not kept: its record "
		       "was rebuilt from its snapshot\n", ex->id, strcmp(e->status, "pass") == 0 ? "passed" : "not passed",
		       e->passed, e->total, e->seconds);
		return EXIT_PASS;
	}
	cmd_print_result(ex, res);
	json_free(res);
	when(e->at, t, sizeof(t), false);
	printf("  check:      #%d, %s\n  snapshot:   %.7s\n", e->number, t, e->commit);
	return EXIT_PASS;
}

static int cmd_show(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = find_ex(app, a->argv[0]);
	struct record_entry e;
	struct buf b = BUF_INIT;
	char **names;

	if (!ex)
		return EXIT_USAGE;
	if (!attempt_form(a->argv[1]))
		return EXIT_USAGE;
	if (app_open_record(app) < 0 || record_find(app->record, ex->id, a->argv[1], &e) < 0)
		return fail();
	if (cmd_flag(a, "--verdict", NULL)) {
		if (a->argc == 3) {
			fprintf(stderr, "chanlab: --verdict shows a check's verdict, not a file\n");
			return EXIT_USAGE;
		}
		return show_verdict(app, ex, &e);
	}
	/* The learner's files and their names, shown: tabs and newlines as they
	 * are, anything a terminal would obey escaped ('chanlab restore' brings
	 * the bytes back). */
	if (a->argc == 3) {
		if (record_read(app->record, e.commit, ex->id, a->argv[2], &b) < 0)
			return fail();
		cmd_put_shown(stdout, b.s ? b.s : "", b.len);
		buf_release(&b);
		return EXIT_PASS;
	}
	if (record_files(app->record, e.commit, ex->id, &names) < 0)
		return fail();
	for (size_t i = 0; names[i]; i++) {
		cmd_put_shown(stdout, names[i], strlen(names[i]));
		putchar('\n');
	}
	str_list_free(names);
	return EXIT_PASS;
}

/* An entry of the history as named on the command line, in a sentence:
 * "#3" for 3 or #3, "your last recorded files", or the commit's digits. */
static const char *entry_name(const char *w, char *buf, size_t size)
{
	if (strcmp(w, "last") == 0)
		return "your last recorded files";
	snprintf(buf, size, "%s%s", w[0] != '#' && w[strspn(w, "0123456789")] == '\0' ? "#" : "", w);
	return buf;
}

/* How a side of a diff reads in a sentence. */
static const char *side_name(const char *side, char *buf, size_t size)
{
	if (strcmp(side, "work") == 0)
		return "your files now";
	if (strcmp(side, "starter") == 0)
		return "the starter";
	return entry_name(side, buf, size);
}

static int cmd_diff(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = find_ex(app, a->argv[0]);
	const char *from, *to;
	struct record_entry e;
	struct buf b = BUF_INIT;
	char fa[64], fb[64];

	if (!ex)
		return EXIT_USAGE;
	if (app_open_record(app) < 0)
		return fail();
	if (a->argc >= 2) {
		from = a->argv[1];
	} else {
		from = record_find(app->record, ex->id, "last", &e) == 0 ? "last" : "starter";
	}
	to = a->argc >= 3 ? a->argv[2] : "work";
	if (app_diff(app, ex, from, to, &b) < 0)
		return fail();
	if (b.len)   /* the learner's files: whatever a terminal would obey is shown escaped */
		cmd_put_shown(stdout, b.s, b.len);
	else    /* stdout stays empty, as git's; the person reading is told */
		fprintf(stderr, "%s: no differences between %s and %s\n", ex->id,
			side_name(from, fa, sizeof(fa)), side_name(to, fb, sizeof(fb)));
	buf_release(&b);
	return EXIT_PASS;
}

/* --- restore, reset ----------------------------------------------------------- */

static void said_saved(const struct pack_exercise *ex, const struct record_entry *s)
{
	if (s->number)
		printf("%s: your files as they were are saved as #%d (%.7s); 'chanlab restore %s %d' brings them back\n",
		       ex->id, s->number, s->commit, ex->id, s->number);
}

static int cmd_restore(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = find_ex(app, a->argv[0]);
	struct record_entry s;
	char dir[PATH_MAX], name[64];

	if (!ex)
		return EXIT_USAGE;
	if (!attempt_form(a->argv[1]))
		return EXIT_USAGE;
	if (app_restore(app, ex, a->argv[1], &s) < 0)
		return fail();
	said_saved(ex, &s);
	app_workdir(app, ex, dir, sizeof(dir));
	printf("%s: %s now holds the files of %s\n", ex->id, dir, entry_name(a->argv[1], name, sizeof(name)));
	return EXIT_PASS;
}

static int cmd_reset(struct app *app, const struct cmd_args *a)
{
	const struct pack_exercise *ex = find_ex(app, a->argv[0]);
	struct record_entry s;
	char dir[PATH_MAX];

	if (!ex)
		return EXIT_USAGE;
	if (app_reset(app, ex, &s) < 0)
		return fail();
	said_saved(ex, &s);
	app_workdir(app, ex, dir, sizeof(dir));
	printf("%s: %s now holds the starter files\n", ex->id, dir);
	return EXIT_PASS;
}

#define PACKS \
	"\n  --pack=DIR   only the pack in DIR (relative or absolute), its ids as\n" \
	"               they are; without it, every pack found (see 'chanlab\n" \
	"               --help'), ids of packs other than the bundled one PACK:ID\n"

#define NAMING \
	"An entry of your history (a check, or a snapshot 'saved' before a reset\n" \
	"or restore) is named by its number in 'chanlab history ID' (3 or #3), by\n" \
	"'last', or by 4 or more hex digits of its commit.\n"

const struct cmd cmd_record[] = {
	{ "progress", "chanlab progress [--pack=DIR]", "summarise your progress per track",
	  "Prints, for each track of the pack, how many exercises you passed and\n"
	  "tried, your checks, hints and time spent; then one line per exercise:\n"
	  "its status, checks, time spent and when you first passed it (or your\n"
	  "best result so far). Time spent counts active time only: the gaps of at\n"
	  "most 5 minutes between consecutive checks and hints (a longer gap is time\n"
	  "away and counts nothing), plus the checks themselves.\n" PACKS,
	  NULL, 0, 0, false, cmd_progress },
	{ "export", "chanlab export [--pack=DIR] [--format csv|json] [--output FILE]",
	  "write one row per exercise for an instructor (CSV or JSON)",
	  "Writes one row per exercise: exercise, track, status (the best so far:\n"
	  "new, failing, passed, broken), checks, first_pass (UTC, ISO 8601),\n"
	  "active_seconds (time spent, active time only: the gaps of at most 5\n"
	  "minutes between consecutive checks and hints, plus the checks; the JSON\n"
	  "says so in active_seconds_counts), hints (revealed), best_ratio (your best passing\n"
	  "benchmark figure divided by the reference solution's; lower is better)\n"
	  "and current (the last check's outcome: new, failing, passed).\n\n"
	  "  --format csv    RFC 4180 CSV with a header line (the default)\n"
	  "  --format json   {\"version\":2,\"exercises\":[{...}, ...]}\n"
	  "  --output FILE   write to FILE instead of standard output\n" PACKS,
	  (const char *const[]){ "--format=", "--output=", NULL }, 0, 0, false, cmd_export },
	{ "history", "chanlab history [--pack=DIR] ID", "list your checks of exercise ID",
	  "Prints one line per check, oldest first: its number, time, verdict,\n"
	  "tests passed, duration and commit in <home>/work. Entries marked 'saved'\n"
	  "are snapshots of your files as they were before a reset or restore.\n" PACKS,
	  NULL, 1, 1, false, cmd_history },
	{ "show", "chanlab show [--pack=DIR] [--verdict] ID N [FILE]", "list the files of check N, print one, or its verdict",
	  "Lists the files of exercise ID as they were at entry N of its history,\n"
	  "or prints FILE. " NAMING
	  "Control characters in them (other than tabs and newlines) are shown\n"
	  "escaped, as \\x1b; 'chanlab restore' brings back the files themselves.\n\n"
	  "  --verdict   print the verdict of check N as 'chanlab check' printed it\n"
	  "              (the record keeps it for the last check of an exercise)\n" PACKS,
	  (const char *const[]){ "--verdict", NULL }, 2, 3, false, cmd_show },
	{ "diff", "chanlab diff [--pack=DIR] ID [A [B]]", "show what changed between checks",
	  "Prints a unified diff of your files for exercise ID:\n"
	  "  chanlab diff ID        from your last recorded files to your files now\n"
	  "  chanlab diff ID A      from entry A of your history to your files now\n"
	  "  chanlab diff ID A B    from entry A to entry B\n"
	  "A or B may also be 'starter' (the exercise's starter files) or 'work'\n"
	  "(your files now). " NAMING PACKS,
	  NULL, 1, 3, false, cmd_diff },
	{ "restore", "chanlab restore [--pack=DIR] ID N", "bring back your files of an earlier check",
	  "Makes your folder for exercise ID hold the files of entry N. Your files\n"
	  "as they are now are saved first (a 'saved' entry in the history), so\n"
	  "nothing is lost. " NAMING PACKS,
	  NULL, 2, 2, false, cmd_restore },
	{ "reset", "chanlab reset [--pack=DIR] ID", "start exercise ID again from its starter files",
	  "Makes your folder for exercise ID hold the starter files again. Your\n"
	  "files as they are now are saved first (a 'saved' entry in the history;\n"
	  "'chanlab restore ID N' brings them back), so nothing is lost.\n" PACKS,
	  NULL, 1, 1, false, cmd_reset },
	{ .name = NULL },
};

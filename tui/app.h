/*
 * app — what every front end of chanlab shares: where things are, the
 * loaded pack, and the one operation that turns a learner's files into a
 * recorded verdict (check, then snapshot and record in one step).
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <stdbool.h>

#include "base/buf.h"
#include "data/record.h"
#include "data/store.h"
#include "lua/check.h"
#include "lua/pack.h"

struct app {
	char *home;          /* the learner's state: progress.db, work/, build/ */
	char *pack_dir;      /* the bundled pack */
	char *rt_include;    /* folder with go.h */
	char *rt_libdir;     /* folder with <flavour>/libchanlabrt.a */
	struct pack *pack;   /* every pack found, merged (see app_open), or the one --pack named */
	bool one_pack;       /* pack is the one --pack named */
	struct record *record; /* opened by app_open_record */
	struct store *store;   /* the record's database (borrowed from record) */
	bool shell;            /* the shell runs: it shows the record's notice itself */
	const char *sched;       /* check --sched: one schedule for the scheduled cases */
	const char *profile_all; /* NULL, or the profile kind app_check has every run of the
				    learner's code take (chanlab profile, check --profile=) */
	void (*on_test)(const struct check_test *t, void *arg);  /* app_check's tests as they
				    complete (check --stream), or NULL */
	void (*on_pass)(const char *pass, bool running, void *arg);  /* and its passes as
				    they start and end, or NULL */
	void (*on_run)(const char *what, const struct proc_result *pr, void *arg);
				 /* app_check's runs of the learner's code, or NULL (chanlab run) */
	void *on_run_arg;
	const char *const *run_args;  /* NULL, or the arguments the learner's own
				    programs run with in place of the script's (chanlab run ID ARGS) */
	bool no_record;        /* app_check neither records nor snapshots: the check's
				  sanitizer passes are left out too (chanlab run) */
};

/* Finds the bundled pack and runtime (a checkout or an installed tree),
 * resolves the home (home_opt, else $XDG_DATA_HOME/chanlab, else
 * ~/.local/share/chanlab) and loads the packs: only the one in pack_opt
 * (an absolute folder, from pack_resolve) if it is not NULL; else the
 * bundled pack, then those found in each folder of $CHANLAB_PATH (a pack,
 * or a folder of packs), then in $XDG_DATA_HOME/chanlab/packs (default
 * ~/.local/share/chanlab/packs), merged in that order (lua/pack.h). A
 * found pack that cannot be loaded is left out with a line on stderr.
 * Exercises are recorded by their key: the bundled pack's by their id,
 * a found pack's as "PACK:id"; the pack --pack names is alone, so its
 * ids are its keys (an author's pack, checked in the learner's seat, as
 * before packs were found). 0 or -1 (err_msg). */
int app_open(struct app **out, const char *home_opt, const char *pack_opt);
void app_free(struct app *app);

/* Opens the progress database and the attempts repository, creating them
 * on first use, and repairs the rows a crashed chanlab did not write (see
 * data/record.h). What it recovered (record_notice) goes to stderr, but
 * for the shell, which shows it. 0 or -1 (err_msg names the damaged file). */
int app_open_record(struct app *app);

/* The folder where the learner edits ex: <home>/work/<ex's key>. */
void app_workdir(const struct app *app, const struct pack_exercise *ex, char *buf, size_t size);

/* The folder holding chanlab_test.h, the C test API for harnesses. */
void app_harness_include(const struct app *app, char *buf, size_t size);

/* Creates the learner's folder from the starter if needed, stages the
 * files, runs the check, then commits exactly the files checked and records
 * the attempt (data/record.h). Checks of one exercise in one home take turns
 * (they share its build folder). commit receives the snapshot's id. 0, or
 * -1 when the attempt could not be made or recorded. */
int app_check(struct app *app, const struct pack_exercise *ex, struct check_verdict *v, char commit[41]);

/*
 * The record, for front ends. Each opens the record if needed (so each may
 * fail as app_open_record does) and returns 0 or -1 (err_msg). An entry is
 * named as the learner names it: "3" or "#3" (its number in the exercise's
 * history), "last", or 4+ hex digits of its commit. The files of an entry
 * are record_files/record_read on app->record with the entry's commit.
 */

/* The exercise's history, oldest first; *out malloc'd (free it). */
int app_history(struct app *app, const struct pack_exercise *ex, struct record_entry **out, size_t *n);

/* The verdict JSON of ex's most recent check and, if entry is not NULL,
 * that entry; *json NULL if ex was never checked (see record_last_result). */
int app_last_result(struct app *app, const struct pack_exercise *ex, struct record_entry *entry, char **json);

/* A unified diff from `from` to `to`, each an entry, "starter" (the
 * exercise's starter files), "solution" (the reference solution's) or
 * "work" (the learner's files as they are now), appended to out (nothing
 * if they are the same). */
int app_diff(struct app *app, const struct pack_exercise *ex, const char *from, const char *to, struct buf *out);

/* Saves the learner's current files (a "save" entry, unless they equal the
 * latest entry), then makes the folder hold entry `which`'s files (restore)
 * or the starter files (reset). *saved (if not NULL) gets the entry that
 * holds the files as they were. Nothing the learner wrote is lost. */
int app_restore(struct app *app, const struct pack_exercise *ex, const char *which, struct record_entry *saved);
int app_reset(struct app *app, const struct pack_exercise *ex, struct record_entry *saved);

/* Writes chanlab's read-only files into ex's folder (work_tooling): the
 * text as README.md, compile_flags.txt and compile_commands.json pointing
 * at the installed headers, and tests/ with the instructor's files. */
int app_tooling(struct app *app, const struct pack_exercise *ex);

/* Records that hint `which` (its index in ex->hints) was shown now, after
 * those shown before (see record_hint). */
int app_hint(struct app *app, const struct pack_exercise *ex, int which);

/* The hints of ex shown so far, in the order they were: up to max indexes
 * into ex->hints, *n how many (none when the home has no record yet). */
int app_hints(struct app *app, const struct pack_exercise *ex, int *which, size_t max, size_t *n);

/* Where ex stands: attempts, passed, first pass, hints, time spent, ... */
int app_progress(struct app *app, const struct pack_exercise *ex, struct record_progress *out);

#endif

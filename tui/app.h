/*
 * app — what every front end of chanlab shares: where things are, the
 * loaded pack, and the one operation that turns a learner's files into a
 * recorded verdict (check, then snapshot and record in one step).
 */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <stdbool.h>

#include "data/snap.h"
#include "data/store.h"
#include "lua/check.h"
#include "lua/pack.h"

struct app {
	char *home;          /* the learner's state: progress.db, work/, build/ */
	char *pack_dir;
	char *rt_include;    /* folder with go.h */
	char *rt_libdir;     /* folder with <flavour>/libchanlabrt.a */
	struct pack *pack;
	struct store *store; /* opened by app_open_record */
	struct snap *snap;
};

/* Finds the bundled pack and runtime (a checkout or an installed tree),
 * resolves the home (home_opt, else $XDG_DATA_HOME/chanlab, else
 * ~/.local/share/chanlab) and loads the pack. 0 or -1 (err_msg). */
int app_open(struct app **out, const char *home_opt);
void app_free(struct app *app);

/* Opens the progress database and the attempts repository, creating them
 * on first use. 0 or -1 (err_msg names the damaged file). */
int app_open_record(struct app *app);

/* The folder where the learner edits ex. */
void app_workdir(const struct app *app, const struct pack_exercise *ex, char *buf, size_t size);

/* Creates the learner's folder from the starter if needed, runs the check,
 * snapshots the files and records the attempt. commit receives the
 * snapshot's id. 0, or -1 when the attempt could not be made or recorded. */
int app_check(struct app *app, const struct pack_exercise *ex, struct check_verdict *v, char commit[41]);

#endif

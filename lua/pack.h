/*
 * pack — exercise packs, loaded by running their Lua scripts in a sandbox.
 *
 * A pack is a folder with pack.lua (name, version, format, tracks in order)
 * and one folder per exercise, <track>/<slug>/exercise.lua. An exercise
 * whose script is broken is still listed, with its error, so one broken
 * exercise never hides the others.
 */
#ifndef LUA_PACK_H
#define LUA_PACK_H

#include <stddef.h>

struct pack_hint {
	char *text;
	char *on;                /* the failure kind it answers (checker/kind.h), or NULL */
};

struct pack_exercise {
	char *id;                /* the folder name: unique in the pack */
	char *track;
	char *title;
	char *text;              /* Markdown */
	char *dir;               /* the exercise's folder */
	char *script;            /* .../exercise.lua */
	int difficulty;          /* 1..5 */
	char **files;            /* the files the learner edits, NULL-terminated */
	struct pack_hint *hints;
	size_t nhints;
	char *error;             /* NULL, or why the script could not be loaded */
};

struct pack {
	char *dir;
	char *name;
	char *version;
	int format;
	char **tracks;           /* NULL-terminated, in the pack's order */
	struct pack_exercise *ex;
	size_t nex;              /* exercises sorted by track order, then by difficulty and id */
};

/* Loads the pack in dir. Returns 0, or -1 if pack.lua itself cannot be
 * loaded (err_msg says why, with file:line). Free with pack_free. */
int pack_load(struct pack **out, const char *dir);
void pack_free(struct pack *p);

/* The exercise with this id ("slug" or "track/slug"), or NULL. */
const struct pack_exercise *pack_find(const struct pack *p, const char *id);

/* The hint that answers a failure of this kind (a name from checker/kind.h,
 * as a verdict's hint_on gives it; NULL for none): the first hint whose `on`
 * is kind, else the first hint with no `on`. The nshown hints whose indexes
 * are in shown are left out (shown may be NULL when nshown is 0). Both
 * front ends pick hints this way. The hint's index, or -1 when none is left. */
int pack_hint_for(const struct pack_exercise *ex, const char *kind, const int *shown, size_t nshown);

#endif

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

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct pack_hint {
	char *text;
	char *on;                /* the failure kind it answers (checker/kind.h), or NULL */
	char *test;              /* the test whose failure it answers, or NULL */
};

/* One failed test of a verdict, as a hint may answer it. */
struct pack_failure {
	const char *test;        /* the test's name */
	const char *kind;        /* its failure kind (a verdict's hint_on; NULL: "test") */
};

struct pack;

/* A grading policy (docs/authoring.md, "Grading policy"): what every check
 * of an exercise gets unless the exercise says otherwise. pack.lua's
 * `defaults` gives one for the whole pack and one per track; an exercise's
 * own fields override them. */
struct pack_policy {
	char **sanitizers;       /* flavours ("asan", "tsan") every harness's cases also run
				    under (c:run_tests), NULL-terminated; NULL: not said */
	int leakcheck;           /* the runtime's goroutine leak check: 1 on, 0 off, -1 not said */
	int max_failures;        /* failed expectations listed per test; 0: not said */
};

/* defaults.tracks[track] of pack.lua. */
struct pack_track_policy {
	char *track;
	struct pack_policy policy;
};

struct pack_exercise {
	char *id;                /* the folder name: unique in the pack */
	char *key;               /* the name the record keeps it by, unique among the
				  * packs loaded: id in the bundled pack, else
				  * "PACK:id" (pack_qualify) */
	const struct pack *pack; /* the pack it comes from (its name, folder, tracks) */
	char *track;
	char *title;
	char *text;              /* Markdown */
	char *dir;               /* the exercise's folder */
	char *script;            /* .../exercise.lua */
	int difficulty;          /* 1..5 */
	char **files;            /* the files the learner edits, NULL-terminated */
	struct pack_hint *hints;
	size_t nhints;
	/* metadata for the shell and the curriculum (docs/authoring.md) */
	char **topics;           /* searchable topics, NULL-terminated (may be empty) */
	char **after;            /* ids of exercises of this pack to do first, NULL-terminated;
				    'chanlab verify' checks they exist and form no cycle */
	int time;                /* expected minutes, 0 when not given */
	char **learn;            /* "learn more" references (URLs or titles), NULL-terminated */
	bool starter_compiles;   /* false only when the lesson is a compile error */
	char **headers;          /* learner-visible headers in the exercise's folder, copied
				    read-only beside the learner's files, NULL-terminated */
	char **uses;             /* the pack libraries its builds compile in (lib/NAME/ or
				    lib/NAME.c and .h), NULL-terminated */
	struct pack_policy policy; /* what its checks get, fully said: its own fields, else its
				    track's defaults, else the pack's, else chanlab's (no
				    sanitizer passes, the leak check on, 5 failures listed) */
	char *error;             /* NULL, or why the script could not be loaded */
};

struct pack {
	char *dir;               /* absolute when it came through pack_resolve */
	char *name;
	char *slug;              /* name as it prefixes keys: [A-Za-z0-9._-] only */
	char *version;
	int format;
	char **tracks;           /* NULL-terminated, in the pack's order */
	struct pack_policy defaults;            /* pack.lua's defaults (as said: may be partial) */
	struct pack_track_policy *track_defaults; /* its defaults.tracks, ntrack_defaults of them */
	size_t ntrack_defaults;
	struct pack_exercise *ex;
	size_t nex;              /* exercises sorted by track order, then by difficulty and id */
	struct pack *more;       /* packs merged into this one (pack_merge), in order; their
				  * exercises are in ex, after this pack's own */
};

/* Loads the pack in dir. Returns 0, or -1 if pack.lua itself cannot be
 * loaded (err_msg says why, with file:line). Free with pack_free. */
int pack_load(struct pack **out, const char *dir);
void pack_free(struct pack *p);

/* The absolute, canonical folder of the pack that arg names (a folder with
 * a pack.lua, relative to the working directory or absolute), malloc'd;
 * NULL (err_msg says why) if it is none. Every command takes a pack this
 * way, so a relative path means the same as the absolute one. */
char *pack_resolve(const char *arg);

/* Gives p's exercises the keys of a pack found on the way (not the
 * bundled one, nor the one --pack names): "SLUG:id", SLUG being p's name with anything but letters, digits, '.',
 * '_' and '-' made '-'. */
void pack_qualify(struct pack *p);

/* Loads the packs in folder dir and merges them into into (pack_merge): dir
 * itself if it has a pack.lua, else each of its subfolders that has one, in
 * name order. A pack that fails to load, or whose folder or name is already
 * in into, is left out and described in notes (a line each). Each one added
 * is qualified (pack_qualify). 0, or -1 out of memory. */
int pack_add_found(struct pack *into, const char *dir, struct buf *notes);

/* Moves other's exercises to the end of into's (keeping their order and
 * their pack) and keeps other in into's list of merged packs: into owns it. */
int pack_merge(struct pack *into, struct pack *other);

/* The exercise that id names, or NULL: its key ("PACK:slug"), "slug",
 * "track/slug", "PACK/slug" or "PACK/track/slug" (PACK a pack's name). A
 * name several exercises answer to is the first one's, in pack order (the
 * bundled pack first). */
const struct pack_exercise *pack_find(const struct pack *p, const char *id);

/* Whether a test a hint is aimed at (aimed) is test: the same name, or
 * the same case in a sanitizer pass ("<aimed> (ASan)", "<aimed> (TSan)"). */
bool pack_same_test(const char *aimed, const char *test);

/* The hint for a verdict's failures (nfails of them, in the verdict's
 * order; none when it passed or was never checked). For each failure in
 * turn: the first hint aimed at its test (`test`), else the first aimed at
 * its very kind (`on`, and `test` if it has one), else the first aimed at
its kind's family (`on = "sanitizer"` answers a use after free); *matched
is then true. When no
 * hint answers any failure, the first general hint (neither `on` nor
 * `test`) and *matched false: the front end must not present it as an
 * answer. The nshown hints whose indexes are in shown are left out (shown
 * may be NULL when nshown is 0). Both front ends pick hints this way. The
 * hint's index, or -1 when none is left. */
int pack_hint_for(const struct pack_exercise *ex, const struct pack_failure *fails, size_t nfails,
		  const int *shown, size_t nshown, bool *matched);

#endif

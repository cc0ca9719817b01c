/*
 * verify — the parts of 'chanlab verify' beyond the starter and solution
 * runs (tui/cmd_author.c): wrong solutions, the starter's failures, and the
 * pack-wide metadata checks. See docs/authoring.md, "Verifying a pack".
 */
#ifndef TUI_VERIFY_H
#define TUI_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "lua/check.h"
#include "lua/pack.h"

/* A wrong solution's marker: "/" "* wrong: KIND *" "/", "... KIND anywhere
 * ..." or "... KIND or KIND ...": a mistake whose symptom depends on the
 * interleaving (a lost count that shows as a wrong total in one run and a
 * use after free in the next) names each kind it is caught as. A mistake
 * that may be reported at any of a few lines (a race on a flag and on the
 * data behind it; a shared buffer written on two lines) repeats the same
 * marker on each: one marker, several places. */
enum { VERIFY_PLACES = 4 };

struct verify_marker {
	char kind[3][32];
	int nkinds;
	struct {
		char file[256];  /* the learner file (a name from the exercise's files) */
		int line;
	} at[VERIFY_PLACES];
	int nat;
	bool anywhere;
};

/* Finds the marker in the wrong solution in dir (wrong/NAME). 0, or -1
 * with why in buf (an authoring error: no marker, two that differ, one
 * `anywhere` repeated, an unknown kind, a file the exercise does not
 * have). */
int verify_marker_find(const struct pack_exercise *ex, const char *dir, struct verify_marker *m, char *buf,
		       size_t size);

/* Whether a failed test of the verdict has the marker's kind and, unless
 * anywhere, names one of the marker's file:lines (its report, or file:line
 * in its message or output). Otherwise buf says what came instead. */
bool verify_marker_met(const struct check_verdict *v, const struct verify_marker *m, char *buf, size_t size);

/* Runs work(i, out_i, arg) for each i < n, each in a process of its own,
 * width at a time; out_i, the i-th of n results of size bytes at out,
 * comes back from the child down a pipe (size must fit in one: 64 KiB).
 * For one that cannot start, or ends without saying, lost(i, out_i, why,
 * arg) fills out_i instead. */
void verify_pool(size_t n, int width, void *out, size_t size, void (*work)(size_t i, void *out, void *arg),
		 void (*lost)(size_t i, void *out, const char *why, void *arg), void *arg);

/* Checks every wrong solution of ex (wrong/NAME/ overlaying solution/),
 * once each, in the normal build, with base's settings, width at a time
 * (each in a process of its own); builds go below cachedir. Sets *total
 * and *caught; a line per miss is appended to buf, in NAME order. */
void verify_wrong(const struct check_env *base, const char *cachedir, const struct pack_exercise *ex, int width,
		  int *total, int *caught, char *buf, size_t size);

/* What the starter's verdict fails, as "starter fails: 3 of 4 tests — deadlock ×2, test ×1"
 * into buf; false when it is unsound (it does not compile though the
 * exercise does not say starter_compiles = false). */
bool verify_starter(const struct check_verdict *v, const struct pack_exercise *ex, char *buf, size_t size);

/* The pack-wide checks of exercise i: its `after` names exercises of the
 * pack and is part of no cycle, its `headers` exist. false with why in buf. */
bool verify_meta(const struct pack *p, size_t i, char *buf, size_t size);

#endif

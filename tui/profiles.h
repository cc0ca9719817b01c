/*
 * profiles — the profiles and traces a learner's checks took, kept per
 * exercise for the shell's views and `chanlab profile`.
 *
 * <home>/profiles/<key>/last/ holds what the latest check that took any
 * profile wrote (cpu-001.pb.gz, alloc-002.pb.gz, trace-003.out, ...: one
 * per run, as lua/api_profile.c keeps them), prev/ the one before, for a
 * before/after comparison. A check writes into new/; profiles_end then
 * turns new/ into last/ and last/ into prev/, or drops new/ when it is
 * empty, so a check that took no profile leaves the last ones in place.
 */
#ifndef TUI_PROFILES_H
#define TUI_PROFILES_H

#include <stddef.h>
#include <stdio.h>

#include "checker/flame.h"

/* The profile kinds, in the order views offer them. */
extern const char *const profiles_kinds[4];   /* "cpu", "alloc", "block", "mutex" */

/* Makes <home>/profiles/<key>/new/ empty and puts its path in dir. 0 or -1. */
int profiles_begin(const char *home, const char *key, char *dir, size_t size);

/* After the check: new/ becomes last/ (last/ becomes prev/) if the check
 * kept anything in it, else it goes. 0 or -1 (err_msg). */
int profiles_end(const char *home, const char *key);

/* Merges the profiles of kind ("cpu", ...) in <home>/profiles/<key>/<which>/
 * (which is "last" or "prev") into f (FLAME_INIT) and finishes it; a
 * shell pattern that names the files goes in files (for go tool pprof).
 * Returns how many profiles were merged (0: none of that kind), or -1 and
 * err_msg for a file that cannot be read (a damaged one is named). */
int profiles_load(const char *home, const char *key, const char *which, const char *kind, struct flame *f,
		  char *files, size_t size);

/* The traces kept in <home>/profiles/<key>/<which>/ (trace-001.out, ...),
 * in the order the check took them, as full paths: a NULL-terminated list
 * (str_list_free it), or NULL when out of memory. */
char **profiles_traces(const char *home, const char *key, const char *which);

/* What a kind's values are: "nanoseconds" or "bytes". */
const char *profiles_unit(const char *kind);

/* A value of unit for a person: "1.23s", "450ms", "12.5MB", "880B". */
void profiles_value(char *buf, size_t size, int64_t v, const char *unit);

/* pprof's top table of f, its first max rows (0: all), to out:
 *       flat  flat%   sum%        cum   cum%
 *      1.20s 60.00% 60.00%      1.20s 60.00%  mix  prof.c:16 */
void profiles_print_top(FILE *out, const struct flame *f, const char *unit, size_t max);

#endif

/*
 * check — run an exercise's check script against the learner's files.
 *
 * The script's check(c) function runs in a fresh sandbox with the author
 * API bound to c: c:build{...}, c:run(program, {...}), c:test(name, ok, msg).
 * What it declares becomes a verdict: one entry per test, and a status.
 */
#ifndef LUA_CHECK_H
#define LUA_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "lua/pack.h"

enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_SKIP, CHECK_ERROR };

struct check_test {
	char *name;
	enum check_status status;
	char *message;           /* why it failed, or "" */
	char *output;            /* program output or compiler log worth showing, or "" */
	double seconds;
};

struct check_verdict {
	enum check_status status; /* PASS only if every test passed and there was one */
	char *message;            /* a script error (file:line), or "" */
	struct check_test *tests;
	size_t ntests;
	double seconds;
};

struct check_env {
	const char *workdir;     /* the learner's files for this exercise */
	const char *builddir;    /* scratch space for programs; created if missing */
	const char *rt_include;  /* folder with go.h */
	const char *rt_libdir;   /* folder with <flavour>/libchanlabrt.a */
};

/* Runs ex's check script and fills *v (release with check_verdict_release).
 * Returns 0 whenever a verdict was made, including a broken script (status
 * CHECK_ERROR with the script's file:line); -1 only if nothing could run.
 * Blocks for as long as the checks take. */
int check_run(struct check_verdict *v, const struct pack_exercise *ex, const struct check_env *env);

void check_verdict_release(struct check_verdict *v);

/* "pass", "fail", "skip", "error". */
const char *check_status_name(enum check_status s);

/* The verdict as JSON (format version 1, see docs/results.md); caller frees. */
char *check_verdict_json(const struct check_verdict *v, const char *exercise_id);

#endif

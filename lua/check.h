/*
 * check — run an exercise's check script against the learner's files.
 *
 * The script's check(c) function runs in a fresh sandbox with the author
 * API bound to c (see docs/authoring.md): c:build, c:run, c:test, c:same, c:skip,
 * c:clean, c:run_tests, c:bench, c:file, c:source. What it declares becomes
 * a verdict: one entry per test, benchmark figures, and a status.
 *
 * The implementation is split by job (entry point and verdict, programs,
 * files, tests, harness protocol, benchmarks, reports): see lua/check_int.h.
 */
#ifndef LUA_CHECK_H
#define LUA_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "lua/pack.h"

enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_SKIP, CHECK_ERROR };

/* What a sanitizer or the runtime reported, as it goes with a test. */
struct check_report {
	char *kind;              /* "heap-use-after-free", "data-race", "deadlock", ... */
	char *tool;
	char *file;              /* the learner's file, or NULL */
	int line;
	char *function;          /* or NULL */
	char *explain;
	char *goroutines;        /* a runtime dump's goroutines, a JSON array, or NULL */
};

struct check_test {
	char *name;
	enum check_status status;
	char *message;           /* why it failed, or "" */
	char *output;            /* program output or compiler log worth showing, or "";
				    kept byte for byte: it may hold NULs and any control
				    character, so show it only through buf_add_shown */
	size_t output_len;       /* its length in bytes */
	double seconds;
	struct check_report *report;   /* the first report behind a failure, or NULL */
	char *hint_on;           /* the failure kind a hint may answer (a name from
				    checker/kind.h's table), or NULL */
};

struct check_bench {
	char *name;
	long n;                  /* iterations per run */
	int runs;                /* runs of each program */
	double ns_op, bytes_op, allocs_op;             /* the learner's (medians) */
	double ref_ns_op, ref_bytes_op, ref_allocs_op; /* the reference's */
	double ratio, lo, hi;    /* median learner/reference time and its 95% interval */
	double budget;           /* the ratio allowed */
	bool passed;
};

struct check_verdict {
	enum check_status status; /* PASS only if every test passed and there was one */
	char *message;            /* a script error (file:line), or "" */
	struct check_test *tests;
	size_t ntests;
	struct check_bench *benches;
	size_t nbenches;
	char *note;               /* e.g. isolation unavailable, or "" */
	size_t nreports;          /* sanitizer and runtime reports seen in any run */
	double seconds;
};

struct check_env {
	const char *workdir;     /* the learner's files for this exercise */
	const char *builddir;    /* scratch space for programs; created if missing */
	const char *rt_include;  /* folder with go.h */
	const char *rt_libdir;   /* folder with <flavour>/libchanlabrt.a */
	const char *harness_include;  /* folder with chanlab_test.h */
	bool solution;           /* build the exercise's solution/ in place of workdir (verify) */
	const char *flavour;     /* NULL, or build every program in this flavour (verify's
				    sanitizer passes); benchmarks are then skipped */
	double timeout_scale;    /* 0 or 1: the script's timeouts as written; verify gives
				    sanitized builds more time (they run several times slower) */
};

/* Runs ex's check script and fills *v (release with check_verdict_release).
 * Returns 0 whenever a verdict was made, including a broken script (status
 * CHECK_ERROR with the script's file:line); -1 only if nothing could run.
 * Blocks for as long as the checks take. */
int check_run(struct check_verdict *v, const struct pack_exercise *ex, const struct check_env *env);

void check_verdict_release(struct check_verdict *v);

/* "pass", "fail", "skip", "error". */
const char *check_status_name(enum check_status s);

/* The verdict as JSON (format version 2, see docs/results.md); caller frees.
 * An output's NULs are escaped as JSON requires and bytes that are not UTF-8
 * become U+FFFD, so the result is always valid JSON. */
char *check_verdict_json(const struct check_verdict *v, const char *exercise_id);

#endif

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

struct proc_result;

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
	char *interleaving;      /* JSON of the steps of the schedule that failed it
				    (lua/api_interleave.c), or NULL */
};

struct check_bench {
	char *name;
	char *baseline;          /* what the learner's code was measured against: "reference",
				    "starter", or the name of that build */
	long n;                  /* iterations per run */
	int runs;                /* runs of each program */
	double ns_op, bytes_op, allocs_op;             /* the learner's (medians) */
	double ref_ns_op, ref_bytes_op, ref_allocs_op; /* the baseline's */
	double cpu_ns_op, ref_cpu_ns_op;   /* CPU ns per operation, -1 when clock = "wall" */
	bool cpu;                /* the ratio is of CPU times (else of wall times) */
	double ratio, lo, hi;    /* median learner/baseline time and its 95% interval */
	double budget;           /* the ratio allowed */
	double p;                /* Mann-Whitney U: the learner's times against the budget's */
	bool inconclusive;       /* slower than the budget, but not surely (p >= 0.05) */
	double allocs_budget, bytes_budget;   /* per operation, or -1: none */
	bool passed;
};

/* The instruments a check used, as bits of check_verdict.instruments: each
 * flavour a program ran in, and what watched or steered the runs.
 * check_instrument_name names each bit ("asan", "leakcheck", ...). */
enum check_instrument {
	CHECK_INS_NORMAL = 1u << 0,     /* a program of the normal flavour ran */
	CHECK_INS_DEBUG = 1u << 1,
	CHECK_INS_ASAN = 1u << 2,       /* ASan + UBSan + LSan */
	CHECK_INS_TSAN = 1u << 3,
	CHECK_INS_VALGRIND = 1u << 4,
	CHECK_INS_LEAKCHECK = 1u << 5,  /* the runtime's goroutine leak check was on */
	CHECK_INS_SCHEDULES = 1u << 6,  /* deterministic schedules (CHANLAB_SCHED) */
	CHECK_INS_PROFILE = 1u << 7,    /* a profile or a trace */
	CHECK_INS_BENCH = 1u << 8,      /* a benchmark against a baseline */
	CHECK_INS_ALL = (1u << 9) - 1,
};

enum { CHECK_NPATHS = 6 };

struct check_verdict {
	enum check_status status; /* PASS only if every test passed and there was one */
	char *message;            /* a script error (file:line), or "" */
	struct check_test *tests;
	size_t ntests;
	struct check_bench *benches;
	size_t nbenches;
	char *note;               /* e.g. isolation unavailable, or "" */
	size_t nreports;          /* sanitizer and runtime reports seen in any run */
	unsigned instruments;     /* enum check_instrument bits: what the check used, for
				     verify to report per exercise */
	double seconds;
	/* progressive results: each test, once complete (when the next is
	 * declared), goes to on_test; the check's end completes the rest */
	void (*on_test)(const struct check_test *t, void *arg);
	void *on_test_arg;
	/* and each pass over the tests as it starts and ends ("normal",
	 * "ASan", "TSan"; the sanitizer passes run beside the main one) */
	void (*on_pass)(const char *pass, bool running, void *arg);
	size_t streamed;
	/* asked after each failed test whether the verdict says enough; once
	 * it does, the check stops and the verdict is the tests so far */
	bool (*enough)(const struct check_verdict *v, void *arg);
	void *enough_arg;
	bool stopped;
	char *paths[CHECK_NPATHS]; /* folders taken out of what the tests show (lua/check_paths.c) */
};

struct check_env {
	const char *workdir;     /* the learner's files for this exercise */
	const char *builddir;    /* scratch space for programs; created if missing */
	const char *objects;     /* NULL, or a folder whose <flavour>/ keeps the objects of the
				    pack's sources (harnesses, libraries) for every check given
				    it, in place of the builddir's own (verify: the starter, the
				    solution and each wrong solution compile a harness once) */
	const char *rt_include;  /* folder with go.h */
	const char *rt_libdir;   /* folder with <flavour>/libchanlabrt.a */
	const char *harness_include;  /* folder with chanlab_test.h */
	bool solution;           /* build the exercise's solution/ in place of workdir (verify) */
	const char *flavour;     /* NULL, or build every program in this flavour (verify's
				    sanitizer passes); benchmarks are then skipped */
	double timeout_scale;    /* 0 or 1: the script's timeouts as written; verify gives
				    sanitized builds more time (they run several times slower).
				    Harnesses see it too (CHANLAB_TIME_SCALE, cl_time_scale) */
	bool no_passes;          /* leave out the pack's default sanitizer passes (the
				    exercise's policy): only what the script runs itself */
	const char *profdir;     /* NULL, or an existing folder where every profile and
				    trace of the learner's own programs is kept, as
				    <kind>-<n>.pb.gz and trace-<n>.out (the shell's views) */
	void (*on_test)(const struct check_test *t, void *arg);   /* NULL, or where each test
				    goes as soon as it is complete (check --stream) */
	void (*on_pass)(const char *pass, bool running, void *arg);   /* NULL, or told
				    when each pass over the tests starts and ends */
	void *on_test_arg;
	void (*on_run)(const char *what, const struct proc_result *pr, void *arg);  /* NULL, or
				    told of every run of the learner's own code but benchmarks,
				    with what it printed (chanlab run) */
	void *on_run_arg;
	const char *const *run_args;  /* NULL, or what c:run passes the learner's own
				    program (not a harness) in place of the script's args,
				    NULL-terminated (chanlab run ID ARGS) */
	const char *profile_all; /* NULL, or a profile kind ("cpu", "alloc", "block",
				    "mutex") every run of the learner's own programs in the
				    normal or debug flavour takes (chanlab profile) */
	const char *sched;       /* NULL, or one schedule ("pct:7:3") every case the script
				    runs under schedules runs under, alone (check --sched) */
	bool (*enough)(const struct check_verdict *v, void *arg);   /* NULL, or asked after
				    each failed test whether the verdict says all that is
				    wanted (verify: a wrong solution caught as its marker
				    says); then the check stops there, a failed verdict of
				    the tests so far */
	void *enough_arg;
};

/* Runs ex's check script and fills *v (release with check_verdict_release).
 * Returns 0 whenever a verdict was made, including a broken script (status
 * CHECK_ERROR with the script's file:line); -1 only if nothing could run.
 * Blocks for as long as the checks take. */
int check_run(struct check_verdict *v, const struct pack_exercise *ex, const struct check_env *env);

void check_verdict_release(struct check_verdict *v);

/* One test as the verdict's JSON has it (docs/results.md, tests[]), or
 * NULL when out of memory. Free it. */
char *check_test_json(const struct check_test *t);

/* "pass", "fail", "skip", "error". */
const char *check_status_name(enum check_status s);

/* The name of one instrument bit: "normal", "debug", "asan", "tsan",
 * "valgrind", "leakcheck", "schedules", "profile", "bench"; NULL for a
 * value that is not one bit of the set. */
const char *check_instrument_name(unsigned bit);

/* The verdict as JSON (format version 2, see docs/results.md); caller frees.
 * An output's NULs are escaped as JSON requires and bytes that are not UTF-8
 * become U+FFFD, so the result is always valid JSON. */
char *check_verdict_json(const struct check_verdict *v, const char *exercise_id);

#endif

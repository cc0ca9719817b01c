/*
 * check_int — what the files of the author API share; private to lua/.
 *
 * The author API (lua/check.h) is one module split by job:
 *
 *   lua/check.c        the entry point, the context `c` a script gets, the
 *                      verdict and its JSON
 *   lua/api_build.c    making programs: c:build (the learner's, the
 *                      reference's, the starter's; pack libraries)
 *   lua/api_run.c      running programs: c:run, and the one way any
 *                      program runs (its environment, the instruments)
 *   lua/api_files.c    reading files: c:file, c:source, and the learner's
 *                      files as c:build copies them (regular files only)
 *   lua/api_test.c     declaring tests: c:test, c:same, c:skip, c:clean
 *   lua/api_harness.c  the harness protocol (fd 3, token, --list, --run):
 *                      c:run_tests, one pass over a harness's cases
 *   lua/api_passes.c   the pack's default sanitizer passes of c:run_tests,
 *                      run side by side in worker processes
 *   lua/api_bench.c    the benchmark loop: c:bench
 *   lua/reports.c      sanitizer and runtime reports: from a run's stderr
 *                      to Lua tables and to the verdict
 *
 * A function one file needs from another is declared here, under the
 * prefix of the file that defines it; everything else stays static.
 */
#ifndef LUA_CHECK_INT_H
#define LUA_CHECK_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>
#include <lauxlib.h>

#include "base/buf.h"
#include "checker/kind.h"
#include "checker/proc.h"
#include "checker/report.h"
#include "lua/check.h"

#define CTX_META "chanlab.check"        /* the userdata `c` */
#define PROGRAM_META "chanlab.program"  /* a struct program */

/* One check, behind the script's `c`: lives on check_run's stack while the
 * script's check function runs. */
struct check_ctx {
	const struct pack_exercise *ex;
	const struct check_env *env;
	struct check_verdict *v;
	int nbuilds;
	char failed_build[128];  /* "build (asan)" once a build failed: later failures are skips */
	const char *note;
	char passes_done[16][320]; /* "<flavour> <role> <label> <harness>" of each harness pass
				      this check ran (lua/api_passes.c): a default pass runs once */
	int npasses_done;
	int nprofiles;           /* profiles and traces kept in env->profdir so far */
};

/* Whose files a program was built from, as the script asked (under
 * verify, ROLE_LEARNER builds the solution). */
enum program_role { ROLE_LEARNER, ROLE_SOLUTION, ROLE_STARTER };

/* A program c:build made. Only ever a userdata with PROGRAM_META, so a
 * script can run nothing but what chanlab compiled; its user value is the
 * options it was built with (api_build_again). */
struct program {
	char path[4096];
	char flavour[16];
	bool harness;            /* built with a harness file: speaks the fd 3 protocol */
	bool solution;           /* role == ROLE_SOLUTION */
	enum program_role role;
	char label[48];          /* what it is called in tests: "" (the learner's code),
				    "reference", "starter", or the script's name */
	char harness_file[256];  /* the harness it was built with, or "" */
};

/* One run of a program. The strings and lists belong to the caller, who
 * keeps them anchored in Lua for the length of the run. */
struct run_spec {
	const struct program *prog;
	const char *const *args;
	const char *const *env;       /* the script's extra variables */
	const char *stdin_data;
	size_t stdin_len;
	double timeout;               /* seconds, before the check's timeout_scale */
	size_t mem;                   /* address-space bytes (not for asan and tsan) */
	size_t output_cap;            /* bytes kept of stdout and of stderr */
	int pass_fd;                  /* a descriptor the program gets as fd 3; -1: none */
	bool valgrind;                /* under valgrind's memcheck */
	double cpu;                   /* CPU seconds, 0: as timeout */
	unsigned nproc;               /* processes and threads, 0: 256 */
	size_t disk;                  /* bytes its private folder may hold, 0: proc's default */
	const char *profile;          /* NULL, "cpu" (profiled) or "trace" (traced): the file
					 the runtime wrote is read back (lua/api_profile.c) */
	const char *fetch;            /* NULL, or a file of its private folder to read back
					 when it ends (pr->fetched), as a profile is */
	const char *what;             /* what the run is, for env->on_run ("no_numbers"); NULL:
					 a run on_run is not told of (a listing, a benchmark) */
};

/* c:run's defaults: 5 s, 2 GiB of memory, 1 MiB of output, no fd 3. */
#define RUN_SPEC_INIT { .timeout = 5, .mem = 2048u << 20, .output_cap = 1u << 20, .pass_fd = -1 }

/* --- lua/check.c: the context and the verdict ------------------------------- */

/* The check behind argument 1 of an author function; raises unless it is
 * the script's `c`. */
struct check_ctx *check_ctx_of(lua_State *L);

/* Stops the script (raises) once the verdict says enough (check_env.enough):
 * every author API call begins with it, through check_ctx_of, and long
 * calls ask again between their steps. */
void check_enough(lua_State *L, struct check_ctx *c);

/* Whether the verdict says enough (every test declared is complete). */
bool check_said_enough(struct check_ctx *c);

/* Tells the verdict's on_pass that the pass over the tests in flavour
 * ("normal", "asan", "tsan", ...) starts or ends, by the name a learner
 * knows it by ("ASan"); when it ends, its tests are streamed first. */
void check_pass_event(struct check_verdict *v, const char *flavour, bool running);

/* Hands the tests declared so far to the verdict's on_test (progressive
 * results): call it before anything that takes time (a build, a run), when
 * every test declared is complete. Declaring a test does it too. */
void check_stream(struct check_verdict *v);

/* s[0..len) with the folders of v->paths taken out of every path and the
 * harness's machinery left out of stack traces (lua/check_paths.c): the
 * new length (it only shrinks). */
size_t check_paths_shorten(const struct check_verdict *v, char *s, size_t len);

/* Appends a test to the verdict with copies of the strings (NULL message or
 * output: ""). Returns it, for the caller to add a hint or report to, or
 * NULL when out of memory. */
struct check_test *check_add_test(struct check_verdict *v, const char *name, enum check_status st,
				  const char *message, const char *output, double seconds);

/* The same with an output of output_len bytes, which may hold NULs: a
 * program's output is kept byte for byte. */
struct check_test *check_add_testn(struct check_verdict *v, const char *name, enum check_status st,
				   const char *message, const char *output, size_t output_len, double seconds);

/* Appends test name as skipped because a build before it failed: "not run:
 * build (asan) failed" (or "the build" when none was recorded). As
 * check_add_test. */
struct check_test *check_add_not_run(struct check_ctx *c, const char *name);

/* Options from the script's table at idx: field key, or def when it is nil.
 * Each raises when the field has another type. A string stays alive in the
 * table; check_opt_strv's NULL-ended list is a userdata it leaves on the
 * stack (NULL, and nothing pushed, when the field is nil). */
const char **check_opt_strv(lua_State *L, int idx, const char *key);
const char *check_opt_str(lua_State *L, int idx, const char *key, const char *def);
double check_opt_num(lua_State *L, int idx, const char *key, double def);
bool check_opt_bool(lua_State *L, int idx, const char *key);

/* Raises unless name (a what: "file", "harness") is a path inside the
 * exercise folder: not empty, not absolute, no "..". */
void check_rel(lua_State *L, const char *what, const char *name);

/* Sets field key of the table on top of the stack to s ("" for NULL). */
void check_set_str(lua_State *L, const char *key, const char *s);

/* --- lua/api_build.c: making programs --------------------------------------- */

/* c:build. */
extern const luaL_Reg api_build_lib[];

/* Builds the program at prog_idx again, from the same files and options,
 * in flavour (a forced flavour, verify's, still wins), and pushes the new
 * program, or nil after declaring its failed build test. Raises as c:build
 * does. */
int api_build_again(lua_State *L, struct check_ctx *c, int prog_idx, const char *flavour);

/* --- lua/api_run.c: running programs ----------------------------------------- */

/* c:run. */
extern const luaL_Reg api_run_lib[];

/* Runs s->prog as a learner process, sandboxed, with s's limits and the
 * flavour's environment, and fills *pr (release with proc_result_release).
 * The argument and environment lists it builds are anchored on the Lua
 * stack (and popped when it returns 0); everything s points to the caller
 * anchors. Keeps the runner's note (isolation unavailable, ...) for the
 * verdict. 0, or -1 with err_msg when the program could not be started.
 * Blocks until the program ends or its limits end it. */
int api_run_program(lua_State *L, struct check_ctx *c, const struct run_spec *s, struct proc_result *pr);

/* --- lua/api_interleave.c: the interleaving behind a failure ------------------- */

/* Runs harness case name of base's program once more under schedule spec
 * alone, with the schedule log on, and returns the steps as JSON (see the
 * file), or NULL. env is base's environment array with two free slots at
 * nenv and nenv + 1, which it uses and gives back. */
char *api_interleaving(lua_State *L, struct check_ctx *c, const struct run_spec *base, const char **env,
		       size_t nenv, const char *name, const char *spec);

/* --- lua/api_profile.c: profiles --------------------------------------------- */

/* c:profile, c:trace. */
extern const luaL_Reg api_profile_lib[];

/* For a run profiled as kind ("cpu" or "trace"): the file it writes in its
 * private folder, and the variable that tells the runtime to write it;
 * NULL for an unknown kind. */
const char *api_profile_file(const char *kind);
const char *api_profile_env(const char *kind);

/* Sets field "profile" (cpu) or "trace" of the result table on top of the
 * stack to what pr fetched, as Lua data, or "profile_error" to why there
 * is none. */
void api_profile_result(lua_State *L, const char *kind, const struct proc_result *pr);

/* Sets field "profile" or "trace" of the result table on top of the stack
 * to an empty one (empty = true, every figure 0): what verify's sanitizer
 * passes, which build everything sanitized, get in place of a profile. */
void api_profile_empty(lua_State *L, const char *kind);

/* Keeps the profile or trace a run of prog fetched in the check's profdir,
 * when there is one and prog is the learner's own code. Never fails the
 * check: a profile that cannot be kept is only missing from the views. */
void api_profile_keep(struct check_ctx *c, const struct program *prog, const char *kind,
		      const struct proc_result *pr);

/* --- lua/api_files.c: reading files ----------------------------------------- */

/* c:file, c:source. */
extern const luaL_Reg api_files_lib[];

/* Reads the learner's file name (relative, as the exercise lists it) in
 * the folder dir into *out: only a regular file inside dir, reached without
 * following a symbolic link at any step. 0, or -1 with err_msg saying what
 * the file is instead (missing, a symbolic link, a folder, a pipe) and what
 * to do. Never blocks on a pipe or a device. */
int api_files_read_learner(const char *dir, const char *name, struct buf *out);

/* --- lua/api_test.c: declaring tests ---------------------------------------- */

/* c:test, c:same, c:skip, c:clean. */
extern const luaL_Reg api_test_lib[];

/* --- lua/api_harness.c: the harness protocol -------------------------------- */

/* c:run_tests. */
extern const luaL_Reg api_harness_lib[];

/* Deterministic schedules (runtime/det.c) a case runs under (the harness
 * runs them, a fork each: chanlab_test.h's cl_run_schedules): strategy
 * "pct" or "random", how many (0: none), and PCT's depth. */
struct harness_schedules {
	const char *strategy;
	int n, depth;
};

/* How one pass runs a harness's cases (c:run_tests' options). The strings
 * and lists stay alive in the script's tables. */
struct harness_opts {
	double timeout;               /* per case, seconds */
	const char **only;            /* the cases to run, NULL-terminated; NULL: all */
	const char *prefix, *suffix;  /* around each case's name in the verdict */
	const char **env;             /* the script's variables, NULL-terminated, or NULL */
	struct harness_schedules sc;
	int max_failures;             /* failed expectations listed per test */
	int *claim;                   /* shared by two processes that share the cases: the next
					 * case (of those wanted) not taken yet; NULL: run all */
	const char *listing;          /* the harness's --list answer, when already asked; NULL: ask */
	const struct program *listed; /* the program that gave it: another build of the same
					 * harness (a sanitizer pass's) asks again only if it
					 * defines another number of cases */
	const char *list_error;       /* the program did not start when asked: why */
};

#define HARNESS_OPTS_INIT { .timeout = 5, .prefix = "", .suffix = "", .sc = { "pct", 0, 3 }, .max_failures = 5 }

/* How many of program prog's test cases o wants (its only), with the
 * program's --list answer into *listing (for o->listing); -1 and the
 * error when the program does not start as it should. */
int api_harness_wanted(lua_State *L, struct check_ctx *c, const struct program *prog, const struct harness_opts *o,
		       struct buf *listing);

/* Reads c:run_tests' options from the table at idx into *o, over what *o
 * holds: timeout, only, prefix, env, schedules, strategy, depth,
 * max_failures. Raises on a wrong one. Lists are anchored on the stack. */
void api_harness_opts(lua_State *L, struct check_ctx *c, int idx, struct harness_opts *o);

/* One pass: runs every case of harness program prog (NULL: its build
 * failed; only o->only's cases are then declared, as not run) as o says,
 * declares one test per case, and pushes the summary table c:run_tests
 * returns (passed, failed, total, metrics, cases). Raises when a case
 * cannot be started at all. Blocks for as long as the cases take. */
int api_harness_cases(lua_State *L, struct check_ctx *c, const struct program *prog, const struct harness_opts *o);

/* --- lua/api_passes.c: the default sanitizer passes ------------------------- */

/* Starts the sanitizer passes the exercise's policy asks of c:run_tests
 * on the program at prog_idx (0: its build failed; none then) with the
 * options table at opts_idx (0: none) and main, the main pass's options:
 * each flavour in policy.sanitizers other than the program's, unless the
 * options say `<flavour> = false`, the check forces a flavour (verify's
 * sanitizer passes) or leaves passes out, or this check already ran that
 * flavour over the same harness. Where the machine has CPUs to spare each
 * pass builds and runs in a worker process of its own, side by side with
 * the main pass. Pushes a handle (a to-be-closed userdata: an error kills
 * the workers) and returns its index. */
int api_passes_start(lua_State *L, struct check_ctx *c, int prog_idx, int opts_idx, const struct harness_opts *main);

/* Waits for the passes behind the handle at idx (or runs them now, where
 * no worker was started), appends their tests to the verdict in the order
 * of the policy, after the main pass's, and adds their counts to the
 * summary table at summary (passed, failed, total) with each pass's own
 * summary as summary.passes[flavour]. Raises when a pass could not run. */
void api_passes_finish(lua_State *L, struct check_ctx *c, int idx, int summary);

/* Runs the harness program s->prog as api_run_program does, with a results
 * socket on fd 3 that holds a fresh token for it to read. *lines gets what the
 * harness said: the lines that carry the token, without it, each ending in
 * a newline ("" when it said nothing; release with buf_release). 0, or -1
 * with err_msg when the pipe could not be made (*lines untouched) or the
 * program could not be started; *pr is filled only when it returns 0.
 * Blocks as api_run_program. */
int api_harness_run(lua_State *L, struct check_ctx *c, const struct run_spec *s, struct proc_result *pr,
		    struct buf *lines);

/* --- lua/api_bench.c: the benchmark loop ------------------------------------ */

/* c:bench. */
extern const luaL_Reg api_bench_lib[];

/* --- lua/reports.c: sanitizer and runtime reports --------------------------- */

/* Environment variables every run of a build flavour gets (the sanitizers'
 * options); a NULL-ended list of static strings. */
const char *const *reports_flavour_env(const char *flavour);

/* Parses the reports in pr's stderr into *reps (release with
 * report_list_release) and counts them in the verdict's nreports. */
void reports_parse(struct check_ctx *c, struct report_list *reps, const struct proc_result *pr);

/* Pushes r as the table a script sees: kind, tool, file, line, func,
 * explain, summary, text and describe (report_describe's sentence). */
void reports_push(lua_State *L, const struct report *r);

/* The failure kind a report is: for a sanitizer's or valgrind's, the
 * closer kind when it has one ("use-after-free", "overflow", "bad-free",
 * "memory-leak", "data-race", "undefined"), else "sanitizer"; for the runtime's "deadlock", "leak" (goroutine leak),
 * "timeout" (the SIGQUIT dump) or else "crash". */
enum kind reports_kind(const struct report *r);

/* proc_describe for pr, except that a crash the runtime caught and
 * reported (exit 2 after "[signal SIGSEGV: ...]") is described as the
 * crash it was ("crashed: invalid memory access (SIGSEGV, ...)"). */
const char *reports_describe_end(const struct proc_result *pr, const struct report_list *reps,
				 char *buf, size_t size);

/* Gives t a copy of r, unless t is NULL or has one already, and aims t's
 * hint at it (reports_kind) if nothing else did. Out of memory, t stays
 * without. */
void reports_attach(struct check_test *t, const struct report *r);

/* Attaches the first report of the result table at idx (c:run's), if it
 * has one, to t. */
void reports_from_table(lua_State *L, int idx, struct check_test *t);

#endif

/*
 * job — one check running in the background, so the shell never blocks.
 *
 * A job is chanlab's own `check --json --stream ID` as a child process in a session
 * of its own (its own process group, and no terminal to write to); its stdout (the versioned JSON result, docs/results.md)
 * and stderr are read through pipes as the event loop finds them readable.
 * Canceling kills the whole group, and the sandboxed programs the check had
 * started in sessions of their own, which the shell adopts as a child
 * subreaper (job_init_reaper).
 */
#ifndef TUI_JOB_H
#define TUI_JOB_H

#include <stdbool.h>

#include "tui/json.h"

struct job;

/* Makes this process the reaper of orphaned descendants, so a canceled
 * check's sandboxed programs can be found and killed. Call once. */
void job_init_reaper(void);

/* Starts `exe --home home check --json exercise`, with --profile=KIND
 * when profile is not NULL (every run of the learner's code profiled). 0
 * or -1 (err_msg). */
int job_start(struct job **out, const char *exe, const char *home, const char *exercise, const char *profile);

/* Kills a job still running (and everything it started), waits for it and
 * frees it. NULL is fine. */
void job_free(struct job *j);

/* The pipes to poll for reading: fills fds (up to 2) and returns how many. */
int job_fds(const struct job *j, int fds[2]);

/* Reads what is there without blocking. True once the job has ended. */
bool job_step(struct job *j);

/* After the end: hands the parsed result over to the caller (json_free
 * it), or NULL; if NULL, job_error says for a person what went wrong. */
struct json *job_take_result(struct job *j);
const char *job_error(const struct job *j);

/* While it runs: the tests it has finished since the last call, with
 * the ones before, as a result whose status is "running" (json_free it);
 * NULL when no test came since. */
struct json *job_partial(struct job *j);

/* The passes over the tests running now, as "normal, ASan" in buf (""
 * when none has said so); buf. */
const char *job_running(const struct job *j, char *buf, size_t size);

/* The exercise the job checks. */
const char *job_exercise(const struct job *j);

#endif

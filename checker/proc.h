/*
 * proc — run one untrusted program as a child process, with limits.
 *
 * The child gets its own session (so its whole process group can be killed),
 * resource limits (CPU, address space, file size, no core dumps), stdin from
 * a buffer and stdout/stderr captured up to a cap; the rest is drained and
 * dropped, and the truncation is reported. The wall-clock timeout kills the
 * whole group. proc_run blocks until the child and its group are gone.
 */
#ifndef CHECKER_PROC_H
#define CHECKER_PROC_H

#include <stdbool.h>
#include <stddef.h>

struct proc_opts {
	const char *const *argv;    /* argv[0] is the program's path */
	const char *const *env;     /* NULL: inherit chanlab's environment */
	const char *cwd;            /* NULL: chanlab's */
	const char *stdin_data;     /* NULL: /dev/null */
	size_t stdin_len;
	double timeout;             /* wall-clock seconds */
	double cpu;                 /* CPU seconds; 0: timeout rounded up */
	size_t mem;                 /* address-space bytes; 0: no limit */
	size_t fsize;               /* largest file it may write, bytes */
	size_t output_cap;          /* bytes kept of stdout and of stderr */
};

#define PROC_OPTS_INIT { .timeout = 10.0, .fsize = 64u << 20, .output_cap = 1u << 20 }

struct proc_result {
	int status;                 /* exit status when it exited, else -1 */
	int signal;                 /* the signal that ended it, else 0 */
	bool timed_out;             /* killed at the wall-clock limit */
	bool out_truncated;         /* stdout went past output_cap */
	bool err_truncated;
	char *out;                  /* NUL-terminated, out_len bytes */
	size_t out_len;
	char *err;
	size_t err_len;
	double seconds;             /* wall clock */
	long max_rss_kb;            /* peak resident memory of the child */
};

/* Runs opts->argv and fills *res (release it with proc_result_release).
 * Returns 0 when the program ran (whatever it did), -1 if it could not be
 * started (err_msg says why). */
int proc_run(struct proc_result *res, const struct proc_opts *opts);

void proc_result_release(struct proc_result *res);

/* A one-line description of how the run ended: "exited with status 1",
 * "killed by signal 11 (segmentation fault)", "timed out after 2.0 s". */
const char *proc_describe(const struct proc_result *res, char *buf, size_t size);

#endif

/*
 * proc — run one untrusted program as a child process, with limits.
 *
 * The child gets its own session, resource limits (CPU, memory,
 * processes, open files, file size, no core dumps), stdin from a buffer and
 * stdout/stderr captured up to a cap; the rest is drained, counted and
 * dropped. The wall-clock timeout kills it. proc_run blocks until the
 * child and everything it started are gone.
 *
 * With sandbox set, the program also runs as PID 1's only child in fresh
 * user, PID, network, mount and IPC namespaces (System V message queues
 * and semaphores it makes go with it): it sees no network, everything
 * outside its private temporary folder (its cwd, $TMPDIR and $HOME) is
 * read-only, that folder is a tmpfs of at most tmp_size bytes (in memory,
 * gone with the namespace: past the cap writes fail with ENOSPC and nothing
 * reaches the disk), and when it ends the kernel kills every process it
 * left, even one that called setsid and double-forked. As root it runs
 * under a throw-away uid, so RLIMIT_NPROC holds a fork bomb. Where the kernel
 * refuses namespaces, proc falls back to a session, RLIMIT_NPROC (over a
 * throw-away uid as root, else over the uid's tasks running now), and a
 * sweep after the run (chanlab becomes a child subreaper), and says so in
 * res->note; its folder is then on the disk, with no total cap.
 * CHANLAB_NO_NAMESPACES=1 in chanlab's environment forces that fallback
 * (to test it, or where namespaces misbehave).
 */
#ifndef CHECKER_PROC_H
#define CHECKER_PROC_H

#include <stdbool.h>
#include <stddef.h>

struct proc_opts {
	const char *const *argv;    /* argv[0] is the program's path */
	const char *const *env;     /* sandbox: extra "K=V" on a minimal environment;
				       otherwise NULL inherits chanlab's */
	const char *cwd;            /* NULL: chanlab's (sandbox: the private temp folder) */
	const char *stdin_data;     /* NULL: /dev/null */
	size_t stdin_len;
	double timeout;             /* wall-clock seconds */
	double cpu;                 /* CPU seconds; 0: timeout rounded up */
	size_t mem;                 /* resident bytes of the whole run, every process it
				       starts summed (see weigh in proc.c); 0: no limit */
	bool reserves;              /* it reserves terabytes of address space (ASan,
				       TSan): no RLIMIT_AS backstop to mem */
	const char *oom_note;       /* NULL, or why such a run holds much (static),
				       said when it is stopped for its memory */
	size_t fsize;               /* largest file it may write, bytes */
	size_t output_cap;          /* bytes kept of stdout and of stderr */
	unsigned nproc;             /* processes and threads (sandbox only); 0: 256 */
	unsigned nofile;            /* open files; 0: 256 */
	size_t tmp_size;            /* sandbox: bytes its private folder may hold in all;
				       0: PROC_TMP_SIZE */
	bool sandbox;               /* namespaces, private temp folder, minimal env */
	const char *tmp_parent;     /* where the private folder goes; NULL: $TMPDIR or /tmp */
	int pass_fd;                /* a parent fd the child gets as fd 3; -1: none */
	const char *share_file;     /* NULL, or a file copied into the private folder (the
				       sandboxed program's cwd) under its own name, for a
				       tool such as valgrind that must read it by path */
	bool leak_check;            /* sandbox: LeakSanitizer runs in it and must stop
				       and read its own threads (a few ptrace requests) */
	const char *fetch;          /* NULL, or a file the program writes in its private
				       folder (a profile), read back when it ends */
	size_t fetch_max;           /* its largest size; 0: 16 MiB */
};

#define PROC_TMP_SIZE (128u << 20)
#define PROC_OPTS_INIT { .timeout = 10.0, .fsize = 64u << 20, .output_cap = 1u << 20, .pass_fd = -1 }

struct proc_result {
	int status;                 /* exit status when it exited, else -1 */
	int signal;                 /* the signal that ended it, else 0 */
	bool timed_out;             /* killed at the wall-clock limit */
	size_t out_of_memory;       /* opts->mem when it was stopped for using more, else 0 */
	const char *oom_note;       /* then opts->oom_note */
	bool out_truncated;         /* stdout went past output_cap */
	bool err_truncated;
	char *out;                  /* NUL-terminated, out_len bytes */
	size_t out_len;
	char *err;
	size_t err_len;
	size_t out_dropped;         /* bytes past the cap, drained and dropped */
	size_t err_dropped;
	double seconds;             /* wall clock */
	double cpu_seconds;         /* user + system time of the whole tree */
	long max_rss_kb;            /* peak resident memory of the child */
	size_t tmp_full;            /* the cap of its private folder when it filled
				       that folder (writes failed with ENOSPC), else 0 */
	const char *note;           /* "" or a sentence about missing isolation (static) */
	char *fetched;              /* opts->fetch's bytes (NUL-terminated), or NULL */
	size_t fetched_len;
	char fetch_error[160];      /* why there is none ("" if it was never asked for) */
};

/* Runs opts->argv and fills *res (release it with proc_result_release).
 * Returns 0 when the program ran (whatever it did), -1 if it could not be
 * started (err_msg says why). Not thread-safe: one run at a time per process. */
int proc_run(struct proc_result *res, const struct proc_opts *opts);

void proc_result_release(struct proc_result *res);

/* A one-line description of how the run ended, in plain words: "exited with
 * status 1", "crashed: invalid memory access (SIGSEGV)", "timed out after
 * 2.0 s and was stopped", followed by "; it filled its temporary folder ..."
 * when it did. */
const char *proc_describe(const struct proc_result *res, char *buf, size_t size);

/* True if proc_run can isolate programs in namespaces here; *why gets a
 * sentence when it cannot. Probes once. */
bool proc_sandbox_available(const char **why);

#endif

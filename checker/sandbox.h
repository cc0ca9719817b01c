/*
 * sandbox — the child side of a run: what happens between fork and exec.
 *
 * Private to checker/: proc.c, the parent side, fills a plan before it
 * forks (nothing may be allocated after a fork), and the child it forks
 * calls sandbox_enter with it and never comes back. Everything a run does
 * to confine the program happens in there: namespaces' PID 1, the capped
 * private folder, the jail (a root of its own, no capabilities, seccomp,
 * Landlock: checker/jail.h), resource limits, the fds it gets.
 */
#ifndef CHECKER_SANDBOX_H
#define CHECKER_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

struct jail;

enum sandbox_mode {
	SANDBOX_NONE,     /* a session of its own, no namespaces */
	SANDBOX_USERNS,   /* PID 1 of fresh user, PID, network and mount namespaces */
	SANDBOX_ROOTNS,   /* the same without the user namespace (chanlab is root) */
};

/* Everything the child needs, prepared by the parent before the fork. */
struct sandbox_plan {
	enum sandbox_mode mode;
	const char *const *argv;        /* argv[0] is the program's path */
	char *const *envp;
	const char *cwd;                /* NULL: chanlab's */
	int in, out, err;               /* its stdin, stdout, stderr (parent's numbering) */
	int pass;                       /* its fd 3, or -1 */
	int prog;                       /* an O_PATH fd of argv[0] to exec, or -1 */
	rlim_t cpu;                     /* RLIMIT_CPU seconds (the hard limit one more) */
	rlim_t fsize, mem;              /* RLIMIT_FSIZE, RLIMIT_AS; 0: none */
	rlim_t nofile;                  /* RLIMIT_NOFILE */
	rlim_t nproc;                   /* RLIMIT_NPROC; 0: none */
	uid_t uid;                      /* SANDBOX_NONE: the uid to switch to, or 0: stay */
	int sync_r;                     /* namespaces: the parent writes the uid to drop to
					   (SANDBOX_ROOTNS) here once the maps are written */
	int sync_w;                     /* its write end, which only chanlab may hold: the
					   child closes it, so chanlab's death is an EOF */
	int status_w;                   /* namespaces: a socket; init sends a descriptor of
					   the capped tmp on it first (one byte, SCM_RIGHTS),
					   then the program's wait status and whether it
					   filled tmp (two ints) */
	const char *tmp;                /* private folder to keep writable, or NULL */
	const char *tmpfs_opts;         /* mount options of the tmpfs put on tmp */
	size_t tmp_size;                /* its size */
	const char *share_path;         /* a file in tmp to copy onto the tmpfs, or NULL */
	const struct jail *jail;        /* the walls the program runs in (checker/jail.h):
					   set for every sandboxed run (the jail also drops
					   to uid); NULL only for a run that is not
					   sandboxed, whose uid is then 0 (stay) */
};

/* Called in the child of the fork (or the clone, with the namespaces of
 * p->mode): confines itself as p says and runs p->argv. Never returns;
 * exit status 127 when the program could not be started. */
void sandbox_enter(const struct sandbox_plan *p) __attribute__((noreturn));

/* fork() by the raw clone system call with flags (CLONE_NEW*), SIGCHLD
 * added; as fork: the child's pid, 0 in the child, -1 (errno) on failure. */
pid_t sandbox_fork(unsigned long flags);

/* True if fd (any descriptor of it, O_PATH will do) is a private folder's
 * tmpfs of size bytes and it is full: no space or no file left. */
bool sandbox_tmp_filled(int fd, size_t size);

#endif

/*
 * filter — the seccomp program a jailed program runs under.
 *
 * Everything a learner's program has no business calling is answered with
 * EPERM (or ENOSYS for clone3, so that libc falls back to clone, whose
 * flags the filter can see): mounts, namespaces, other processes' memory,
 * keys, BPF, perf, kernel modules, reboot, io_uring, handles; ptrace
 * except LeakSanitizer's requests when stop_the_world; socket() when
 * no_sockets. Calls of another ABI kill the process.
 */
#ifndef CHECKER_FILTER_H
#define CHECKER_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>

enum { FILTER_MAX = 2048 };

struct filter {
	bool built;
	unsigned short len;
	struct sock_filter insn[FILTER_MAX];
};

/* The compiled filter for these options, built on first use and kept for
 * the process. NULL and err_msg if libseccomp refused. Call it in the
 * parent: it allocates. Not thread-safe. */
const struct filter *filter_get(bool stop_the_world, bool no_sockets);

/* Installs f on the calling thread (no_new_privs must be set): system
 * calls only, safe in a child that may not allocate. -1 and err_msg. */
int filter_install(const struct filter *f);

#endif

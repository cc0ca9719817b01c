/*
 * jail — the walls around one learner program: a root of its own, no
 * capabilities, no new privileges, a seccomp filter and, where the kernel
 * has it, a Landlock domain.
 *
 * A jail is prepared in the parent (jail_new: it allocates, and compiles
 * the seccomp filter with libseccomp) and entered in the child between
 * fork and exec (jail_enter, or jail_harden where there are no namespaces).
 * Entering uses system calls only, no malloc and no lock (err_set formats
 * into a static slot with vsnprintf), so a child cloned from a
 * multi-threaded parent may call it.
 *
 * What a jailed program sees (jail_enter):
 *
 *   /usr /bin /sbin /lib /lib32 /lib64 /libx32   the host's, read-only; the
 *                               ones that are symlinks (usr merge) stay links
 *   /etc                        ld.so.cache, ld.so.conf(.d), localtime,
 *                               nsswitch.conf, alternatives (the host's,
 *                               read-only), a passwd and a group of two lines
 *   plan->readonly[]            the host's, read-only, each at its own path
 *   plan->tmp                   the caller's private folder, writable, at its
 *                               own path (the program's TMPDIR, HOME and cwd)
 *   /proc                       a fresh proc of the caller's PID namespace
 *   /dev                        null zero full random urandom (the host's
 *                               nodes), fd stdin stdout stderr (links into
 *                               /proc), shm (a private tmpfs) when asked
 *
 * and nothing else: no home directory, no chanlab home, no pack sources,
 * no /run, no /sys, no host /tmp or /dev/shm, no tty. Every mount but the
 * private folder, /dev/shm and /proc is read-only, nosuid and (but for the
 * device nodes) nodev; none can be remounted, since the program holds no
 * capability and the filter refuses the mount family.
 *
 * Host unix sockets: a socket file of the host is not in the root, and
 * abstract sockets belong to the network namespace, so connect() reaches
 * neither (the walls are the root and the caller's CLONE_NEWNET). Without
 * namespaces, jail_harden's filter refuses socket() itself (socketpair()
 * stays) and Landlock, from its ABI 6, scopes abstract sockets and signals
 * to the program's own processes.
 *
 * The filter answers EPERM to the mount family (mount, umount2,
 * mount_setattr, move_mount, open_tree, fsopen, fsmount, fsconfig, fspick,
 * pivot_root, chroot), unshare, setns, clone with a CLONE_NEW* flag,
 * ptrace, process_vm_readv/writev, pidfd_getfd, kcmp, keyctl, add_key,
 * request_key, bpf, perf_event_open, userfaultfd, kexec_*, init_module,
 * finit_module, delete_module, reboot, swapon, swapoff, acct, iopl,
 * ioperm, io_uring_*, open_by_handle_at, and ENOSYS to clone3 (whose flags
 * it cannot see; libc then falls back to clone). A system call of another
 * ABI (i386's int 0x80, x32) kills the process.
 */
#ifndef CHECKER_JAIL_H
#define CHECKER_JAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define JAIL_READONLY_MAX 8
#define JAIL_SAME_UID ((uid_t)-1)

struct jail_plan {
	const char *tmp;            /* the private writable folder (the caller has
				       put its tmpfs there), or NULL */
	const char *readonly[JAIL_READONLY_MAX];   /* host paths shown read-only
				       at the same place (the run's build outputs,
				       the program itself), outside the system
				       folders; NULL-ended */
	size_t shm_size;            /* bytes of a private /dev/shm; 0: no /dev/shm */
	bool stop_the_world;        /* let LeakSanitizer stop and read its own
				       threads: ptrace PTRACE_ATTACH, DETACH, CONT,
				       KILL, GETREGS, GETFPREGS and GETREGSET are
				       allowed, every other request stays EPERM */
};

#define JAIL_PLAN_INIT { .tmp = NULL }

/* What entering a jail did. */
struct jail_status {
	const char *failed;         /* the step that failed ("root", "no_new_privs",
				       "landlock", "caps", "uid", "seccomp"), or NULL */
	bool root;                  /* in a root of its own */
	bool proc;                  /* with a fresh /proc (else /proc is empty) */
	int landlock;               /* the Landlock ABI whose rules hold; 0: none */
	bool seccomp;               /* the filter is installed */
};

struct jail;

/* Prepares a jail from plan (copied: the plan may go after the call; its
 * paths must exist and be absolute). Call it in the parent, before the
 * fork. The filters are compiled once per
 * process and kept. NULL and err_msg on failure (libseccomp refused, out of
 * memory, a path too long). Not thread-safe. */
struct jail *jail_new(const struct jail_plan *plan);

void jail_free(struct jail *j);

/* Puts the calling process in the jail, for good: in order the root
 * (pivot_root into a fresh tmpfs, the old root detached), no_new_privs
 * and not dumpable (the caller is a clone of chanlab: a program it starts
 * cannot open its /proc/PID/mem or environ; exec makes the program itself
 * dumpable again), Landlock, capabilities (bounding set, securebits,
 * ambient, the switch to uid and gid uid unless uid is JAIL_SAME_UID, then
 * effective, permitted and inheritable cleared), seccomp.
 *
 * The caller is root (in its user namespace, or really) in fresh mount and
 * PID namespaces, and a member of the PID namespace (its PID 1, or a
 * child): /proc is that namespace's. It has made its mounts private or
 * lets jail_enter do so. Call it in the child between fork and exec; its
 * children inherit the jail. Fills *st (may be NULL). 0, or -1 with
 * st->failed and err_msg naming the step; the process is then half-jailed
 * and should _exit. A /proc that cannot be mounted (a kernel that hides
 * parts of the host's) is not a failure: st->proc says so. */
int jail_enter(const struct jail *j, uid_t uid, struct jail_status *st);

/* Without namespaces: no_new_privs, not dumpable, Landlock (read and
 * execute beneath the system folders and plan->readonly, all rights
 * beneath plan->tmp, the five device nodes; nothing else of the host, not
 * even for reading, where the kernel has Landlock), capabilities and uid
 * as jail_enter (the bounding set only when the caller may drop it), and
 * the filter, which here also refuses socket(). Resource limits are the
 * caller's. Same contract as jail_enter otherwise. */
int jail_harden(const struct jail *j, uid_t uid, struct jail_status *st);

#endif

/*
 * filter — the seccomp program a jailed program runs under; see filter.h.
 *
 * Data model. Two tables say what is refused: system calls by name (the
 * mount API, namespaces, other processes' memory, keys, BPF, kernel
 * modules, io_uring, ...) answered with EPERM, and clone() flags that make
 * a namespace. ptrace is refused too, except, where LeakSanitizer needs
 * them (stop_the_world), the requests of its StopTheWorld. libseccomp
 * compiles each of the four variants ([stop_the_world][no_sockets]) once
 * per process into static storage, so a child that may not allocate only
 * hands the instructions to the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/err.h"
#include "checker/filter.h"

#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif

/* System calls the filter answers with EPERM, by name: libseccomp knows
 * their numbers (a name it does not know is skipped). */
static const char *const refused[] = {
	"mount", "umount", "umount2", "mount_setattr", "move_mount", "open_tree", "fsopen",
	"fsmount", "fsconfig", "fspick", "pivot_root", "chroot",
	"unshare", "setns",
	"process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
	"keyctl", "add_key", "request_key",
	"bpf", "perf_event_open", "userfaultfd",
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"reboot", "swapon", "swapoff", "acct", "iopl", "ioperm",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"open_by_handle_at",
	/* memory held by no file in its folder and no mapping: the run's
	 * memory limit weighs what processes map, so these could hide it */
	"memfd_create", "memfd_secret", "shmget",
};

/* clone() with any of these makes a namespace: refused. */
static const unsigned long ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
};

/* The ptrace requests of LeakSanitizer's StopTheWorld, in increasing order. */
static const unsigned long stw_requests[] = {
	PTRACE_CONT, PTRACE_KILL,
#ifdef PT_GETREGS
	PT_GETREGS,
#endif
#ifdef PT_GETFPREGS
	PT_GETFPREGS,
#endif
	PTRACE_ATTACH, PTRACE_DETACH, PTRACE_GETREGSET,
};


/* [stop_the_world][socket() refused]: compiled once, kept for the process. */
static struct filter filters[2][2];


/* Refuses arg0 values in [lo, hi): as aligned power-of-two blocks, since
 * libseccomp takes one comparison per argument in a rule. */
static int refuse_range(scmp_filter_ctx ctx, int nr, uint64_t lo, uint64_t hi)
{
	while (lo < hi) {
		uint64_t size = 1;

		while ((lo & (size * 2 - 1)) == 0 && lo + size * 2 <= hi)
			size *= 2;
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ~(size - 1), lo)) < 0)
			return -1;
		lo += size;
	}
	return 0;
}

/* ptrace: refused, or with stop_the_world all but LeakSanitizer's requests. */
static int refuse_ptrace(scmp_filter_ctx ctx, bool stop_the_world)
{
	int nr = SCMP_SYS(ptrace);
	uint64_t from = 0;

	if (!stop_the_world)
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	for (size_t i = 0; i < sizeof(stw_requests) / sizeof(stw_requests[0]); i++) {
		if (refuse_range(ctx, nr, from, stw_requests[i]) < 0)
			return -1;
		from = stw_requests[i] + 1;
	}
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, SCMP_A0(SCMP_CMP_GE, from));
}

static int compile(struct filter *f, bool stop_the_world, bool no_sockets)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int fd = -1, rc = -1;
	ssize_t n;

	if (!ctx)
		return err_set("libseccomp cannot make a filter");
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) < 0 &&
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL) < 0) {
		err_set("libseccomp cannot kill calls of another ABI");
		goto out_release;
	}
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);   /* a binary tree, where it can */
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		int nr = seccomp_syscall_resolve_name(refused[i]);

		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0) < 0) {
			err_set("libseccomp refuses a rule for '%s'", refused[i]);
			goto out_release;
		}
	}
	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i])) < 0) {
			err_set("libseccomp refuses a rule for 'clone'");
			goto out_release;
		}
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0 ||
	    refuse_ptrace(ctx, stop_the_world) < 0 ||
	    (no_sockets && seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 0) < 0)) {
		err_set("libseccomp refuses a rule for 'clone3', 'ptrace' or 'socket'");
		goto out_release;
	}
	/* libseccomp 2.5 writes the program to a file descriptor only. */
	fd = memfd_create("chanlab-jail-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		err_sys("cannot make a memory file for the filter");
		goto out_release;
	}
	if (seccomp_export_bpf(ctx, fd) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		err_set("libseccomp cannot export the filter");
		goto out_close;
	}
	n = read(fd, f->insn, sizeof(f->insn));
	if (n <= 0 || (size_t)n == sizeof(f->insn) || n % (ssize_t)sizeof(f->insn[0])) {
		err_set("the seccomp filter is empty or too large");
		goto out_close;
	}
	f->len = (unsigned short)((size_t)n / sizeof(f->insn[0]));
	f->built = true;
	rc = 0;
out_close:
	close(fd);
out_release:
	seccomp_release(ctx);
	return rc;
}

const struct filter *filter_get(bool stop_the_world, bool no_sockets)
{
	struct filter *f = &filters[stop_the_world][no_sockets];

	if (!f->built && compile(f, stop_the_world, no_sockets) < 0)
		return NULL;
	return f;
}

int filter_install(const struct filter *f)
{
	struct sock_fprog prog = { .len = f->len, .filter = (struct sock_filter *)(uintptr_t)f->insn };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return err_sys("cannot install the seccomp filter");
	return 0;
}

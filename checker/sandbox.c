/*
 * sandbox — the child side of a run; see sandbox.h.
 *
 * Data model. A sandboxed run is three processes deep:
 *
 *   chanlab ──clone(NEWUSER|NEWPID|NEWNET|NEWNS)──▶ init (PID 1 inside)
 *                                                    └─fork─▶ the program
 *
 * chanlab (proc.c) writes init's uid/gid maps (inside 0 → a throw-away uid
 * when chanlab is root, else chanlab's own uid) and then lets it go through
 * the sync pipe. init brings the namespace's loopback up, mounts a tmpfs of bounded size on the private folder,
 * enters the jail (checker/jail.h: a root of its own where only the system
 * folders, the program's folder and the private folder are, no
 * capabilities, no new privileges, a seccomp filter, Landlock), starts the
 * program (which inherits all of it), reaps
 * whatever dies, and when the program itself ends writes its wait status
 * and whether the tmpfs is full to the status pipe and exits; the kernel
 * then kills every process left in the PID namespace, and the tmpfs goes
 * with the mount namespace. A timeout kills init, with the same effect
 * (chanlab looks at the tmpfs through /proc/PID/root first).
 *
 * Without namespaces the program is chanlab's direct child in a session of
 * its own, dropped to a throw-away uid when chanlab is root, hardened with
 * what needs no namespace (no_new_privs, seccomp, Landlock).
 *
 * Everything here runs after a fork of a process that may have threads:
 * async-signal-safe calls only, no malloc; all it needs is in the plan.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "checker/jail.h"
#include "checker/sandbox.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

#ifdef __GLIBC__
typedef __rlimit_resource_t rlimit_resource;   /* glibc's setrlimit takes an enum */
#else
typedef int rlimit_resource;
#endif

static void limit(rlimit_resource resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };

	setrlimit(resource, &rl);
}

pid_t sandbox_fork(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/* The program itself, between fork and exec: async-signal-safe calls only. */
static void exec_program(const struct sandbox_plan *p)
{
	int in = fcntl(p->in, F_DUPFD_CLOEXEC, 200), out = fcntl(p->out, F_DUPFD_CLOEXEC, 200);
	int err = fcntl(p->err, F_DUPFD_CLOEXEC, 200);
	int pass = p->pass >= 0 ? fcntl(p->pass, F_DUPFD_CLOEXEC, 200) : -1;
	int prog = p->prog >= 0 ? fcntl(p->prog, F_DUPFD_CLOEXEC, 200) : -1;
	sigset_t none;

	if (in < 0 || out < 0 || err < 0)
		_exit(127);
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	if (pass >= 0)
		dup2(pass, 3);
	if (prog >= 0)
		prog = dup3(prog, 10, O_CLOEXEC);
	close_range(pass >= 0 ? 4 : 3, 9, 0);
	close_range(11, ~0U, 0);
	limit(RLIMIT_CORE, 0, 0);
	limit(RLIMIT_CPU, p->cpu, p->cpu + 1);
	if (p->fsize)
		limit(RLIMIT_FSIZE, p->fsize, p->fsize);
	if (p->mem)
		limit(RLIMIT_AS, p->mem, p->mem);
	limit(RLIMIT_NOFILE, p->nofile, p->nofile);
	if (p->nproc)
		limit(RLIMIT_NPROC, p->nproc, p->nproc);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (p->cwd && chdir(p->cwd) < 0)
		_exit(127);
	if (prog >= 0)
		syscall(SYS_execveat, prog, "", p->argv, p->envp, AT_EMPTY_PATH);
	execve(p->argv[0], (char *const *)(uintptr_t)p->argv, p->envp);
	_exit(127);
}

/* Puts a tmpfs of the run's size cap on the private folder (inside our own
 * mount namespace), owned by uid, with the shared file copied over. -1 when
 * that fails; the folder is then as it was. */
static int cap_tmp(const struct sandbox_plan *p, uid_t uid)
{
	int src = -1, dst = -1, rc = -1;
	struct stat st;
	ssize_t n;

	if (p->share_path && (src = open(p->share_path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (mount("tmpfs", p->tmp, "tmpfs", MS_NOSUID | MS_NODEV, p->tmpfs_opts) < 0)
		goto out_close;
	if (chown(p->tmp, uid, (gid_t)uid) < 0)
		goto out_umount;
	if (src >= 0) {
		if (fstat(src, &st) < 0)
			goto out_umount;
		dst = open(p->share_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777);
		if (dst < 0 || fchown(dst, uid, (gid_t)uid) < 0)
			goto out_umount;
		for (off_t left = st.st_size; left > 0; left -= n)
			if ((n = sendfile(dst, src, NULL, (size_t)left)) <= 0)
				goto out_umount;
	}
	rc = 0;
	goto out_close;
out_umount:
	umount2(p->tmp, MNT_DETACH);
out_close:
	if (dst >= 0)
		close(dst);
	if (src >= 0)
		close(src);
	return rc;
}

bool sandbox_tmp_filled(int fd, size_t size)
{
	struct statfs v;

	if (fstatfs(fd, &v) < 0 || v.f_type != TMPFS_MAGIC || v.f_bsize <= 0 ||
	    v.f_blocks != (size + (size_t)v.f_bsize - 1) / (size_t)v.f_bsize)
		return false;
	return (uint64_t)v.f_bavail * (uint64_t)v.f_bsize < (64u << 10) || v.f_ffree == 0;
}

/* Says on the program's stderr why the sandbox could not be set up, and
 * gives up: the run is then "could not be started", with this reason. */
static void give_up(const struct sandbox_plan *p, const char *what)
{
	const char *why = err_msg();

	(void)!write(p->err, "chanlab: ", 9);
	(void)!write(p->err, what, strlen(what));
	(void)!write(p->err, ": ", 2);
	(void)!write(p->err, why, strlen(why));
	(void)!write(p->err, "\n", 1);
	_exit(127);
}

/* Caps the private folder and puts init in the jail (inside our own mount
 * namespace); uid is the one the program runs as. */
static void confine(const struct sandbox_plan *p, uid_t uid, uid_t to)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		err_sys("cannot make the mounts private");
		give_up(p, "the sandbox could not be set up");
	}
	if (p->tmp && cap_tmp(p, uid) < 0 && mount(p->tmp, p->tmp, NULL, MS_BIND, NULL) < 0) {
		err_sys("cannot mount the private folder '%s'", p->tmp);
		give_up(p, "the sandbox could not be set up");
	}
	if (jail_enter(p->jail, to, NULL) < 0)
		give_up(p, "the sandbox could not be set up");
}

/* Hands chanlab a descriptor of the capped private folder, first thing on
 * the status socket: init is not dumpable (the jail), so chanlab cannot
 * look through /proc/PID/root at the timeout, and the folder goes with
 * init's mount namespace. */
static void send_tmp(const struct sandbox_plan *p)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	struct iovec iov = { .iov_base = (void *)(uintptr_t)"T", .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fd = p->tmp ? open(p->tmp, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.buf;
		m.msg_controllen = sizeof(u.buf);
		CMSG_FIRSTHDR(&m)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&m)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&m)->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&m)), &fd, sizeof(int));
	}
	(void)!sendmsg(p->status_w, &m, MSG_NOSIGNAL);
	if (fd >= 0)
		close(fd);
}

/* After PR_SET_PDEATHSIG: true if chanlab died before it was set (the
 * signal then never comes). The sync pipe tells, as chanlab holds its only
 * write end until the run is over. */
static bool chanlab_gone(const struct sandbox_plan *p)
{
	struct pollfd pfd = { .fd = p->sync_r, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP);
}

/* The run's network namespace has a loopback interface, down: bring it
 * up while init still may, so that a program can talk to itself over
 * 127.0.0.1 (a server and its clients, through the network poller). The
 * namespace has nothing else: no way out. Best effort. */
static void loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		(void)ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

/* PID 1 of the run's namespace. */
static void run_init(const struct sandbox_plan *p)
{
	int msg[2] = { 0, 0 };   /* the program's wait status, whether it filled tmp */
	uint32_t uid = 0;
	pid_t child, w;

	close(p->sync_w);    /* else a chanlab killed before its write is no EOF */
	if (read(p->sync_r, &uid, sizeof(uid)) != sizeof(uid))
		_exit(127);    /* chanlab gave up on us, or died */
	if (p->mode == SANDBOX_USERNS) {
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			_exit(127);
		loopback_up();
		confine(p, 0, JAIL_SAME_UID);
	} else {
		loopback_up();
		confine(p, (uid_t)uid, (uid_t)uid);
	}
	send_tmp(p);
	setsid();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (chanlab_gone(p))
		_exit(127);
	close(p->sync_r);
	child = sandbox_fork(0);
	if (child < 0)
		_exit(127);
	if (child == 0) {
		close(p->status_w);
		exec_program(p);
	}
	close_range(0, (unsigned)p->status_w - 1, 0);
	close_range((unsigned)p->status_w + 1, ~0U, 0);
	while ((w = waitpid(-1, &msg[0], 0)) != child)
		if (w < 0 && errno != EINTR)
			_exit(127);
	if (p->tmp) {
		int fd = open(p->tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);

		msg[1] = fd >= 0 && sandbox_tmp_filled(fd, p->tmp_size);
	}
	if (write(p->status_w, msg, sizeof(msg)) < 0)
		_exit(127);
	_exit(0);    /* the kernel now kills what the program left behind */
}

/* Without namespaces: the program is our child, in a session of its own. */
static void run_plain(const struct sandbox_plan *p)
{
	setsid();
	if (p->jail && jail_harden(p->jail, p->uid != 0 ? p->uid : JAIL_SAME_UID, NULL) < 0)
		give_up(p, "the sandbox could not be set up");
	close(p->sync_w);
	prctl(PR_SET_PDEATHSIG, SIGKILL);    /* after the uid change, which clears it */
	if (chanlab_gone(p))
		_exit(127);
	exec_program(p);
}

void sandbox_enter(const struct sandbox_plan *p)
{
	if (p->mode == SANDBOX_NONE)
		run_plain(p);
	else
		run_init(p);
	_exit(127);
}


/*
 * proc — fork/exec with limits and isolation; see proc.h.
 *
 * Data model. This is the parent side of a run; the child side, between
 * fork and exec, is sandbox.c (where the three processes of a sandboxed
 * run are drawn). proc prepares a sandbox_plan (private folder, minimal
 * environment, limits) before the fork, forks the child with the
 * namespaces this machine allows (found out once, iso_mode), writes a
 * namespaced init's uid/gid maps and lets it go through the sync pipe, and
 * afterwards reads the program's wait status from the status pipe.
 *
 * Without namespaces the program is chanlab's direct child in a session of
 * its own, and after the run chanlab (a child subreaper) kills and reaps
 * every process that was reparented to it.
 *
 * The parent serves stdin, stdout and stderr with one poll loop, plus a
 * pidfd so it wakes when its child exits. proc_run is that in five steps
 * over one struct run: prepare, spawn, pump, collect, run_release.
 *
 * At the deadline the program's process group gets SIGQUIT first, as Go's
 * "dump and quit": the runtime answers by flushing what the program
 * printed and exiting (runtime/panic.c). QUIT_GRACE later, whatever is
 * left gets SIGKILL as before. The run is a timeout either way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/fs.h"
#include "base/str.h"
#include "checker/jail.h"
#include "checker/proc.h"
#include "checker/procscan.h"
#include "checker/sandbox.h"
#include "checker/sink.h"

extern char **environ;

/* How this machine lets us isolate, found out by the first sandboxed run. */
enum iso_mode { ISO_UNKNOWN, ISO_USERNS, ISO_ROOTNS, ISO_NONE };
static enum iso_mode iso_mode = ISO_UNKNOWN;
static char iso_why[256];
static char iso_note[400];

/* Files and directories the private folder may hold (a tmpfs's inodes). */
enum { TMP_FILES = 16384 };

static int write_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return rc;
}

static uid_t throwaway_uid(pid_t pid)
{
	return (uid_t)(0x40000000u + (unsigned)pid);
}

/* Starts init in fresh namespaces, its program limited to nproc tasks;
 * sets iso_mode on the first try. chanlab run by root starts init as root
 * without a user namespace (it can then show the jail folders no other uid
 * may enter), and the jail hands the program to a throw-away uid with no
 * capability; anyone else gets a user namespace mapping root to them. */
static pid_t spawn_ns(struct sandbox_plan *p, rlim_t nproc, int sync_w)
{
	static const unsigned long base = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC;
	bool root = geteuid() == 0;
	uint32_t uid = 0;
	pid_t pid = -1;

	if (iso_mode == ISO_UNKNOWN && getenv("CHANLAB_NO_NAMESPACES")) {
		snprintf(iso_why, sizeof(iso_why), "namespaces are turned off by CHANLAB_NO_NAMESPACES");
		iso_mode = ISO_NONE;
		return -1;
	}
	if (iso_mode == ISO_UNKNOWN && root)
		iso_mode = ISO_ROOTNS;
	if (iso_mode == ISO_UNKNOWN || iso_mode == ISO_USERNS) {
		iso_mode = ISO_USERNS;
		p->mode = SANDBOX_USERNS;
		p->nproc = nproc;
		pid = sandbox_fork(base | CLONE_NEWUSER);
		if (pid == 0)
			sandbox_enter(p);
		if (pid > 0) {
			char map[64];
			uid_t outside = root ? throwaway_uid(pid) : geteuid();
			gid_t goutside = root ? (gid_t)outside : getegid();

			snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)outside);
			if (write_file(pid, "uid_map", map) == 0 && write_file(pid, "setgroups", "deny") == 0) {
				snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)goutside);
				if (write_file(pid, "gid_map", map) == 0) {
					if (root && p->tmp && chown(p->tmp, outside, goutside) < 0)
						goto give_up;
					if (write(sync_w, &uid, sizeof(uid)) == sizeof(uid))
						return pid;
				}
			}
give_up:
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			snprintf(iso_why, sizeof(iso_why), "cannot map ids in a user namespace: %s", strerror(errno));
			pid = -1;
			errno = EPERM;
		} else {
			snprintf(iso_why, sizeof(iso_why), "cannot create a user namespace: %s", strerror(errno));
		}
		if (errno != EPERM && errno != EINVAL && errno != ENOSPC && errno != EUSERS)
			return -1;
		iso_mode = root ? ISO_ROOTNS : ISO_NONE;
	}
	if (iso_mode == ISO_ROOTNS) {
		p->mode = SANDBOX_ROOTNS;
		p->nproc = nproc;   /* the throw-away uid is new: RLIMIT_NPROC counts only its tasks */
		pid = sandbox_fork(base);
		if (pid == 0)
			sandbox_enter(p);
		if (pid > 0) {
			uid = (uint32_t)throwaway_uid(pid);
			if ((!p->tmp || chown(p->tmp, (uid_t)uid, (gid_t)uid) == 0) &&
			    write(sync_w, &uid, sizeof(uid)) == sizeof(uid))
				return pid;
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
		if (errno != EPERM && errno != EINVAL && errno != ENOSPC)
			return -1;
		snprintf(iso_why + strlen(iso_why), sizeof(iso_why) - strlen(iso_why),
			 "; cannot create PID and network namespaces: %s", strerror(errno));
		iso_mode = ISO_NONE;
	}
	return -1;
}

bool proc_sandbox_available(const char **why)
{
	if (iso_mode == ISO_UNKNOWN) {
		const char *argv[] = { "/bin/true", NULL };
		struct proc_opts o = PROC_OPTS_INIT;
		struct proc_result r;

		o.argv = argv;
		o.sandbox = true;
		o.timeout = 5;
		if (proc_run(&r, &o) == 0)
			proc_result_release(&r);
	}
	if (why)
		*why = iso_why;
	return iso_mode == ISO_USERNS || iso_mode == ISO_ROOTNS;
}

static int pidfd_for(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* A minimal environment for a sandboxed program, plus the caller's extras.
 * GOTRACEBACK goes through when it is one of Go's settings: a learner
 * asks for the runtime's own frames as in Go ('GOTRACEBACK=system chanlab
 * check ID'). */
static char **sandbox_env(const struct proc_opts *o, const char *tmp)
{
	static const char *const tracebacks[] = { "none", "single", "all", "system", "crash" };
	const char *tb = getenv("GOTRACEBACK");
	size_t n = 0, k = 0;
	char **env;

	while (o->env && o->env[n])
		n++;
	env = calloc(n + 8, sizeof(*env));
	if (!env)
		return NULL;
	env[k++] = strdup("PATH=/usr/local/bin:/usr/bin:/bin");
	env[k++] = strdup("LANG=C.UTF-8");
	if (asprintf(&env[k++], "TMPDIR=%s", tmp) < 0 || asprintf(&env[k++], "HOME=%s", tmp) < 0)
		env[k - 1] = NULL;
	for (size_t i = 0; tb && i < sizeof(tracebacks) / sizeof(tracebacks[0]); i++)
		if (strcmp(tb, tracebacks[i]) == 0 && asprintf(&env[k++], "GOTRACEBACK=%s", tb) < 0)
			env[--k] = NULL;
	for (size_t i = 0; i < n; i++)
		env[k++] = strdup(o->env[i]);
	return env;
}

/* One run in flight: what proc_run's steps hand on to each other. */
struct run {
	const struct proc_opts *o;
	struct proc_result *res;
	struct sandbox_plan plan;
	int inp[2], outp[2], errp[2];   /* the program's stdin, stdout, stderr; -1 once closed */
	int syncp[2], statp[2];         /* to init, and back (see sandbox.h) */
	struct sink out, err;
	char tmp[4096];                 /* the private folder, or "" */
	char share[4200];               /* o->share_file's copy in it */
	char tmpfs_opts[96];
	char progdir[4096];             /* the program's folder, shown to it read-only */
	struct jail *jail;              /* its walls, or NULL */
	char **envp;                    /* the sandbox's environment, or NULL */
	double start, deadline;
	pid_t pid;                      /* the child: init, or the program itself */
	int pidfd;                      /* readable when it exits, or -1 */
	bool ns;                        /* the child is init in fresh namespaces */
	bool exited;                    /* it has been reaped */
	int wstatus;                    /* then its wait status */
	struct rusage ru;               /* and its resources, with its children's */
	bool tmp_full;                  /* its tmpfs was full when the time was up */
	int tmp_fd;                     /* init's capped tmp (see sandbox.h), or -1 */
	bool tmp_asked;                 /* init's first message was read */
	bool overtime;                  /* the deadline has passed */
	bool quit_sent;                 /* then SIGQUIT was sent; SIGKILL next */
	double mem_next;                /* when to weigh its memory next */
};

#define QUIT_GRACE 1.0   /* seconds between SIGQUIT and SIGKILL: the dump probes
                            each running goroutine, which on a loaded machine
                            may wait for a core */
#define MEM_TICK 0.01    /* seconds between two weighings of a run's memory */

/* The run's processes, weighed every MEM_TICK (one run at a time). */
static struct procscan_tree tree;

/* Weighs the run's memory: every process of it, its own resident pages
 * and page tables summed (procscan_tree). Past o->mem each process gets
 * SIGQUIT carrying the limit in MiB, which the runtime answers as Go's
 * "out of memory": flush, say so, dump the goroutines, exit; a quarter
 * past it, or QUIT_GRACE later, SIGKILL as at the deadline. A tick is
 * 10 ms: a program that faults in memory at full speed gets a few hundred
 * MiB past the limit at most. RLIMIT_AS stays as a backstop for a process
 * the walk cannot see, at 64 times o->mem (the first 1024 goroutine
 * stacks reserve 64 MiB each, and touch a few pages). */
static void weigh(struct run *r, double t)
{
	const struct proc_opts *o = r->o;
	struct proc_result *res = r->res;

	if (!o->mem || r->exited || res->timed_out || t < r->mem_next)
		return;
	r->mem_next = t + MEM_TICK;
	procscan_tree(&tree, r->pid, r->ns ? 0 : r->pid);
	if (tree.rss <= o->mem)
		return;
	if (!res->out_of_memory) {
		union sigval v = { .sival_int = (int)(o->mem >> 20) };

		res->out_of_memory = o->mem;
		res->oom_note = o->oom_note;
		r->overtime = true;   /* the deadline now kills */
		r->deadline = t + QUIT_GRACE;
		for (size_t i = r->ns; i < tree.n; i++)   /* not init: it ignores it */
			sigqueue(tree.pid[i], SIGQUIT, v);
	}
	if (tree.rss > o->mem + o->mem / 4)
		r->deadline = t;
}

/* The folder the private folder goes in, swept of the folders dead runs
 * left there (once per folder). */
static const char *tmp_parent(const struct proc_opts *o)
{
	static char swept[4096];   /* the last folder swept */
	const char *parent = o->tmp_parent ? o->tmp_parent : getenv("TMPDIR");
	struct stat pst;

	/* As root the program runs under another uid: it must be able to
	 * reach its folder, so a private $TMPDIR gives way to /tmp. */
	if (geteuid() == 0 && parent && *parent && stat(parent, &pst) == 0 && !(pst.st_mode & S_IXOTH))
		parent = "/tmp";
	if (!parent || !*parent)
		parent = "/tmp";
	if (strcmp(swept, parent) != 0) {
		fs_sweep_dead(parent, "chanlab-run.");
		snprintf(swept, sizeof(swept), "%s", parent);
	}
	return parent;
}

/* Makes the pipes, and for a sandbox the private folder, its environment
 * and the tmpfs to come; fills the plan's side of them. 0 or -1 (err_msg). */
/* The walls of a sandboxed run (checker/jail.h): its private folder
 * writable, the program's own folder (the run's build outputs) and a cwd
 * of the caller's read-only, the system folders, nothing else. */
static int prepare_jail(struct run *r)
{
	const struct proc_opts *o = r->o;
	struct jail_plan jp = JAIL_PLAN_INIT;
	size_t n = 0;
	char *slash;

	jp.tmp = r->tmp;
	if (realpath(o->argv[0], r->progdir) && (slash = strrchr(r->progdir, '/')) && slash != r->progdir) {
		*slash = '\0';
		if (strncmp(r->progdir, "/usr/", 5) != 0)
			jp.readonly[n++] = r->progdir;
	}
	if (o->cwd && o->cwd[0] == '/' && strcmp(o->cwd, r->tmp) != 0)
		jp.readonly[n++] = o->cwd;
	jp.shm_size = 16u << 20;
	jp.stop_the_world = o->leak_check;
	r->jail = jail_new(&jp);
	r->plan.jail = r->jail;
	return r->jail ? 0 : -1;
}

static int prepare(struct run *r)
{
	const struct proc_opts *o = r->o;
	struct sandbox_plan *p = &r->plan;
	const char *parent, *slash;

	if (pipe2(r->inp, O_CLOEXEC) < 0 || pipe2(r->outp, O_CLOEXEC) < 0 || pipe2(r->errp, O_CLOEXEC) < 0 ||
	    pipe2(r->syncp, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->statp) < 0)
		return err_sys("cannot create pipes for '%s'", o->argv[0]);
	p->in = r->inp[0], p->out = r->outp[1], p->err = r->errp[1];
	p->sync_r = r->syncp[0], p->sync_w = r->syncp[1], p->status_w = r->statp[1];
	if (!o->sandbox) {
		p->envp = o->env ? (char *const *)(uintptr_t)o->env : environ;
		p->cwd = o->cwd;
		return 0;
	}
	parent = tmp_parent(o);
	snprintf(r->tmp, sizeof(r->tmp), "%s/chanlab-run.%ld.XXXXXX", parent, (long)getpid());
	if (!mkdtemp(r->tmp)) {
		err_sys("cannot create a private folder in '%s'", parent);
		r->tmp[0] = '\0';
		return -1;
	}
	chmod(r->tmp, 0700);
	r->envp = sandbox_env(o, r->tmp);
	if (!r->envp)
		return err_set("out of memory");
	p->envp = r->envp;
	p->tmp = r->tmp;
	p->tmp_size = o->tmp_size ? o->tmp_size : PROC_TMP_SIZE;
	snprintf(r->tmpfs_opts, sizeof(r->tmpfs_opts), "size=%zu,nr_inodes=%u,mode=0700", p->tmp_size,
		 (unsigned)TMP_FILES);
	p->tmpfs_opts = r->tmpfs_opts;
	p->cwd = o->cwd ? o->cwd : r->tmp;
	p->prog = open(o->argv[0], O_PATH | O_CLOEXEC);
	if (o->share_file) {
		slash = strrchr(o->share_file, '/');
		if (fs_join(r->share, sizeof(r->share), r->tmp, slash ? slash + 1 : o->share_file) < 0 ||
		    fs_copy(o->share_file, r->share) < 0)
			return -1;
		p->share_path = r->share;
	}
	return prepare_jail(r);
}

/* Starts the program as chanlab's own child, without namespaces: for a
 * sandbox under the fallback's limits, and says so in res->note. 0 or -1
 * (err_msg). */
static int spawn_plain(struct run *r, rlim_t nproc)
{
	static bool subreaper;
	const struct proc_opts *o = r->o;
	struct sandbox_plan *p = &r->plan;

	p->mode = SANDBOX_NONE;
	p->nproc = 0;
	/* Not root and no user namespace: RLIMIT_NPROC counts all our
	 * uid's tasks, so the program may add o->nproc to what runs now. */
	if (o->sandbox && geteuid() != 0)
		p->nproc = procscan_tasks_of(getuid()) + nproc;
	if (o->sandbox && geteuid() == 0) {
		p->nproc = nproc;
		p->uid = throwaway_uid(getpid()) + 0x10000000u;   /* per chanlab process */
		if (r->tmp[0] && chown(r->tmp, p->uid, (gid_t)p->uid) < 0)
			return err_sys("cannot hand '%s' to the program", r->tmp);
	}
	if (o->sandbox && !subreaper) {
		prctl(PR_SET_CHILD_SUBREAPER, 1);   /* orphans come to us, for the sweep */
		subreaper = true;
	}
	r->pid = sandbox_fork(0);
	if (r->pid < 0)
		return err_sys("cannot start '%s'", o->argv[0]);
	if (r->pid == 0)
		sandbox_enter(p);
	if (o->sandbox) {
		snprintf(iso_note, sizeof(iso_note),
			 "not isolated: %s; the program could reach the network and write outside its folder, "
			 "and its folder has no total size cap",
			 iso_why[0] ? iso_why : "namespaces are unavailable");
		r->res->note = iso_note;
	}
	return 0;
}

/* Starts the child (init in namespaces when the run is a sandbox and the
 * machine allows them, else the program itself), starts the clock, and
 * closes the child's ends of the pipes. 0 or -1 (err_msg). */
static int spawn(struct run *r)
{
	const struct proc_opts *o = r->o;
	rlim_t nproc = o->nproc ? o->nproc : 256;

	r->start = clock_now();
	r->deadline = r->start + o->timeout;
	if (o->sandbox && iso_mode != ISO_NONE) {
		r->pid = spawn_ns(&r->plan, nproc, r->syncp[1]);
		r->ns = r->pid > 0;
		if (r->pid < 0 && iso_mode != ISO_NONE)
			return err_sys("cannot start '%s'", o->argv[0]);
	}
	if (!r->ns && spawn_plain(r, nproc) < 0)
		return -1;
	close(r->inp[0]), r->inp[0] = -1;
	close(r->outp[1]), r->outp[1] = -1;
	close(r->errp[1]), r->errp[1] = -1;
	close(r->syncp[0]), r->syncp[0] = -1;
	close(r->statp[1]), r->statp[1] = -1;
	if (!o->stdin_data || o->stdin_len == 0)
		close(r->inp[1]), r->inp[1] = -1;
	else
		fcntl(r->inp[1], F_SETFL, O_NONBLOCK);
	r->pidfd = pidfd_for(r->pid);
	return 0;
}

/* Reads init's first message on the status socket, once: a descriptor of
 * its capped tmp in r->tmp_fd. 0, or -1 if there is none. */
static int recv_tmp(struct run *r)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;

	if (r->tmp_asked)
		return r->tmp_fd >= 0 ? 0 : -1;
	r->tmp_asked = true;
	if (recvmsg(r->statp[0], &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&r->tmp_fd, CMSG_DATA(c), sizeof(int));
	return r->tmp_fd >= 0 ? 0 : -1;
}

/* In namespaces: init has already told the program's end (it finished
 * just as the deadline passed). */
static bool status_ready(struct run *r)
{
	struct pollfd pf = { .fd = r->statp[0], .events = POLLIN };

	return r->ns && r->statp[0] >= 0 && poll(&pf, 1, 0) == 1 &&
	       (pf.revents & POLLIN);
}

/* Feeds stdin and drains stdout and stderr into the sinks until the child
 * has exited and the pipes are closed (or a moment after its exit), killing
 * it at the deadline. Returns once the child is reaped. */
static void pump(struct run *r)
{
	const struct proc_opts *o = r->o;
	size_t in_off = 0;
	double drain_until = 0;

	while (r->outp[0] >= 0 || r->errp[0] >= 0 || !r->exited) {
		struct pollfd pf[4];
		int n = 0, timeout_ms;
		double t = clock_now(), until;

		weigh(r, t);
		until = r->exited ? drain_until : r->deadline;
		if (t >= until) {
			if (!r->exited) {
				if (!r->overtime) {
					/* The tmpfs goes with init: look at it first. */
					r->tmp_full = r->ns && recv_tmp(r) >= 0 &&
						      sandbox_tmp_filled(r->tmp_fd, r->plan.tmp_size);
					r->overtime = true;
					if (!status_ready(r)) {
						/* The program, in the group init
						 * leads (a namespace's init ignores
						 * it); init itself only in the end. */
						kill(-r->pid, SIGQUIT);
						kill(r->pid, SIGQUIT);
						r->quit_sent = true;
						r->deadline = t + QUIT_GRACE;
						continue;
					}
				}
				if (!r->res->timed_out) {
					r->res->timed_out = true;
					kill(-r->pid, SIGKILL);
					kill(r->pid, SIGKILL);
					r->deadline = t + 2;   /* the kill itself needs a moment */
					continue;
				}
				break;     /* unkillable? wait4 below blocks */
			}
			break;      /* exited; a stray holds the pipes: stop draining */
		}
		timeout_ms = (int)((until - t) * 1000) + 1;
		if ((r->pidfd < 0 || r->o->mem) && !r->exited && timeout_ms > 10)
			timeout_ms = 10;
		if (r->outp[0] >= 0)
			pf[n++] = (struct pollfd){ .fd = r->outp[0], .events = POLLIN };
		if (r->errp[0] >= 0)
			pf[n++] = (struct pollfd){ .fd = r->errp[0], .events = POLLIN };
		if (r->inp[1] >= 0)
			pf[n++] = (struct pollfd){ .fd = r->inp[1], .events = POLLOUT };
		if (r->pidfd >= 0 && !r->exited)
			pf[n++] = (struct pollfd){ .fd = r->pidfd, .events = POLLIN };
		if (poll(pf, (nfds_t)n, timeout_ms) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			char buf[65536];
			ssize_t got;

			if (!pf[i].revents)
				continue;
			if (pf[i].fd == r->inp[1]) {
				got = write(r->inp[1], o->stdin_data + in_off, o->stdin_len - in_off);
				if (got > 0)
					in_off += (size_t)got;
				if (got < 0 || in_off == o->stdin_len)
					close(r->inp[1]), r->inp[1] = -1;
			} else if (pf[i].fd == r->outp[0] || pf[i].fd == r->errp[0]) {
				bool is_out = pf[i].fd == r->outp[0];

				got = read(pf[i].fd, buf, sizeof(buf));
				if (got > 0) {
					sink_take(is_out ? &r->out : &r->err, buf, (size_t)got);
				} else if (got == 0 || errno != EINTR) {
					close(pf[i].fd);
					if (is_out)
						r->outp[0] = -1;
					else
						r->errp[0] = -1;
				}
			}
		}
		if (!r->exited && wait4(r->pid, &r->wstatus, WNOHANG, &r->ru) == r->pid) {
			r->exited = true;
			/* Whatever it left running in its group goes with it. */
			kill(-r->pid, SIGKILL);
			drain_until = clock_now() + 0.2;
		}
	}
	if (!r->exited) {
		kill(-r->pid, SIGKILL);
		kill(r->pid, SIGKILL);
		wait4(r->pid, &r->wstatus, 0, &r->ru);
	}
}

/* Reads o->fetch from the private folder before it goes: through init's
 * descriptor in namespaces, by path on the disk without them. */
static void fetch(struct run *r)
{
	const struct proc_opts *o = r->o;
	struct proc_result *res = r->res;
	int dirfd = r->ns ? r->tmp_fd : open(r->tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (!o->fetch)
		return;
	res->fetched = dirfd >= 0 ? fs_read_at(dirfd, o->fetch, o->fetch_max ? o->fetch_max : 16u << 20,
					       &res->fetched_len) : NULL;
	if (!res->fetched)
		snprintf(res->fetch_error, sizeof(res->fetch_error), "%s",
			 dirfd >= 0 ? err_msg() : "its private folder is gone");
	if (!r->ns && dirfd >= 0)
		close(dirfd);
}

/* After the child is reaped: the program's own wait status (from init, in
 * namespaces), the sweep of what it left (without), and the result. */
static void collect(struct run *r)
{
	struct proc_result *res = r->res;
	struct rusage *ru = &r->ru;
	bool got_status = false;
	int wstatus = r->wstatus, msg[2];

	if (r->ns) {
		recv_tmp(r);
		got_status = read(r->statp[0], msg, sizeof(msg)) == sizeof(msg);
		if (got_status) {   /* else init was killed (timeout) or could not start it */
			wstatus = msg[0];
			r->tmp_full = msg[1] != 0;
		}
	} else if (r->o->sandbox) {
		procscan_sweep(r->plan.uid, r->pid);
	}
	res->seconds = clock_now() - r->start;
	res->max_rss_kb = ru->ru_maxrss;
	res->tmp_full = r->tmp_full ? r->plan.tmp_size : 0;
	res->cpu_seconds = (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
			   (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
	if (WIFEXITED(wstatus)) {
		res->status = WEXITSTATUS(wstatus);
	} else {
		res->status = -1;
		res->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	}
	if (res->out_of_memory) {
		/* However it ended, it was stopped for its memory. */
		res->timed_out = false;
		res->status = -1;
		res->signal = 0;
	} else if (r->quit_sent) {
		/* Whether it obeyed SIGQUIT within the grace or was killed
		 * after it, it is a timeout, reported as the SIGKILL alone was. */
		res->timed_out = true;
		res->status = -1;
		res->signal = 0;
	} else if (res->timed_out && !got_status) {
		res->signal = 0;
	} else if (res->timed_out && got_status) {
		res->timed_out = false;   /* it finished just as the deadline passed */
	}
	fetch(r);
	res->out = sink_finish(&r->out, &res->out_len);
	res->err = sink_finish(&r->err, &res->err_len);
	res->out_truncated = r->out.truncated;
	res->err_truncated = r->err.truncated;
	res->out_dropped = r->out.dropped;
	res->err_dropped = r->err.dropped;
}

/* Closes what is still open and removes the private folder; after a
 * failed run, also frees what the sinks held. */
static void run_release(struct run *r, bool failed)
{
	if (r->pidfd >= 0)
		close(r->pidfd);
	if (r->plan.prog >= 0)
		close(r->plan.prog);
	jail_free(r->jail);
	for (int i = 0; i < 2; i++) {
		if (r->inp[i] >= 0) close(r->inp[i]);
		if (r->outp[i] >= 0) close(r->outp[i]);
		if (r->errp[i] >= 0) close(r->errp[i]);
		if (r->syncp[i] >= 0) close(r->syncp[i]);
		if (r->statp[i] >= 0) close(r->statp[i]);
	if (r->tmp_fd >= 0)
		close(r->tmp_fd);
	}
	if (failed) {
		free(r->out.buf);
		free(r->err.buf);
	}
	if (r->tmp[0])
		fs_rmtree(r->tmp);
	str_list_free(r->envp);
}

int proc_run(struct proc_result *res, const struct proc_opts *o)
{
	struct run r = {
		.o = o, .res = res,
		.plan = {
			.argv = o->argv, .pass = o->pass_fd, .prog = -1,
			.cpu = (rlim_t)(o->cpu > 0 ? o->cpu : o->timeout + 1), .fsize = o->fsize,
			.mem = o->mem && !o->reserves ? (rlim_t)o->mem * 64 : 0,
			.nofile = o->nofile ? o->nofile : 256,
		},
		.inp = { -1, -1 }, .outp = { -1, -1 }, .errp = { -1, -1 }, .syncp = { -1, -1 }, .statp = { -1, -1 }, .tmp_fd = -1,
		.out = { .limit = o->output_cap }, .err = { .limit = o->output_cap },
		.pid = -1, .pidfd = -1,
	};
	int rc = -1;

	memset(res, 0, sizeof(*res));
	res->note = "";
	if (prepare(&r) < 0 || spawn(&r) < 0)
		goto out_release;
	pump(&r);
	collect(&r);
	rc = 0;
out_release:
	run_release(&r, rc < 0);
	return rc;
}

void proc_result_release(struct proc_result *res)
{
	free(res->out);
	free(res->err);
	free(res->fetched);
	memset(res, 0, sizeof(*res));
}

static const struct {
	int sig;
	const char *what;
} signals[] = {
	{ SIGSEGV, "crashed: invalid memory access (SIGSEGV, a segmentation fault)" },
	{ SIGBUS, "crashed: misaligned or vanished memory (SIGBUS)" },
	{ SIGABRT, "aborted (SIGABRT: abort() was called, often by a failed assert)" },
	{ SIGFPE, "crashed: arithmetic error such as a division by zero (SIGFPE)" },
	{ SIGILL, "crashed: illegal instruction (SIGILL, often a trap for undefined behaviour)" },
	{ SIGXCPU, "used up its CPU time and was stopped (SIGXCPU)" },
	{ SIGXFSZ, "wrote a file past the size limit and was stopped (SIGXFSZ)" },
	{ SIGPIPE, "wrote to a pipe nobody reads and was stopped (SIGPIPE)" },
	{ SIGKILL, "was killed (SIGKILL: out of memory or past the CPU limit)" },
	{ SIGTERM, "was terminated (SIGTERM)" },
};

const char *proc_describe(const struct proc_result *r, char *buf, size_t size)
{
	if (r->out_of_memory) {
		snprintf(buf, size, "used more than %zu MiB of memory and was stopped%s%s%s", r->out_of_memory >> 20,
			 r->oom_note ? " (" : "", r->oom_note ? r->oom_note : "", r->oom_note ? ")" : "");
	} else if (r->timed_out) {
		snprintf(buf, size, "timed out after %.1f s and was stopped", r->seconds);
	} else if (r->signal) {
		size_t i = 0;

		while (i < sizeof(signals) / sizeof(signals[0]) && signals[i].sig != r->signal)
			i++;
		if (i < sizeof(signals) / sizeof(signals[0]))
			snprintf(buf, size, "%s", signals[i].what);
		else
			snprintf(buf, size, "was killed by signal %d (%s)", r->signal, strsignal(r->signal));
	} else if (r->status == 127) {
		snprintf(buf, size, "could not be started (exit status 127)");
	} else {
		snprintf(buf, size, "exited with status %d", r->status);
	}
	if (r->tmp_full) {
		bool mib = r->tmp_full >= (1u << 20);

		snprintf(buf + strlen(buf), size - strlen(buf),
			 "; it filled its temporary folder (no space left on device: the folder holds at most %zu %s)",
			 mib ? (r->tmp_full + (1u << 19)) >> 20 : (r->tmp_full + 1023) >> 10, mib ? "MiB" : "KiB");
	}
	return buf;
}

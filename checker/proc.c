/*
 * proc — fork/exec with limits; see proc.h.
 *
 * Data model: one child, three pipes (stdin, stdout, stderr) served by one
 * poll loop in the parent, plus a pidfd (where the kernel has one) so the
 * loop also wakes when the child exits. When the deadline passes, or the
 * child exits, its whole process group is killed with SIGKILL; pipes still
 * held open by a stray grandchild are then drained only briefly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checker/err.h"
#include "checker/proc.h"

struct sink {
	char *buf;
	size_t len, cap, limit;
	bool truncated;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sink_take(struct sink *s, const char *data, size_t n)
{
	size_t room = s->limit - s->len;

	if (n > room) {
		s->truncated = true;
		n = room;
	}
	if (n == 0)
		return;
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *p;

		while (cap < s->len + n + 1)
			cap *= 2;
		p = realloc(s->buf, cap);
		if (!p) {
			s->truncated = true;
			return;
		}
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
}

static char *sink_finish(struct sink *s, size_t *len)
{
	if (!s->buf)
		s->buf = malloc(1);
	if (s->buf)
		s->buf[s->len] = '\0';
	*len = s->len;
	return s->buf;
}

#ifdef __GLIBC__
typedef __rlimit_resource_t rlimit_resource;   /* glibc's setrlimit takes an enum */
#else
typedef int rlimit_resource;
#endif

static void limit(rlimit_resource resource, rlim_t value)
{
	struct rlimit rl = { value, value };

	setrlimit(resource, &rl);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child(const struct proc_opts *o, int in, int out, int err)
{
	double cpu = o->cpu > 0 ? o->cpu : o->timeout + 1;

	setsid();
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	closefrom(3);
	limit(RLIMIT_CORE, 0);
	limit(RLIMIT_CPU, (rlim_t)cpu + 1);
	if (o->fsize)
		limit(RLIMIT_FSIZE, (rlim_t)o->fsize);
	if (o->mem)
		limit(RLIMIT_AS, (rlim_t)o->mem);
	signal(SIGPIPE, SIG_DFL);
	if (o->cwd && chdir(o->cwd) < 0)
		_exit(127);
	if (o->env)
		execve(o->argv[0], (char *const *)(uintptr_t)o->argv,
		       (char *const *)(uintptr_t)o->env);
	else
		execv(o->argv[0], (char *const *)(uintptr_t)o->argv);
	_exit(127);
}

/* The child's group is its pid once it has called setsid; before that
 * (the first microseconds) only the child itself exists to kill. */
static void kill_group(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
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

int proc_run(struct proc_result *res, const struct proc_opts *o)
{
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	struct sink out = { .limit = o->output_cap }, err = { .limit = o->output_cap };
	size_t in_off = 0;
	double start, deadline, drain_until = 0;
	bool exited = false, killed = false;
	int wstatus = 0, pidfd;
	struct rusage ru = { 0 };
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		err_sys("cannot create pipes for '%s'", o->argv[0]);
		goto out_close;
	}
	start = now();
	deadline = start + o->timeout;
	pid = fork();
	if (pid < 0) {
		err_sys("cannot start '%s'", o->argv[0]);
		goto out_close;
	}
	if (pid == 0)
		child(o, inp[0], outp[1], errp[1]);
	close(inp[0]), inp[0] = -1;
	close(outp[1]), outp[1] = -1;
	close(errp[1]), errp[1] = -1;
	if (!o->stdin_data || o->stdin_len == 0)
		close(inp[1]), inp[1] = -1;
	else
		fcntl(inp[1], F_SETFL, O_NONBLOCK);
	pidfd = pidfd_for(pid);

	while (outp[0] >= 0 || errp[0] >= 0 || !exited) {
		struct pollfd pf[4];
		int n = 0, timeout_ms, i;
		double t = now(), until = exited ? drain_until : deadline;

		if (t >= until) {
			if (!exited) {
				res->timed_out = true;
				kill_group(pid);
				killed = true;
				deadline = t + 1;   /* the kill itself needs a moment */
				continue;
			}
			break;      /* exited; a stray holds the pipes: stop draining */
		}
		timeout_ms = (int)((until - t) * 1000) + 1;
		if (pidfd < 0 && !exited && timeout_ms > 10)
			timeout_ms = 10;
		if (outp[0] >= 0)
			pf[n++] = (struct pollfd){ .fd = outp[0], .events = POLLIN };
		if (errp[0] >= 0)
			pf[n++] = (struct pollfd){ .fd = errp[0], .events = POLLIN };
		if (inp[1] >= 0)
			pf[n++] = (struct pollfd){ .fd = inp[1], .events = POLLOUT };
		if (pidfd >= 0 && !exited)
			pf[n++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		if (poll(pf, (nfds_t)n, timeout_ms) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			char buf[65536];
			ssize_t r;

			if (!pf[i].revents)
				continue;
			if (pf[i].fd == inp[1]) {
				r = write(inp[1], o->stdin_data + in_off, o->stdin_len - in_off);
				if (r > 0)
					in_off += (size_t)r;
				if (r < 0 || in_off == o->stdin_len)
					close(inp[1]), inp[1] = -1;
			} else if (pf[i].fd == outp[0] || pf[i].fd == errp[0]) {
				bool is_out = pf[i].fd == outp[0];

				r = read(pf[i].fd, buf, sizeof(buf));
				if (r > 0) {
					sink_take(is_out ? &out : &err, buf, (size_t)r);
				} else if (r == 0 || errno != EINTR) {
					close(pf[i].fd);
					if (is_out)
						outp[0] = -1;
					else
						errp[0] = -1;
				}
			}
		}
		if (!exited && wait4(pid, &wstatus, WNOHANG, &ru) == pid) {
			exited = true;
			/* Whatever it left running in its group goes with it. */
			kill(-pid, SIGKILL);
			drain_until = now() + 0.2;
		}
	}
	if (!exited) {
		kill_group(pid);
		wait4(pid, &wstatus, 0, &ru);
	}
	res->seconds = now() - start;
	res->max_rss_kb = ru.ru_maxrss;
	if (WIFEXITED(wstatus)) {
		res->status = WEXITSTATUS(wstatus);
	} else {
		res->status = -1;
		res->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	}
	if (killed && res->signal == SIGKILL && res->timed_out)
		res->signal = 0;
	if (pidfd >= 0)
		close(pidfd);
	res->out = sink_finish(&out, &res->out_len);
	res->err = sink_finish(&err, &res->err_len);
	res->out_truncated = out.truncated;
	res->err_truncated = err.truncated;
	for (int i = 0; i < 2; i++) {
		if (inp[i] >= 0) close(inp[i]);
		if (outp[i] >= 0) close(outp[i]);
		if (errp[i] >= 0) close(errp[i]);
	}
	return 0;

out_close:
	for (int i = 0; i < 2; i++) {
		if (inp[i] >= 0) close(inp[i]);
		if (outp[i] >= 0) close(outp[i]);
		if (errp[i] >= 0) close(errp[i]);
	}
	return -1;
}

void proc_result_release(struct proc_result *res)
{
	free(res->out);
	free(res->err);
	memset(res, 0, sizeof(*res));
}

const char *proc_describe(const struct proc_result *r, char *buf, size_t size)
{
	if (r->timed_out)
		snprintf(buf, size, "timed out after %.1f s and was stopped", r->seconds);
	else if (r->signal)
		snprintf(buf, size, "killed by signal %d (%s)", r->signal, strsignal(r->signal));
	else if (r->status == 127)
		snprintf(buf, size, "could not be started (exit status 127)");
	else
		snprintf(buf, size, "exited with status %d", r->status);
	return buf;
}

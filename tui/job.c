/*
 * job — a check as a child process; see job.h.
 *
 * Data model: the child's pid (also its process group), two pipe ends
 * still open (-1 once at EOF), what each has delivered so far (capped),
 * and after both pipes close and the child is reaped, its exit status
 * and the parsed result.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "checker/procscan.h"
#include "tui/job.h"

enum { OUT_CAP = 16 << 20 };   /* a result larger than this is not chanlab's */

struct job {
	char *exercise;
	pid_t pid;
	unsigned long long started;   /* the child's start time, clock ticks since boot */
	int fd[2];                 /* stdout, stderr; -1 once closed */
	struct buf out[2];
	bool done;
	int status;                /* waitpid status */
	struct json *result;
	char error[512];
	size_t scanned;            /* stdout up to here is complete lines, looked at */
	struct buf partial;        /* the tests streamed so far, as a JSON array's items */
	size_t npartial;
	bool partial_new;          /* tests came since job_partial last looked */
	char running[4][16];       /* the passes over the tests running now, in start order */
};

void job_init_reaper(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
}

int job_start(struct job **out, const char *exe, const char *home, const char *exercise, const char *profile)
{
	struct job *j = calloc(1, sizeof(*j));
	char prof[32];
	int p_out[2] = { -1, -1 }, p_err[2] = { -1, -1 };
	struct procscan_entry e;

	*out = NULL;
	if (!j || !(j->exercise = strdup(exercise))) {
		free(j);
		return err_set("out of memory");
	}
	snprintf(prof, sizeof(prof), "--profile=%s", profile ? profile : "");
	if (pipe(p_out) < 0 || pipe(p_err) < 0) {
		err_sys("cannot start a check of '%s'", exercise);
		goto out_close;
	}
	j->pid = fork();
	if (j->pid < 0) {
		err_sys("cannot start a check of '%s'", exercise);
		goto out_close;
	}
	if (j->pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		sigset_t none;

		setsid();   /* its own group, and no terminal it could write to */
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);   /* the shell blocks its quit signals */
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(p_out[1], 1);
		dup2(p_err[1], 2);
		if (profile)
			execl(exe, exe, "--home", home, "check", "--json", "--stream", prof, exercise, (char *)NULL);
		else
			execl(exe, exe, "--home", home, "check", "--json", "--stream", exercise, (char *)NULL);
		dprintf(2, "cannot run '%s': %s\n", exe, strerror(errno));
		_exit(127);
	}
	j->started = procscan_read(&e, j->pid) ? e.started : 0;
	close(p_out[1]);
	close(p_err[1]);
	j->fd[0] = p_out[0];
	j->fd[1] = p_err[0];
	fcntl(j->fd[0], F_SETFD, FD_CLOEXEC);   /* later checks and editors need not hold them */
	fcntl(j->fd[1], F_SETFD, FD_CLOEXEC);
	fcntl(j->fd[0], F_SETFL, O_NONBLOCK);
	fcntl(j->fd[1], F_SETFL, O_NONBLOCK);
	*out = j;
	return 0;
out_close:
	for (int i = 0; i < 2; i++) {
		if (p_out[i] >= 0)
			close(p_out[i]);
		if (p_err[i] >= 0)
			close(p_err[i]);
	}
	free(j->exercise);
	free(j);
	return -1;
}

struct adopted {
	pid_t self;
	unsigned long long since;     /* the check's start time */
};

static void kill_if_adopted(const struct procscan_entry *e, void *payload)
{
	const struct adopted *a = payload;

	if (e->ppid != a->self || e->started < a->since)
		return;
	kill(-e->pid, SIGKILL);
	kill(e->pid, SIGKILL);
	waitpid(e->pid, NULL, 0);
}

/* Kills the processes this one adopted since the check started (a
 * canceled check's sandboxed programs, each the leader of its own
 * session) and reaps them. */
static void kill_adopted(unsigned long long since)
{
	struct adopted a = { .self = getpid(), .since = since };

	procscan_each(kill_if_adopted, &a);
}

void job_free(struct job *j)
{
	if (!j)
		return;
	if (!j->done) {
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
			;
		kill_adopted(j->started);
	}
	for (int i = 0; i < 2; i++) {
		if (j->fd[i] >= 0)
			close(j->fd[i]);
		buf_release(&j->out[i]);
	}
	json_free(j->result);
	buf_release(&j->partial);
	free(j->exercise);
	free(j);
}

int job_fds(const struct job *j, int fds[2])
{
	int n = 0;

	for (int i = 0; i < 2; i++)
		if (j->fd[i] >= 0)
			fds[n++] = j->fd[i];
	return n;
}

/* The last line of what the child said on stderr, without "chanlab: ". */
static const char *last_line(struct buf *b)
{
	char *s = b->s, *nl;

	if (!s)
		return "";
	while (b->len && (s[b->len - 1] == '\n' || s[b->len - 1] == ' '))
		s[--b->len] = '\0';
	nl = strrchr(s, '\n');
	s = nl ? nl + 1 : s;
	return strncmp(s, "chanlab: ", 9) == 0 ? s + 9 : s;
}

static void finish(struct job *j)
{
	const char *why = last_line(&j->out[1]);

	j->done = true;
	if (WIFSIGNALED(j->status)) {
		snprintf(j->error, sizeof(j->error), "the check was killed by signal %d%s%s",
			 WTERMSIG(j->status), *why ? ": " : "", why);
		return;
	}
	/* the result is the last line; the lines before it are the tests streamed */
	if (j->out[0].s) {
		char *s = j->out[0].s, *end = s + j->out[0].len, *nl;

		while (end > s && (end[-1] == '\n' || end[-1] == ' '))
			*--end = '\0';
		nl = strrchr(s, '\n');
		if (json_parse(&j->result, nl ? nl + 1 : s) == 0)
			return;
	}
	if (*why)
		snprintf(j->error, sizeof(j->error), "%s", why);
	else
		snprintf(j->error, sizeof(j->error), "the check printed no result (%s)",
			 j->out[0].s ? err_msg() : "exit status");
}

/* A pass event's line: the pass joins the running ones, or leaves them. */
static void pass_event(struct job *j, const char *line, size_t n)
{
	static const char event[] = "{\"event\":\"pass\",\"pass\":\"";
	const size_t slots = sizeof(j->running) / sizeof(j->running[0]);
	const char *name = line + sizeof(event) - 1, *q = memchr(name, '"', n - (sizeof(event) - 1));
	size_t len = q ? (size_t)(q - name) : 0, i;
	bool running;

	if (!q || len == 0 || len >= sizeof(j->running[0]) || memchr(name, '\\', len))
		return;
	running = (size_t)(line + n - q) >= 17 && strncmp(q, "\",\"running\":true}", 17) == 0;
	for (i = 0; i < slots && (strncmp(j->running[i], name, len) != 0 || j->running[i][len] != '\0'); i++)
		;
	if (i < slots) {   /* running already */
		if (!running) {   /* it ended: the later ones move up */
			memmove(j->running[i], j->running[i + 1], (slots - i - 1) * sizeof(j->running[0]));
			j->running[slots - 1][0] = '\0';
		}
		return;
	}
	for (i = 0; running && i < slots; i++)
		if (!j->running[i][0]) {
			snprintf(j->running[i], sizeof(j->running[i]), "%.*s", (int)len, name);
			break;
		}
}

/* The complete lines of stdout not looked at yet: each streamed test's
 * object joins the partial list, and pass events keep the running list. */
static void scan_events(struct job *j)
{
	static const char event[] = "{\"event\":\"test\",\"test\":", pass[] = "{\"event\":\"pass\",\"pass\":\"";
	char *s, *nl;

	while (j->out[0].s && (nl = memchr((s = j->out[0].s + j->scanned), '\n', j->out[0].len - j->scanned))) {
		size_t n = (size_t)(nl - s);

		j->scanned += n + 1;
		if (n > sizeof(pass) && strncmp(s, pass, sizeof(pass) - 1) == 0 && s[n - 1] == '}') {
			pass_event(j, s, n);
			j->partial_new = true;
			continue;
		}
		if (n < sizeof(event) || strncmp(s, event, sizeof(event) - 1) != 0 || s[n - 1] != '}')
			continue;
		if (j->npartial++)
			buf_puts(&j->partial, ",");
		buf_add(&j->partial, s + sizeof(event) - 1, n - sizeof(event));   /* without the last } */
		j->partial_new = true;
	}
}

const char *job_running(const struct job *j, char *buf, size_t size)
{
	const size_t slots = sizeof(j->running) / sizeof(j->running[0]);

	buf[0] = '\0';
	for (size_t i = 0, used = 0; i < slots && j->running[i][0] && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", j->running[i]);
	return buf;
}

struct json *job_partial(struct job *j)
{
	char names[96];
	struct buf b = BUF_INIT;
	struct json *r = NULL;

	if (!j->partial_new || !j->npartial)
		return NULL;
	j->partial_new = false;
	buf_puts(&b, "{\"version\":2,\"exercise\":");
	buf_json_str(&b, j->exercise);
	buf_puts(&b, ",\"status\":\"running\",\"running\":");
	buf_json_str(&b, job_running(j, names, sizeof(names)));
	buf_puts(&b, ",\"message\":\"\",\"note\":\"\",\"seconds\":0,\"tests\":[");
	buf_add(&b, j->partial.s, j->partial.len);
	buf_puts(&b, "],\"benchmarks\":[]}");
	if (b.oom || json_parse(&r, b.s) < 0)
		r = NULL;
	buf_release(&b);
	return r;
}

bool job_step(struct job *j)
{
	char chunk[65536];

	if (j->done)
		return true;
	for (int i = 0; i < 2; i++) {
		ssize_t n = -1;

		while (j->fd[i] >= 0 && (n = read(j->fd[i], chunk, sizeof(chunk))) != 0) {
			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN)
					break;
				n = 0;
			}
			if (n > 0 && j->out[i].len < OUT_CAP)
				buf_add(&j->out[i], chunk, (size_t)n);
			if (n == 0)
				break;
		}
		if (j->fd[i] >= 0 && n == 0) {
			close(j->fd[i]);
			j->fd[i] = -1;
		}
	}
	scan_events(j);
	if (j->fd[0] >= 0 || j->fd[1] >= 0)
		return false;
	while (waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR)
		;
	finish(j);
	return true;
}

struct json *job_take_result(struct job *j)
{
	struct json *r = j->result;

	j->result = NULL;
	return r;
}

const char *job_error(const struct job *j)
{
	return j->error;
}

const char *job_exercise(const struct job *j)
{
	return j->exercise;
}

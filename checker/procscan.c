/*
 * procscan — the machine's processes as /proc shows them; see procscan.h.
 *
 * Data model: none kept. Each entry is read afresh from two files:
 * /proc/PID/stat gives the parent, the thread count and the start time
 * (fields 4, 20 and 22, counted after the command name, which may hold
 * anything, so from its last ')'), /proc/PID/status the real uid (the
 * first number of its "Uid:" line).
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "checker/procscan.h"

/* path's text, NUL-terminated in buf (size bytes at most, the NUL
 * included): its length, or -1 when it cannot be read or is empty. */
static ssize_t read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

bool procscan_read(struct procscan_entry *out, pid_t pid)
{
	char path[64], stat[1024], line[256], *p;
	unsigned long uid = (unsigned long)-1;
	long ppid;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_text(path, stat, sizeof(stat)) < 0)
		return false;
	/* pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime cutime cstime priority nice num_threads
	 * itrealvalue starttime */
	if (!(p = strrchr(stat, ')')) ||
	    sscanf(p + 1, " %*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %lu %*d %llu",
		   &ppid, &out->threads, &out->started) != 3)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (strncmp(line, "Uid:", 4) == 0) {
			uid = strtoul(line + 4, NULL, 10);
			found = true;
		}
	fclose(f);
	out->pid = pid;
	out->ppid = (pid_t)ppid;
	out->uid = (uid_t)uid;
	return found;
}

int procscan_each(void (*fn)(const struct procscan_entry *e, void *payload), void *payload)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return err_sys("cannot list the processes in '/proc'");
	while ((de = readdir(d))) {
		struct procscan_entry e;
		pid_t pid = (pid_t)atol(de->d_name);

		if (pid > 0 && procscan_read(&e, pid))
			fn(&e, payload);
	}
	closedir(d);
	return 0;
}

/* --- what the runner asks of it ---------------------------------------------- */

/* What procscan_sweep looks for, and how many it found this round. */
struct sweep {
	pid_t self, own, session;   /* chanlab, its session, the program's */
	uid_t uid;                  /* the throw-away uid, or 0 */
	int found;
};

static void sweep_one(const struct procscan_entry *e, void *payload)
{
	struct sweep *s = payload;
	pid_t sid;

	if (e->pid == s->self)
		return;
	sid = getsid(e->pid);
	if ((s->uid != 0 && e->uid == s->uid) ||
	    (e->ppid == s->self && sid >= 0 && (sid == s->session || sid != s->own))) {
		kill(e->pid, SIGKILL);
		if (e->ppid == s->self)
			waitpid(e->pid, NULL, 0);
		s->found++;
	}
}

/* Rounds of kills until a round finds nothing; see procscan.h. */
void procscan_sweep(uid_t uid, pid_t session)
{
	struct sweep s = { .self = getpid(), .own = getsid(0), .session = session, .uid = uid };

	for (int round = 0; round < 200; round++) {
		s.found = 0;
		if (procscan_each(sweep_one, &s) < 0 || !s.found)
			return;
	}
}

/* A uid and the tasks counted of it so far. */
struct tasks {
	uid_t uid;
	unsigned long n;
};

static void count_tasks(const struct procscan_entry *e, void *payload)
{
	struct tasks *t = payload;

	if (e->uid == t->uid)
		t->n += e->threads;
}

unsigned long procscan_tasks_of(uid_t uid)
{
	struct tasks t = { .uid = uid };

	procscan_each(count_tasks, &t);
	return t.n;
}

/* --- the memory a run holds --------------------------------------------------- */

/* Bytes of pid's own resident memory: its anonymous pages, the shared
 * memory it maps and its page tables (RssAnon + RssShmem + VmPTE), not
 * the pages of files it maps, which every process of the machine shares
 * (libc's). 0 when it is gone. */
static size_t own_rss(pid_t pid)
{
	char path[64], buf[4096], *p;
	size_t kb = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_text(path, buf, sizeof(buf)) < 0)
		return 0;
	if ((p = strstr(buf, "\nRssAnon:")))
		kb += strtoul(p + 9, NULL, 10);
	if ((p = strstr(buf, "\nRssShmem:")))
		kb += strtoul(p + 10, NULL, 10);
	if ((p = strstr(buf, "\nVmPTE:")))
		kb += strtoul(p + 7, NULL, 10);
	return kb << 10;
}

static bool tree_has(const struct procscan_tree *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->pid[i] == pid)
			return true;
	return false;
}

/* Appends pid's children (every thread's: a child belongs to the thread
 * that forked it). A process has one parent, so none comes twice down
 * from the root (one orphaned meanwhile is read under its new parent
 * first, the root, or under its old one alone). With session (chanlab's
 * own children, adopted), only those a sweep would kill (see sweep_one):
 * in the program's session or out of chanlab's, and not the root. */
static void add_children(struct procscan_tree *t, pid_t pid, pid_t session)
{
	char path[320], buf[4096];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d)) && t->n < PROCSCAN_TREE_MAX) {
		char *p, *end;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children", (int)pid, de->d_name);
		if (read_text(path, buf, sizeof(buf)) < 0)
			continue;
		for (p = buf; t->n < PROCSCAN_TREE_MAX; p = end) {
			long child = strtol(p, &end, 10);
			pid_t sid;

			if (end == p)
				break;
			if (child <= 0)
				continue;
			if (session && (tree_has(t, (pid_t)child) || (sid = getsid((pid_t)child)) < 0 ||
					(sid != session && sid == getsid(0))))
				continue;
			t->pid[t->n++] = (pid_t)child;
		}
	}
	closedir(d);
}

void procscan_tree(struct procscan_tree *t, pid_t root, pid_t session)
{
	t->n = 0;
	t->rss = 0;
	t->pid[t->n++] = root;
	if (session)
		add_children(t, getpid(), session);
	for (size_t i = 0; i < t->n; i++) {
		add_children(t, t->pid[i], 0);
		t->rss += own_rss(t->pid[i]);
	}
}

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

bool procscan_read(struct procscan_entry *out, pid_t pid)
{
	char path[64], stat[1024], line[256], *p;
	unsigned long uid = (unsigned long)-1;
	long ppid;
	bool found = false;
	ssize_t n;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return false;
	stat[n] = '\0';
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

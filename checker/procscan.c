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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The shell's background machinery: the watcher (inotify and polling,
 * debounced) and a check as a child process (its result, its failure,
 * and canceling it with everything it started). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/tap.h"
#include "tui/job.h"
#include "tui/watch.h"

static char dir[256];

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w"))) {
		fputs(text, f);
		fclose(f);
	}
}

/* Runs the watcher as the shell does for up to ms; the number of changes
 * it reported, and when the first came (ms after start) in *first. */
static int changes(struct watch *w, int ms, long long start, long long *first)
{
	long long end = now_ms() + ms;
	int n = 0;

	while (now_ms() < end) {
		struct pollfd p = { .fd = watch_fd(w), .events = POLLIN };
		int t = watch_timeout(w, now_ms()), left = (int)(end - now_ms());

		poll(&p, p.fd >= 0 ? 1 : 0, t < 0 || t > left ? left : t);
		if (watch_step(w, now_ms())) {
			if (!n && first)
				*first = now_ms() - start;
			n++;
		}
	}
	return n;
}

static void test_watch(const char *mode)
{
	static char a_c[] = "a.c";
	char *const files[] = { a_c, NULL };
	struct watch *w;
	long long t0, first = -1;
	int n;

	setenv("CHANLAB_WATCH", mode, 1);
	write_file("a.c", "int x;\n");
	ok(watch_new(&w, dir, files) == 0, "%s: watches a folder", mode);
	is_str(watch_kind(w), strcmp(mode, "poll") == 0 ? "polling" : "inotify", "%s: says which kind", mode);
	n = changes(w, 200, now_ms(), NULL);
	is_int(n, 0, "%s: nothing to report while nothing changes", mode);
	if (strcmp(mode, "poll") == 0)
		ok(watch_timeout(w, now_ms()) <= 500, "%s: polls twice a second", mode);
	else
		ok(watch_timeout(w, now_ms()) == -1, "%s: no timer while idle", mode);

	t0 = now_ms();
	for (int i = 0; i < 5; i++)   /* an editor's save: a burst of writes */
		write_file("a.c", i % 2 ? "int y;\n" : "int yy;\n");
	n = changes(w, 1200, t0, &first);
	is_int(n, 1, "%s: a burst of writes is one change", mode);
	ok(first >= 100, "%s: reported after the writes settle (%lld ms)", mode, first);

	write_file(".a.c.swp", "junk");
	write_file("a.c~", "junk");
	n = changes(w, 600, now_ms(), NULL);
	is_int(n, 0, "%s: other files in the folder are not watched", mode);
	watch_free(w);
}

/* The folder is replaced (deleted and made again, as some tools do): the
 * watcher notices and goes on by polling. */
static void test_replaced(void)
{
	static char a_c[] = "a.c";
	char *const files[] = { a_c, NULL };
	char sub[300], old[320];
	struct watch *w;
	FILE *f;

	unsetenv("CHANLAB_WATCH");
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(old, sizeof(old), "%s/sub.old", dir);
	mkdir(sub, 0755);
	if (watch_new(&w, sub, files) < 0)
		return;
	rename(sub, old);
	mkdir(sub, 0755);
	snprintf(old, sizeof(old), "%s/a.c", sub);
	if ((f = fopen(old, "w"))) {
		fputs("int z;\n", f);
		fclose(f);
	}
	ok(changes(w, 1500, now_ms(), NULL) >= 1, "a replaced folder still reports the change");
	is_str(watch_kind(w), "polling", "and the watcher says it now polls");
	watch_free(w);
}

/* A stand-in for chanlab: a script run as `exe --home H check --json ID`. */
static void script(const char *name, const char *body)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(name, body);
	chmod(path, 0755);
}

static struct job *run(const char *name, const char *id)
{
	char exe[512];
	struct job *j = NULL;

	snprintf(exe, sizeof(exe), "%s/%s", dir, name);
	if (job_start(&j, exe, dir, id, NULL) < 0)
		return NULL;
	return j;
}

static bool wait_job(struct job *j, int ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		struct pollfd p[2];
		int fds[2], n = job_fds(j, fds);

		for (int i = 0; i < n; i++)
			p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		poll(p, (nfds_t)n, 100);
		if (job_step(j))
			return true;
	}
	return false;
}

static void test_job(void)
{
	struct job *j;
	struct json *res;
	char pidfile[512], buf[32] = "";
	pid_t orphan = 0;
	long long t0;
	FILE *f;

	job_init_reaper();
	script("pass", "#!/bin/sh\n[ \"$3 $4 $5 $6\" = 'check --json --stream ex1' ] || exit 9\n"
		       "echo '{\"event\":\"test\",\"test\":{\"name\":\"first\",\"status\":\"pass\"}}'\n"
		       "sleep 0.3\n"
		       "echo '{\"version\":2,\"status\":\"pass\",\"tests\":[{\"name\":\"first\",\"status\":\"pass\"}]}'\n");
	ok((j = run("pass", "ex1")) != NULL, "starts a check");
	res = NULL;
	for (int i = 0; j && i < 200 && !(res = job_partial(j)); i++) {
		usleep(10000);
		job_step(j);
	}
	ok(res && strcmp(json_str(res, "status"), "running") == 0, "the tests it streams come while it runs");
	ok(res && json_get(res, "tests") && json_get(res, "tests")->nkids == 1 &&
	   strcmp(json_str(&json_get(res, "tests")->kids[0], "name"), "first") == 0, "as a result of the tests so far");
	json_free(res);
	ok(j && wait_job(j, 5000), "which ends");
	res = j ? job_take_result(j) : NULL;
	is_str(json_str(res, "status"), "pass", "its result is read from its output");
	is_str(job_exercise(j), "ex1", "for the exercise asked");
	json_free(res);
	job_free(j);

	script("fail", "#!/bin/sh\necho \"chanlab: no exercise '$6'\" >&2\nexit 2\n");
	j = run("fail", "nope");
	ok(j && wait_job(j, 5000) && !job_take_result(j), "a check that cannot run has no result");
	is_str(j ? job_error(j) : "", "no exercise 'nope'", "and says why in the words chanlab used");
	job_free(j);

	/* the check starts a program in a session of its own, as the sandbox does */
	snprintf(pidfile, sizeof(pidfile), "%s/orphan.pid", dir);
	script("slow", "#!/bin/sh\nsetsid sleep 60 &\necho $! >\"$2/orphan.pid\"\nsleep 60\n");
	j = run("slow", "ex1");
	for (int i = 0; i < 200 && !buf[0]; i++) {
		usleep(10000);
		if ((f = fopen(pidfile, "r"))) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = '\0';
			fclose(f);
		}
	}
	orphan = (pid_t)atoi(buf);
	ok(orphan > 0 && kill(orphan, 0) == 0, "a slow check runs a program in its own session");
	ok(j && !job_step(j), "and is still running");
	t0 = now_ms();
	job_free(j);
	ok(now_ms() - t0 < 2000, "canceling it is quick (%lld ms)", now_ms() - t0);
	ok(orphan > 0 && kill(orphan, 0) < 0 && errno == ESRCH, "and kills what it started, even in another session");
}

int main(void)
{
	char tmpl[] = "/tmp/chanlab-tui-watch.XXXXXX", cmd[300];

	if (!mkdtemp(tmpl))
		return 1;
	snprintf(dir, sizeof(dir), "%s", tmpl);
	plan(28);
	test_watch("inotify");
	test_watch("poll");
	test_replaced();
	test_job();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) < 0 ? 1 : done();
}

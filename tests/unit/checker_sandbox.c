/* checker/proc with sandbox: namespaces, private folder, limits, no leftovers. */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker/proc.h"
#include "tests/tap.h"

static int run_sh(struct proc_result *r, const char *script, double timeout)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct proc_opts o = PROC_OPTS_INIT;

	o.argv = argv;
	o.timeout = timeout;
	o.sandbox = true;
	o.nproc = 64;
	return proc_run(r, &o);
}

/* Processes whose command line contains marker (other tests may run
 * sandboxed programs at the same time, so only markers count). */
static int leftovers(const char *marker)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d))) {
		char path[300], buf[4096];
		FILE *f;
		size_t len;

		if (atoi(de->d_name) <= 0 || atoi(de->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		if ((f = fopen(path, "r"))) {
			len = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
			for (size_t i = 0; i < len; i++)
				if (!buf[i])
					buf[i] = ' ';
			buf[len] = '\0';
			if (marker && strstr(buf, marker))
				n++;
		}
	}
	closedir(d);
	return n;
}

int main(void)
{
	struct proc_result r;
	const char *why = "";
	char outside[128], how[200];
	bool iso = proc_sandbox_available(&why);

	plan(19);
	if (!iso)
		printf("# namespaces unavailable: %s\n", why);

	run_sh(&r, "echo $PPID; echo $TMPDIR; pwd; touch \"$TMPDIR/x\" && echo wrote", 5);
	ok(r.status == 0, "a sandboxed program runs (%s)", r.err);
	ok(strstr(r.out, "chanlab-run.") != NULL, "with a private temporary folder as TMPDIR and cwd");
	ok(strstr(r.out, "wrote") != NULL, "which it may write");
	if (iso)
		ok(strncmp(r.out, "1\n", 2) == 0, "its parent is the namespace's init (PID 1)");
	else
		ok(1, "# SKIP no PID namespace: %s", why);
	{
		char tmp[200] = "";

		sscanf(r.out, "%*d %199s", tmp);
		ok(tmp[0] && access(tmp, F_OK) != 0, "the private folder is removed afterwards");
	}
	proc_result_release(&r);

	run_sh(&r, "grep -c : /proc/net/dev", 5);
	if (iso)
		is_str(r.out, "1\n", "it sees only a loopback device: no network");
	else
		ok(1, "# SKIP no network namespace");
	proc_result_release(&r);

	snprintf(outside, sizeof(outside), "/tmp/chanlab-outside-%d", (int)getpid());
	{
		char script[300];

		snprintf(script, sizeof(script), "echo escaped > %s", outside);
		run_sh(&r, script, 5);
	}
	if (iso)
		ok(r.status != 0 && access(outside, F_OK) != 0, "writing outside its folder fails: %.60s", r.err);
	else
		ok(strstr(r.note, "not isolated") != NULL, "without namespaces the run carries a note: %.60s", r.note);
	unlink(outside);
	proc_result_release(&r);

	/* Its folder holds tmp_size bytes in all; past that, writes fail. */
	if (iso) {
		const char *argv[] = { "/bin/sh", "-c",
				       "for i in $(seq 100); do head -c 1048576 /dev/zero >f$i || exit 3; done", NULL };
		struct proc_opts o = PROC_OPTS_INIT;

		o.argv = argv;
		o.sandbox = true;
		o.timeout = 5;
		o.tmp_size = 8u << 20;
		proc_run(&r, &o);
		proc_describe(&r, how, sizeof(how));
		ok(r.status == 3 && r.tmp_full == o.tmp_size && strstr(how, "folder holds at most 8 MiB"),
		   "writing past its folder's cap fails and is said: %s", how);
		proc_result_release(&r);

		argv[2] = "i=0; while :; do i=$((i+1)); head -c 1048576 /dev/zero >f$i 2>/dev/null; done";
		o.timeout = 0.5;
		proc_run(&r, &o);
		proc_describe(&r, how, sizeof(how));
		ok(r.timed_out && r.tmp_full && r.seconds < 3, "so is a full folder at the timeout: %s", how);
		proc_result_release(&r);
	} else {
		run_sh(&r, "true", 5);
		ok(strstr(r.note, "no total size cap") != NULL, "without namespaces the note says its folder has no cap");
		ok(1, "# SKIP no mount namespace: the folder is on the disk");
		proc_result_release(&r);
	}

	run_sh(&r, "ulimit -n; ulimit -c", 5);
	is_str(r.out, "256\n0\n", "open files are limited and core dumps are off");
	proc_result_release(&r);

	/* A daemon: setsid plus a double fork, then the program exits. */
	run_sh(&r, "setsid sh -c 'sleep 3141 & sleep 3141' >/dev/null 2>&1 & echo parent-done", 5);
	ok(r.status == 0 && r.seconds < 2, "the program that started a daemon ends (%.2f s)", r.seconds);
	usleep(50000);
	is_int(leftovers("sleep 3141"), 0, "and its setsid daemon is gone");
	proc_result_release(&r);

	run_sh(&r, "sleep 3142 & sleep 3142 & exec sleep 3142", 0.5);
	ok(r.timed_out, "a program that sleeps forever times out");
	ok(r.seconds < 3, "within its limit (%.2f s)", r.seconds);
	is_int(leftovers("sleep 3142"), 0, "and nothing of it is left");
	proc_result_release(&r);

	/* A fork bomb is held by RLIMIT_NPROC under a throw-away uid. */
	run_sh(&r, "chlbomb() { chlbomb | chlbomb & }; chlbomb; sleep 1; echo survived", 3);
	ok(r.seconds < 6, "a fork bomb answers within its limits (%.2f s, %s)", r.seconds, proc_describe(&r, how, sizeof(how)));
	usleep(50000);
	is_int(leftovers("chlbomb"), 0, "and no process of it is left");
	proc_result_release(&r);

	run_sh(&r, "kill -ABRT $$", 5);
	ok(strstr(proc_describe(&r, how, sizeof(how)), "abort") != NULL, "abort is described: %s", how);
	proc_result_release(&r);

	run_sh(&r, "exec >&-; sleep 0.1; echo gone >&2", 5);
	ok(r.status != 0 || strstr(r.err, "gone"), "a program that closes stdout still finishes");
	proc_result_release(&r);
	return done();
}

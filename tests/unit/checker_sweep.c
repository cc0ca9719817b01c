/* checker/proc: a private folder left by a chanlab that was killed is
 * removed by the next sandboxed run in the same place; others are kept. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fs.h"
#include "checker/proc.h"
#include "tests/tap.h"

static int exists(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

int main(void)
{
	const char *argv[] = { "/bin/true", NULL };
	struct proc_opts o = PROC_OPTS_INIT;
	struct proc_result r;
	char dir[256], dead[64], live[64], path[512];
	pid_t child;
	int n = 0;

	plan(5);
	snprintf(dir, sizeof(dir), "/tmp/chanlab-sweep-%d", (int)getpid());
	fs_mkdirs(dir);
	chmod(dir, 0755);   /* as root the program runs under another uid */

	child = fork();     /* a pid that has certainly exited */
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	snprintf(dead, sizeof(dead), "chanlab-run.%d.AbCdEf", (int)child);
	snprintf(live, sizeof(live), "chanlab-run.%d.GhIjKl", (int)getppid());
	snprintf(path, sizeof(path), "%s/%s/left-behind", dir, dead);
	fs_mkdirs(path);
	/* As root, a run's folder belongs to the throw-away uid it ran as. */
	snprintf(path, sizeof(path), "%s/%s", dir, dead);
	if (geteuid() == 0 && chown(path, 1u << 30, 1u << 30) < 0)
		diag("cannot hand the folder to another uid");
	snprintf(path, sizeof(path), "%s/%s", dir, live);
	fs_mkdirs(path);
	snprintf(path, sizeof(path), "%s/chanlab-run.notapid", dir);
	fs_mkdirs(path);

	o.argv = argv;
	o.sandbox = true;
	o.tmp_parent = dir;
	ok(proc_run(&r, &o) == 0 && r.status == 0, "a sandboxed run in that folder works");
	proc_result_release(&r);

	ok(!exists(dir, dead), "the folder of a chanlab that died is removed, contents and all (owned by the uid its program ran as)");
	ok(exists(dir, live), "the folder of a chanlab that lives is kept");
	ok(exists(dir, "chanlab-run.notapid"), "a folder not named after a pid is kept");
	{
		char cmd[600];
		FILE *p;

		snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", dir);
		p = popen(cmd, "r");
		if (p && fscanf(p, "%d", &n) != 1)
			n = -1;
		if (p)
			pclose(p);
	}
	is_int(n, 2, "and the run's own folder is gone after it");
	fs_rmtree(dir);
	return done();
}

/* checker/sandbox: a chanlab killed right after it starts a run leaves
 * nothing behind. A sandbox's init that chanlab never let go must see its
 * sync pipe end (it would otherwise wait forever, holding what chanlab
 * held, such as an exercise's build lock), and without namespaces the
 * program dies with chanlab. Here a child plays chanlab: it starts the run
 * as proc.c does and dies before saying go. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checker/sandbox.h"
#include "tests/tap.h"

static char lockpath[128];

/* Plays chanlab: holds the build lock, makes the pipes, starts the child
 * with a plan of mode, tells us its pid on report and dies without letting
 * it go (as a kill -9 between the clone and the sync write would). */
static void fake_chanlab(enum sandbox_mode mode, int report)
{
	static const char *const argv[] = { "/bin/sleep", "100", NULL };
	static char *const envp[] = { NULL };
	struct sandbox_plan p = { 0 };
	int syncp[2], statp[2], lockfd, null;
	pid_t child;

	lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (lockfd < 0 || null < 0 || flock(lockfd, LOCK_EX) < 0 ||
	    pipe2(syncp, O_CLOEXEC) < 0 || pipe2(statp, O_CLOEXEC) < 0)
		_exit(1);
	p.mode = mode;
	p.argv = argv;
	p.envp = envp;
	p.in = p.out = p.err = null;
	p.pass = p.prog = -1;
	p.cpu = 100;
	p.nofile = 64;
	p.sync_r = syncp[0];
	p.sync_w = syncp[1];
	p.status_w = statp[1];
	child = sandbox_fork(0);
	if (child == 0)
		sandbox_enter(&p);
	if (child < 0 || write(report, &child, sizeof(child)) != sizeof(child))
		_exit(1);
	if (mode == SANDBOX_NONE) {   /* let the program get going first, sometimes */
		struct timespec ts = { 0, (long)(getpid() % 3) * 20000000L };

		nanosleep(&ts, NULL);
	}
	_exit(0);
}

/* Starts a fake chanlab with mode and waits up to 5 s for the child it
 * left to end; true if it did (it is killed and reaped otherwise). *how
 * gets its wait status. */
static bool ends(enum sandbox_mode mode, int *how)
{
	int rp[2];
	pid_t chanlab, child = -1;

	if (pipe(rp) < 0)
		return false;
	chanlab = fork();
	if (chanlab == 0) {
		close(rp[0]);
		fake_chanlab(mode, rp[1]);
	}
	close(rp[1]);
	if (read(rp[0], &child, sizeof(child)) != sizeof(child))
		child = -1;
	close(rp[0]);
	waitpid(chanlab, NULL, 0);
	if (child <= 0)
		return false;
	for (int i = 0; i < 500; i++) {
		struct timespec ts = { 0, 10000000L };

		if (waitpid(child, how, WNOHANG) == child)   /* ours: we are the subreaper */
			return true;
		nanosleep(&ts, NULL);
	}
	kill(child, SIGKILL);
	waitpid(child, how, 0);
	return false;
}

int main(void)
{
	int how = 0, fd, ended = 0, killed = 0;

	plan(6);
	snprintf(lockpath, sizeof(lockpath), "/tmp/chanlab-initrace-%d.lock", (int)getpid());
	prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);   /* orphans come to us */

	ended = ends(SANDBOX_ROOTNS, &how);
	ok(ended, "an init chanlab never let go ends when chanlab dies");
	ok(WIFEXITED(how) && WEXITSTATUS(how) == 127, "giving up (status %d)", how);
	fd = open(lockpath, O_RDWR | O_CLOEXEC);
	ok(ended && fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0, "and the build lock it held is free again");
	close(fd);

	ok(ends(SANDBOX_USERNS, &how), "the same for an init of a user namespace");
	ended = 0;

	for (int i = 0; i < 3; i++)
		if (ends(SANDBOX_NONE, &how)) {
			ended++;
			killed += (WIFSIGNALED(how) && WTERMSIG(how) == SIGKILL) ||
				  (WIFEXITED(how) && WEXITSTATUS(how) == 127);
		}
	is_int(ended, 3, "without namespaces the program dies with chanlab");
	is_int(killed, 3, "by the parent-death signal, or at once when chanlab was gone before");
	unlink(lockpath);
	return done();
}

/* checker/procscan: one process read from /proc, and every process listed. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checker/procscan.h"
#include "tests/tap.h"

struct seen {
	pid_t child;
	int children, processes;
};

static void look(const struct procscan_entry *e, void *payload)
{
	struct seen *s = payload;

	s->processes++;
	if (e->pid == s->child && e->ppid == getpid())
		s->children++;
}

static void *idle(void *arg)
{
	pause();
	return arg;
}

int main(void)
{
	struct procscan_entry self, child;
	struct seen s = { 0 };
	pthread_t t;

	plan(9);
	ok(procscan_read(&self, getpid()), "this process can be read");
	is_int(self.pid, getpid(), "its pid");
	is_int(self.ppid, getppid(), "its parent");
	is_int(self.uid, getuid(), "its real uid");
	is_int(self.threads, 1, "one thread");
	pthread_create(&t, NULL, idle, NULL);
	procscan_read(&self, getpid());
	is_int(self.threads, 2, "two once it starts another");

	s.child = fork();
	if (s.child == 0) {
		pause();
		_exit(0);
	}
	ok(procscan_read(&child, s.child) && child.started >= self.started,
	   "a child started later has a later start time");
	procscan_each(look, &s);
	ok(s.children == 1 && s.processes > 1, "the scan sees the child once, among %d processes", s.processes);
	kill(s.child, SIGKILL);
	waitpid(s.child, NULL, 0);
	ok(!procscan_read(&child, s.child), "a reaped process is gone");
	return done();
}

/* checker/procscan: one process read from /proc, and every process listed. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

/* Forks a child that waits; *arg gets its pid. */
static void *fork_pause(void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	*(pid_t *)arg = pid;
	return NULL;
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

	plan(12);
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

	/* A tree: a child that holds 64 MiB, and its own child, forked from
	 * a second thread (a child is listed under the thread that forked it). */
	int ready[2];
	static struct procscan_tree tree;
	size_t before;

	procscan_tree(&tree, getpid(), 0);
	before = tree.rss;
	is_int((int)tree.n, 1, "a tree of one process");
	pipe(ready);
	s.child = fork();
	if (s.child == 0) {
		char *volatile big;
		pid_t grandchild;

		pthread_create(&t, NULL, fork_pause, &grandchild);
		pthread_join(t, NULL);
		big = malloc(64u << 20);
		memset(big, 1, 64u << 20);
		write(ready[1], "x", 1);
		pause();
		_exit(big[0]);
	}
	char c;
	read(ready[0], &c, 1);
	procscan_tree(&tree, getpid(), 0);
	is_int((int)tree.n, 3, "it holds the child and the child's child");
	ok(tree.rss >= before + (64u << 20) && tree.rss < before + (80u << 20),
	   "and the 64 MiB the child holds (%zu KiB more)", (tree.rss - before) >> 10);
	for (size_t i = 1; i < tree.n; i++)
		kill(tree.pid[i], SIGKILL);
	waitpid(s.child, NULL, 0);
	return done();
}

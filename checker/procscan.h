/*
 * procscan — the machine's processes as /proc shows them.
 *
 * The one reader of /proc/PID for what chanlab needs to know about a
 * process it did not start itself: its parent, real uid, thread count and
 * start time. The runner uses it to find what a program left behind and to
 * count its uid's tasks, the shell to find a canceled check's adopted
 * programs. A process may end at any moment: one that vanishes while it is
 * read is simply not seen.
 */
#ifndef CHECKER_PROCSCAN_H
#define CHECKER_PROCSCAN_H

#include <stdbool.h>
#include <sys/types.h>

struct procscan_entry {
	pid_t pid;
	pid_t ppid;                  /* its parent (0 for the first process) */
	uid_t uid;                   /* its real uid */
	unsigned long threads;       /* its tasks (RLIMIT_NPROC counts each) */
	unsigned long long started;  /* its start time, clock ticks since boot */
};

/* Fills *out for pid. False when pid is gone or /proc cannot say. */
bool procscan_read(struct procscan_entry *out, pid_t pid);

/* Calls fn for every process /proc lists that could be read, this one
 * included, with payload passed through. fn may kill and reap the process
 * it is given. 0, or -1 when /proc cannot be listed (err_msg). */
int procscan_each(void (*fn)(const struct procscan_entry *e, void *payload), void *payload);

/* After a run without namespaces: kills and reaps what the program left.
 * That is every process of uid (the throw-away uid as root; 0: none), and
 * every child of ours (a subreaper gets the orphans) in the program's
 * session or in a session other than ours: a daemon that called setsid.
 * Children in our own session (the shell's editor) stay. Loops until
 * none is left. */
void procscan_sweep(uid_t uid, pid_t session);

/* The tasks (threads included, as RLIMIT_NPROC counts them) of uid. */
unsigned long procscan_tasks_of(uid_t uid);

/* A run's processes, as procscan_tree finds them, and what they hold. */
#define PROCSCAN_TREE_MAX 8192
struct procscan_tree {
	size_t n;
	size_t rss;                  /* resident bytes of their own, summed (each
				       process's anonymous and shared memory and its
				       page tables: not the files they map, which the
				       whole machine shares;
				       pages a fork still shares with its parent count
				       for both, as the kernel's counters say) */
	pid_t pid[PROCSCAN_TREE_MAX];
};

/* Fills *t with root and every process under it (its children, theirs,
 * ...). When session is not 0 (a run without namespaces, in its own
 * session), also the processes chanlab adopted from it as a subreaper:
 * chanlab's children in that session or in a session not chanlab's (a
 * daemon's), and what is under them. A process that ends meanwhile is
 * simply not counted. */
void procscan_tree(struct procscan_tree *t, pid_t root, pid_t session);

#endif

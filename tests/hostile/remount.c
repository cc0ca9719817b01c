/* Makes the read-only file system writable again, as issue 10 found it
 * done (mount_setattr, a remount, the same from a new user namespace),
 * then writes every path on its command line. Exits 0 if one write got
 * through, 1 if every one was refused. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <go.h>

struct mount_attr_v0 { uint64_t set, clr, propagation, userns_fd; };

/* dprintf, not printf: the children below are single threads of a
 * threaded program, where stdout's lock may be held by a vanished thread. */
static void say(const char *who, const char *what, long rc)
{
	dprintf(1, "%s: %s: %s\n", who, what, rc < 0 ? strerror(errno) : "done");
}

static int attempt(const char *who, int argc, char **argv)
{
	struct mount_attr_v0 rw = { .clr = 1 };   /* MOUNT_ATTR_RDONLY */
	int wrote = 0;

	say(who, "mount_setattr / read-write", syscall(442, AT_FDCWD, "/", 0x8000, &rw, sizeof(rw)));
	say(who, "remount / read-write", mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL));
	say(who, "remount /'s file system read-write", mount(NULL, "/", NULL, MS_REMOUNT, NULL));
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);

		say(who, argv[i], fd);
		if (fd >= 0 && write(fd, "escaped\n", 8) == 8)
			wrote++;
		if (fd >= 0)
			close(fd);
	}
	return wrote;
}

static int in_child(const char *who, unsigned long clone_flags, int unshare_flags, int argc, char **argv)
{
	int status = 0;
	pid_t pid = (pid_t)syscall(SYS_clone, clone_flags | SIGCHLD, NULL, NULL, NULL, NULL);

	if (pid < 0) {
		say(who, "clone", -1);
		return 0;
	}
	if (pid == 0) {
		if (unshare_flags)
			say(who, "unshare", unshare(unshare_flags));
		_exit(attempt(who, argc, argv) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int go_main(int argc, char **argv)
{
	int wrote = attempt("itself", argc, argv);

	wrote += in_child("after unshare", 0, CLONE_NEWUSER | CLONE_NEWNS, argc, argv);
	wrote += in_child("cloned into new namespaces", CLONE_NEWUSER | CLONE_NEWNS, 0, argc, argv);
	return wrote ? 0 : 1;
}

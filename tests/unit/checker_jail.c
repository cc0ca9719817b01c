/* checker/jail: a jailed program sees a minimal world, cannot take its
 * walls down, and still runs: threads, the runtime, sanitizers, valgrind.
 *
 * Each run starts as the sandbox does (a user, PID, mount and network
 * namespace, the private folder on a tmpfs, the jail entered by PID 1,
 * then the program by execveat of a file opened before the jail) or, for
 * the fallback, forks and hardens. The program is tests/hostile/walls.c:
 * one TAP line per probe it prints for the main runs, one line per run for
 * the others (as nobody, as root without a user namespace, hardened as
 * nobody). CHANLAB_JAIL_BENCH=N times N sandboxed runs of /bin/true with
 * and without the jail (default 20). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fs.h"
#include "checker/build.h"
#include "checker/jail.h"
#include "tests/tap.h"

struct spec {
	const char *name;
	const char *mode;   /* walls's: "jail", "stw" (stop_the_world) or "harden" */
	bool userns;        /* jailed: in a user namespace, else as real root */
	bool nobody;        /* become nobody (65534) first */
};

static char work[128], bin[160], runs[160], walls[200];
static pid_t test_pid;
static int walls_fd = -1;

/* In the chanlab side of a run. */
static uid_t cur_uid;   /* the uid the run switches to, or JAIL_SAME_UID */

/* --- one run ------------------------------------------------------------------ */

static int write_map(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return rc;
}

/* Maps uid and gid 0 of pid's user namespace to outside. */
static int map_ids(pid_t pid, unsigned outside)
{
	char map[64];

	snprintf(map, sizeof(map), "0 %u 1\n", outside);
	return write_map(pid, "uid_map", map) < 0 || write_map(pid, "setgroups", "deny") < 0 ||
	       write_map(pid, "gid_map", map) < 0 ? -1 : 0;
}

static uid_t throwaway(pid_t pid)
{
	return (uid_t)(0x40000000u + (unsigned)pid);
}

/* Says what the jail did (the line the test reads first), then runs walls
 * with stdout into out, as the sandbox runs a program. */
static void start_walls(const struct spec *s, int rc, const struct jail_status *st, const char *tmp, int out)
{
	char pid[16], root[4], cpus[16], landlock[16], tmpdir[300], home[300];
	char *const argv[] = { walls, (char *)(uintptr_t)s->mode, work, pid, root, cpus, landlock, NULL };
	char *const envp[] = { (char *)(uintptr_t)"PATH=/usr/bin:/bin", tmpdir, home, NULL };

	if (rc < 0)
		dprintf(out, "# failed at '%s': %s\n", st->failed ? st->failed : "?", err_msg());
	else
		dprintf(out, "# root %d, proc %d, landlock %d, seccomp %d\n", st->root, st->proc, st->landlock,
			st->seccomp);
	if (rc < 0)
		_exit(1);
	snprintf(pid, sizeof(pid), "%d", (int)test_pid);
	snprintf(root, sizeof(root), "%d", !s->nobody && (geteuid() == 0 || cur_uid != JAIL_SAME_UID));
	snprintf(cpus, sizeof(cpus), "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	snprintf(landlock, sizeof(landlock), "%d", st->landlock);
	snprintf(tmpdir, sizeof(tmpdir), "TMPDIR=%s", tmp);
	snprintf(home, sizeof(home), "HOME=%s", tmp);
	if (dup2(out, 1) < 0 || chdir(tmp) < 0)
		_exit(2);
	syscall(SYS_execveat, walls_fd, "", argv, envp, AT_EMPTY_PATH);
	dprintf(out, "# cannot start walls: %s\n", strerror(errno));
	_exit(127);
}

/* PID 1 of the run: the sandbox's init. */
static void init_side(const struct spec *s, struct jail *j, const char *tmp, int sync_r, int out)
{
	struct jail_status st;
	pid_t prog, w;
	char c;
	int rc;

	if (read(sync_r, &c, 1) != 1)
		_exit(2);
	if (s->userns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		_exit(2);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0700") < 0 ||
	    (cur_uid != JAIL_SAME_UID && chown(tmp, cur_uid, (gid_t)cur_uid) < 0)) {
		dprintf(out, "# failed at the private folder's tmpfs: %s\n", strerror(errno));
		_exit(2);
	}
	rc = jail_enter(j, cur_uid, &st);
	prog = rc < 0 ? 0 : fork();
	if (prog == 0)
		start_walls(s, rc, &st, tmp, out);
	while ((w = wait(NULL)) != prog && !(w < 0 && errno != EINTR))
		;
	_exit(0);
}

static int become_nobody(void)
{
	return setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0
		? -1 : 0;
}

/* The chanlab side of a run (a child of the test): makes the private
 * folder and the jail, starts the run, waits for it. */
static int host_side(const struct spec *s, int out)
{
	struct jail_plan plan = JAIL_PLAN_INIT;
	bool harden = strcmp(s->mode, "harden") == 0;
	struct jail_status st;
	struct jail *j;
	char tmp[256];
	int syncp[2];
	pid_t pid;

	/* As nobody, stay dumpable, as chanlab run by a user is: else
	 * /proc/PID/uid_map of the run belongs to root. */
	if (s->nobody && (become_nobody() < 0 || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)) {
		dprintf(out, "# cannot become nobody\n");
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s/run.XXXXXX", runs);
	if (!mkdtemp(tmp)) {
		dprintf(out, "# cannot make the private folder\n");
		return 1;
	}
	cur_uid = JAIL_SAME_UID;
	if (geteuid() == 0 && (harden || !s->userns)) {
		cur_uid = throwaway(getpid());
		if (harden && chown(tmp, cur_uid, (gid_t)cur_uid) < 0)
			return 1;
	}
	plan.tmp = tmp;
	plan.readonly[0] = bin;
	plan.shm_size = harden ? 0 : 1u << 20;
	plan.stop_the_world = strcmp(s->mode, "stw") == 0;
	j = jail_new(&plan);
	if (!j || pipe2(syncp, O_CLOEXEC) < 0) {
		dprintf(out, "# jail_new: %s\n", err_msg());
		fs_rmtree(tmp);
		return 1;
	}
	if (harden)
		pid = fork();
	else
		pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET |
				     (s->userns ? CLONE_NEWUSER : 0) | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0 && harden) {
		int rc;

		setsid();
		rc = jail_harden(j, cur_uid, &st);
		start_walls(s, rc, &st, tmp, out);
	}
	if (pid == 0)
		init_side(s, j, tmp, syncp[0], out);
	if (pid < 0 || (s->userns && !harden && map_ids(pid, geteuid() == 0 ? throwaway(pid) : geteuid()) < 0)) {
		dprintf(out, "# cannot start the run or map its ids: %s\n", strerror(errno));
		if (pid > 0)
			kill(pid, SIGKILL);
	}
	if (write(syncp[1], "g", 1) != 1 && pid > 0)
		kill(pid, SIGKILL);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	jail_free(j);
	fs_rmtree(tmp);
	return 0;
}

/* Everything the run said: the jail's line, then walls's. */
static char *run(const struct spec *s)
{
	struct buf said = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return strdup("# no pipe\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		_exit(host_side(s, p[1]));
	}
	close(p[1]);
	while ((n = read(p[0], chunk, sizeof(chunk))) > 0)
		buf_add(&said, chunk, (size_t)n);
	close(p[0]);
	waitpid(pid, NULL, 0);
	return buf_detach(&said);
}

/* Reads what a run said: its first line (what the jail did) into status,
 * and, with each, a TAP line per probe; else one for the run. expected is
 * how many probes walls has for the run's mode. */
static void report(const struct spec *s, char *said, int expected, bool each, const char *entered_as)
{
	char *status = said, *line, *next;
	int n = 0, failed = 0;

	next = strchr(said, '\n');
	if (next)
		*next++ = '\0';
	if (entered_as)
		ok(strstr(status, "seccomp 1") != NULL, "%s: %s", entered_as, status + 2);
	for (line = next; line && *line; line = next) {
		bool good = strncmp(line, "ok - ", 5) == 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!good && strncmp(line, "not ok - ", 9) != 0) {
			if (each || failed)
				printf("%s\n", line);
			continue;
		}
		n++;
		failed += !good;
		if (each)
			ok(good, "%s: %s", s->name, line + (good ? 5 : 9));
		else if (!good)
			printf("#   %s\n", line);
	}
	for (; each && n < expected; n++)
		ok(0, "%s: walls stopped early (%s)", s->name, status);
	if (!each)
		ok(n == expected && failed == 0, "%s: all %d probes pass (%d of %d ran; %s)", s->name, expected, n,
		   expected, status + 2);
	free(said);
}

static void skip_lines(int n, const char *why)
{
	while (n-- > 0)
		ok(1, "# SKIP %s", why);
}

/* --- the cost ------------------------------------------------------------------ */

/* One sandboxed run of /bin/true, clone to reaped: the seconds it took. */
static double timed_run(bool with_jail, const char *tmp)
{
	struct jail_plan plan = JAIL_PLAN_INIT;
	struct jail *j = NULL;
	double t0 = clock_now();
	int syncp[2];
	pid_t pid;
	char c;

	if (with_jail) {
		plan.tmp = tmp;
		j = jail_new(&plan);
		if (!j)
			return -1;
	}
	if (pipe2(syncp, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | SIGCHLD,
			     NULL, NULL, NULL, NULL);
	if (pid == 0) {
		struct { uint64_t set, clr, prop, userns; } ro = { 1, 0, 0, 0 }, rw = { 0, 1, 0, 0 };
		char *const argv[] = { (char *)(uintptr_t)"/bin/true", NULL };
		pid_t prog;

		if (read(syncp[0], &c, 1) != 1 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0700") < 0)
			_exit(2);
		if (with_jail && jail_enter(j, JAIL_SAME_UID, NULL) < 0)
			_exit(3);
		if (!with_jail && (syscall(SYS_mount_setattr, AT_FDCWD, "/", 0x8000, &ro, sizeof(ro)) < 0 ||
				   syscall(SYS_mount_setattr, AT_FDCWD, tmp, 0, &rw, sizeof(rw)) < 0))
			_exit(4);
		prog = fork();
		if (prog == 0) {
			execve(argv[0], argv, argv + 1);
			_exit(127);
		}
		waitpid(prog, NULL, 0);
		_exit(0);
	}
	close(syncp[0]);
	if (pid < 0 || map_ids(pid, geteuid() == 0 ? throwaway(pid) : geteuid()) < 0 || write(syncp[1], "g", 1) != 1) {
		close(syncp[1]);
		return -1;
	}
	close(syncp[1]);
	waitpid(pid, NULL, 0);
	jail_free(j);
	return clock_now() - t0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void measure(int n)
{
	double *with = calloc((size_t)n, sizeof(double)), *without = calloc((size_t)n, sizeof(double));
	char tmp[256];

	snprintf(tmp, sizeof(tmp), "%s/bench", runs);
	mkdir(tmp, 0700);
	for (int i = 0; with && without && i < n; i++) {
		without[i] = timed_run(false, tmp);
		with[i] = timed_run(true, tmp);
	}
	if (with && without) {
		qsort(with, (size_t)n, sizeof(double), by_value);
		qsort(without, (size_t)n, sizeof(double), by_value);
		printf("# a sandboxed /bin/true, clone to reaped, median of %d: %.3f ms without the jail, "
		       "%.3f ms with it (+%.3f ms)\n", n, without[n / 2] * 1e3, with[n / 2] * 1e3,
		       (with[n / 2] - without[n / 2]) * 1e3);
	}
	free(with);
	free(without);
}

static bool userns_works(void)
{
	int st = -1;
	pid_t pid;

	fflush(stdout);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | SIGCHLD,
			     NULL, NULL, NULL, NULL);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, &st, 0);
	return st == 0;
}

static bool build_fixture(const char *name, const char *flavour, const char *root, const char *b)
{
	char src[300], rtinc[300], rtlib[300], out[300];
	const char *sources[] = { src, NULL };
	struct build_opts o = BUILD_OPTS_INIT;
	struct build_result r;
	bool good;

	snprintf(src, sizeof(src), "%s/tests/hostile/%s.c", root, name);
	snprintf(rtinc, sizeof(rtinc), "%s/runtime", root);
	snprintf(rtlib, sizeof(rtlib), "%s%s%s/rt", b[0] == '/' ? "" : root, b[0] == '/' ? "" : "/", b);
	snprintf(out, sizeof(out), "%s/%s", bin, name);
	o.flavour = flavour;
	o.sources = sources;
	o.rt_include = rtinc;
	o.rt_libdir = rtlib;
	o.output = out;
	o.cwd = root;
	good = build_run(&r, &o) == 0 && r.ok;
	if (!good)
		printf("# %s (%s) did not build: %.300s\n", name, flavour, r.log ? r.log : err_msg());
	if (good || r.log)
		build_result_release(&r);
	return good;
}

static void put(const char *path, const char *text, unsigned mode)
{
	fs_write(path, text, strlen(text));
	chmod(path, mode);
}

static int listen_unix(const char *name, bool abstract)
{
	struct sockaddr_un a;
	size_t len = strlen(name);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path + abstract, name, len);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + abstract)) < 0 ||
	    listen(fd, 8) < 0)
		return -1;
	return fd;
}

int main(void)
{
	const char *b = getenv("B") ? getenv("B") : "build", *bench = getenv("CHANLAB_JAIL_BENCH");
	char *root = getcwd(NULL, 0), src[300], cmd[900], path[300];
	bool as_root = geteuid() == 0, userns = userns_works();
	const struct spec jail_root = { "jailed", "jail", true, false },
			  jail_stw = { "jailed, stop_the_world", "stw", true, false },
			  hardened = { as_root ? "hardened as a throw-away uid" : "hardened", "harden", false, false },
			  jail_nobody = { "jailed as nobody", "jail", true, true },
			  jail_rootns = { "jailed as root without a user namespace", "jail", false, false },
			  hard_nobody = { "hardened as nobody", "harden", false, true };
	struct jail_plan bad = JAIL_PLAN_INIT;
	int n_jail, n_stw, n_harden, sock, asock, left = 0;
	struct jail *j;

	test_pid = getpid();
	snprintf(work, sizeof(work), "/tmp/chanlab-jailtest.%d", (int)test_pid);
	snprintf(bin, sizeof(bin), "%s/bin", work);
	snprintf(runs, sizeof(runs), "%s/runs", work);
	snprintf(walls, sizeof(walls), "%s/walls", bin);
	fs_mkdirs(bin);
	fs_mkdirs(runs);
	chmod(work, 0755);
	chmod(bin, 0755);
	chmod(runs, 01777);

	/* The host's things walls must not see or reach (names as walls.c says). */
	snprintf(path, sizeof(path), "%s/home", work);
	fs_mkdirs(path);
	snprintf(path, sizeof(path), "%s/home/progress.db", work);
	put(path, "the record\n", 0644);
	snprintf(path, sizeof(path), "%s/pack/ex/solution", work);
	fs_mkdirs(path);
	snprintf(path, sizeof(path), "%s/pack/ex/solution/prog.c", work);
	put(path, "int main(void) { return 0; }\n", 0644);
	snprintf(path, sizeof(path), "/tmp/chanlab-jail-marker.%d", (int)test_pid);
	put(path, "host\n", 0644);
	snprintf(path, sizeof(path), "/dev/shm/chanlab-jail-marker.%d", (int)test_pid);
	put(path, "host\n", 0644);
	snprintf(path, sizeof(path), "/tmp/chanlab-jail-sock.%d", (int)test_pid);
	sock = listen_unix(path, false);
	chmod(path, 0777);
	snprintf(path, sizeof(path), "chanlab-jail-sock.%d", (int)test_pid);
	asock = listen_unix(path, true);

	snprintf(src, sizeof(src), "%s/hello.c", work);
	put(src, "#include <pthread.h>\n#include <stdio.h>\n#include <unistd.h>\n"
		 "static void *run(void *arg) { printf(\"hello from a thread, %ld cpus\\n\", "
		 "sysconf(_SC_NPROCESSORS_ONLN)); return arg; }\n"
		 "int main(void) { pthread_t t; pthread_create(&t, NULL, run, NULL); return pthread_join(t, NULL); }\n",
	    0644);
	snprintf(cmd, sizeof(cmd), "cc -pthread -O1 -o %s/hello %s 2>&1", bin, src);
	printf("%s", sh("%s", cmd));
	build_fixture("walls", "normal", root, b);
	build_fixture("remount", "normal", root, b);
	build_fixture("unixsock", "normal", root, b);
	build_fixture("leak", "asan", root, b);
	build_fixture("race", "tsan", root, b);
	walls_fd = open(walls, O_PATH | O_CLOEXEC);
	n_jail = atoi(sh("%s --count jail", walls));
	n_stw = atoi(sh("%s --count stw", walls));
	n_harden = atoi(sh("%s --count harden", walls));

	plan(n_jail + n_stw + n_harden + 3 + 7);
	printf("# %s\n", userns ? "user namespaces work" : "no user namespaces");
	ok(walls_fd >= 0 && n_jail > 0 && n_stw > 0 && n_harden > 0, "tests/hostile/walls.c builds: %d, %d and %d probes",
	   n_jail, n_stw, n_harden);

	/* The socket probe can tell: outside a jail it reaches both. */
	{
		const char *said = sh("%s/unixsock /tmp/chanlab-jail-sock.%d chanlab-jail-sock.%d 2>&1; echo status=$?",
				      bin, (int)test_pid, (int)test_pid);
		int a = sock >= 0 ? accept(sock, NULL, NULL) : -1, b2 = asock >= 0 ? accept(asock, NULL, NULL) : -1;

		ok(a >= 0 && b2 >= 0 && strstr(said, "status=0"), "outside a jail tests/hostile/unixsock.c reaches both sockets");
		if (a >= 0)
			close(a);
		if (b2 >= 0)
			close(b2);
	}

	bad.readonly[0] = "relative/path";
	j = jail_new(&bad);
	ok(!j && strstr(err_msg(), "not an absolute path"), "jail_new refuses a relative path: %s", err_msg());
	jail_free(j);

	if (userns) {
		report(&jail_root, run(&jail_root), n_jail, true, "jail_enter");
		report(&jail_stw, run(&jail_stw), n_stw, true, NULL);
	} else {
		skip_lines(1 + n_jail + n_stw, "no user namespaces");
	}
	report(&hardened, run(&hardened), n_harden, true, "jail_harden");

	if (as_root && userns)
		report(&jail_nobody, run(&jail_nobody), n_jail, false, NULL);
	else
		skip_lines(1, "needs root (to become nobody) and user namespaces");
	if (as_root) {
		report(&jail_rootns, run(&jail_rootns), n_jail, false, NULL);
		report(&hard_nobody, run(&hard_nobody), n_harden, false, NULL);
	} else {
		skip_lines(2, "needs root");
	}

	for (int i = 0; i < 5; i++) {
		const char *dirs[] = { "", "/usr", "/etc", NULL, "/tmp" };

		if (dirs[i])
			snprintf(path, sizeof(path), "%s/chanlab-jail-escape.%d", dirs[i], (int)test_pid);
		else
			snprintf(path, sizeof(path), "%s/escape", bin);
		if (access(path, F_OK) == 0) {
			printf("#   '%s' was written\n", path);
			unlink(path);
			left++;
		}
	}
	ok(left == 0, "nothing a program tried to write exists on the host");
	{
		int a = sock >= 0 ? accept(sock, NULL, NULL) : 0, e = errno;
		int b2 = asock >= 0 ? accept(asock, NULL, NULL) : 0, e2 = errno;

		ok(sock >= 0 && asock >= 0 && a < 0 && b2 < 0 && e == EAGAIN && e2 == EAGAIN,
		   "and no program reached the host's unix sockets");
	}

	if (userns)
		measure(bench ? atoi(bench) : 20);
	snprintf(path, sizeof(path), "/tmp/chanlab-jail-sock.%d", (int)test_pid);
	unlink(path);
	snprintf(path, sizeof(path), "/tmp/chanlab-jail-marker.%d", (int)test_pid);
	unlink(path);
	snprintf(path, sizeof(path), "/dev/shm/chanlab-jail-marker.%d", (int)test_pid);
	unlink(path);
	fs_rmtree(work);
	free(root);
	return done();
}

/* Knocks on every wall of the sandbox from inside, and checks that a
 * program still runs there: tests/unit/checker_jail.c runs it in each kind
 * of jail (started as the sandbox starts a program: execveat of a file
 * opened before the jail). Prints one line per probe, "ok - what" or
 * "not ok - what" followed by "#   why".
 *
 *   walls MODE WORK TESTPID ROOT CPUS LANDLOCK
 *     MODE      jail, stw (jail with stop_the_world) or harden
 *     WORK      the test's folder: bin/ (the build outputs: hello, remount,
 *               unixsock, leak, race), home/progress.db, pack/ex/solution/
 *     TESTPID   names the host's files it must not see or write:
 *               /tmp/chanlab-jail-{marker,sock,escape}.TESTPID and the like
 *     ROOT      1 if chanlab ran as root (the bounding set is then empty)
 *     CPUS      the host's online CPUs
 *     LANDLOCK  the Landlock ABI the jail said it applied
 *   walls --count MODE   prints how many lines walls MODE prints here
 *
 * Its private folder is $TMPDIR. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include <go.h>

/* The runs a probe belongs to. */
enum {
	J = 1,     /* jailed */
	S = 2,     /* jailed with stop_the_world */
	H = 4,     /* hardened, without namespaces */
	HL = 8,    /* hardened, where the kernel has Landlock */
	H6 = 16,   /* hardened, where Landlock's ABI is 6 or later (scopes) */
};

struct probe {
	const char *what;
	const char *(*fn)(void);
	unsigned runs;
};

static unsigned cur;              /* J, S or H */
static const char *cur_tmp;       /* $TMPDIR */
static int cur_landlock, host_landlock;
static bool cur_root;
static long host_cpus;
static pid_t test_pid;
static char work[256], bin[300], home_db[300], solution[300];
static char marker_tmp[96], marker_shm[96], sock_path[96], sock_name[64];
static char escapes[5][300];

static char why[240];

static const char *fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

static bool jailed(void)
{
	return cur & (J | S);
}

/* -1 with errno e, or the failure said. */
static const char *refused(const char *what, long rc, int e)
{
	if (rc != -1)
		return fail("%s: returned %ld", what, rc);
	if (errno != e)
		return fail("%s: %s, not %s", what, strerror(errno), strerror(e));
	return NULL;
}

#define REFUSED(call, e) do { const char *w_ = refused(#call, (long)(call), e); if (w_) return w_; } while (0)

/* Runs argv with stdout and stderr into out; the wait status, or -1. */
static int spawn(const char *const *argv, const char *extra_env, char *out, size_t size)
{
	char tmpdir[300], home[300];
	const char *envp[] = { "PATH=/usr/bin:/bin", tmpdir, home, extra_env, NULL };
	int p[2], status = -1;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	snprintf(tmpdir, sizeof(tmpdir), "TMPDIR=%s", cur_tmp);
	snprintf(home, sizeof(home), "HOME=%s", cur_tmp);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execve(argv[0], (char *const *)(uintptr_t)argv, (char *const *)(uintptr_t)envp);
		_exit(127);
	}
	close(p[1]);
	while (pid > 0 && (n = read(p[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return status;
}

static bool built(const char *name)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/%s", bin, name);
	return access(path, X_OK) == 0;
}

/* --- what it sees ---------------------------------------------------------- */

/* Jailed: not there at all; hardened: not to be opened. */
static const char *unseen(const char *path)
{
	struct stat st;
	int fd;

	if (jailed())
		return lstat(path, &st) == 0 ? fail("'%s' is there", path) : NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return fail("'%s' can be opened", path);
	}
	return NULL;
}

static const char *p_home(void) { return unseen("/home"); }
static const char *p_root(void) { return unseen("/root"); }
static const char *p_run(void) { return unseen("/run"); }
static const char *p_sys(void) { return unseen("/sys"); }
static const char *p_host_tmp(void) { return unseen(marker_tmp); }
static const char *p_host_shm(void) { return unseen(marker_shm); }
static const char *p_chanlab_home(void) { return unseen(home_db); }
static const char *p_pack(void) { return unseen(solution); }

/* The names in dir are all among allowed (a NULL-ended list). */
static const char *only(const char *dir, const char *const *allowed)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	const char *w = NULL;

	if (!d)
		return fail("cannot list '%s': %s", dir, strerror(errno));
	while (!w && (de = readdir(d))) {
		size_t i = 0;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		while (allowed[i] && strcmp(allowed[i], de->d_name) != 0)
			i++;
		if (!allowed[i])
			w = fail("'%s' holds '%s'", dir, de->d_name);
	}
	closedir(d);
	return w;
}

static const char *p_root_list(void)
{
	static const char *const names[] = { "bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc",
					     "sbin", "tmp", "usr", NULL };

	return only("/", names);
}

static const char *p_etc_list(void)
{
	static const char *const names[] = { "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
					     "nsswitch.conf", "alternatives", "passwd", "group", NULL };

	return only("/etc", names);
}

static const char *p_dev_list(void)
{
	static const char *const names[] = { "null", "zero", "full", "random", "urandom", "fd", "stdin",
					     "stdout", "stderr", "shm", NULL };

	return only("/dev", names);
}

static const char *p_tmp_list(void)
{
	const char *names[] = { strrchr(work, '/') + 1, NULL };

	return only("/tmp", names);
}

static const char *p_proc_own(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;
	char self[64] = "";

	if (!d)
		return fail("no /proc: %s", strerror(errno));
	while ((de = readdir(d)))
		n += atoi(de->d_name) > 0;
	closedir(d);
	if (readlink("/proc/self", self, sizeof(self) - 1) < 0 || atoi(self) != getpid())
		return fail("/proc/self is '%s', not %d", self, (int)getpid());
	return n < 10 ? NULL : fail("/proc shows %d processes", n);
}

/* PID 1 is chanlab's clone, with chanlab's environment and descriptors. */
static const char *p_init(void)
{
	const char *files[] = { "/proc/1/environ", "/proc/1/mem", "/proc/1/fd/0" };
	char link[64];

	for (size_t i = 0; i < 3; i++) {
		int fd = open(files[i], O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			return fail("'%s' can be opened", files[i]);
		}
	}
	return readlink("/proc/1/root", link, sizeof(link)) < 0 ? NULL : fail("/proc/1/root can be read");
}

/* Without namespaces its parent is chanlab itself, maybe of the same uid. */
static const char *p_parent(void)
{
	const char *files[] = { "environ", "mem", "fd/0" };
	char path[64];

	for (size_t i = 0; i < 3; i++) {
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/%s", (int)getppid(), files[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			return fail("'%s' can be opened", path);
		}
	}
	return NULL;
}

/* --- what it cannot write -------------------------------------------------- */

static const char *unwritable(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0) {
		close(fd);
		return fail("'%s' could be written", path);
	}
	return NULL;
}

static const char *p_write_root(void)
{
	if (mkdir("/chanlab-jail-dir", 0755) == 0)
		return fail("mkdir / worked");
	return unwritable(escapes[0]);
}

static const char *p_write_usr(void)
{
	const char *w = unwritable(escapes[1]);

	return w ? w : unwritable("/usr/bin/true");
}

static const char *p_write_etc(void)
{
	const char *w = unwritable(escapes[2]);

	return w ? w : unwritable("/etc/passwd");
}

static const char *p_write_bin(void)
{
	char hello[200];
	const char *w = unwritable(escapes[3]);

	snprintf(hello, sizeof(hello), "%s/hello", bin);
	return w ? w : unwritable(hello);
}

/* The hostile program of tests/hostile/remount.c. */
static const char *p_remount_program(void)
{
	char prog[200], out[4096];
	const char *argv[] = { prog, escapes[0], escapes[1], escapes[2], escapes[3], escapes[4], NULL };
	int st;

	if (!built("remount"))
		return fail("tests/hostile/remount.c did not build");
	snprintf(prog, sizeof(prog), "%s/remount", bin);
	st = spawn(argv, NULL, out, sizeof(out));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 1)
		return fail("status %d: %.200s", st, out);
	return NULL;
}

static const char *p_mount(void)
{
	REFUSED(mount("none", cur_tmp, "tmpfs", 0, NULL), EPERM);
	REFUSED(mount(cur_tmp, cur_tmp, NULL, MS_BIND, NULL), EPERM);
	return NULL;
}

static const char *p_remount(void)
{
	struct statvfs v;

	REFUSED(mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL), EPERM);
	REFUSED(mount(NULL, "/", NULL, MS_REMOUNT, NULL), EPERM);
	REFUSED(mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL), EPERM);
	if (jailed() && (statvfs("/", &v) < 0 || !(v.f_flag & ST_RDONLY)))
		return fail("/ is not read-only");
	return NULL;
}

static const char *p_mount_setattr(void)
{
	struct { uint64_t set, clr, prop, userns; } rw = { 0, 1, 0, 0 };

	REFUSED(syscall(SYS_mount_setattr, AT_FDCWD, "/", 0x8000, &rw, sizeof(rw)), EPERM);
	REFUSED(syscall(SYS_mount_setattr, AT_FDCWD, "/usr", 0, &rw, sizeof(rw)), EPERM);
	return NULL;
}

static const char *p_umount(void)
{
	REFUSED(umount2("/usr", MNT_DETACH), EPERM);
	REFUSED(umount2("/proc", 0), EPERM);
	return NULL;
}

static const char *p_new_mount_api(void)
{
	REFUSED(syscall(SYS_open_tree, AT_FDCWD, "/usr", 1), EPERM);
	REFUSED(syscall(SYS_fsopen, "tmpfs", 0), EPERM);
	REFUSED(syscall(SYS_fspick, AT_FDCWD, "/", 0), EPERM);
	REFUSED(syscall(SYS_fsmount, 0, 0, 0), EPERM);
	REFUSED(syscall(SYS_fsconfig, 0, 0, NULL, NULL, 0), EPERM);
	REFUSED(syscall(SYS_move_mount, AT_FDCWD, "/usr", AT_FDCWD, "/tmp", 0), EPERM);
	REFUSED(syscall(SYS_pivot_root, ".", "."), EPERM);
	REFUSED(chroot("/"), EPERM);
	return NULL;
}

/* --- what it cannot call --------------------------------------------------- */

static const char *p_unshare(void)
{
	REFUSED(unshare(CLONE_NEWUSER), EPERM);
	REFUSED(unshare(CLONE_NEWNS), EPERM);
	REFUSED(unshare(CLONE_NEWNET), EPERM);
	return NULL;
}

static const char *p_setns(void)
{
	int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	const char *w;

	if (fd < 0)
		return fail("cannot open /proc/self/ns/mnt: %s", strerror(errno));
	w = refused("setns", setns(fd, 0), EPERM);
	close(fd);
	return w;
}

/* A process to trace: exec'd, so dumpable like any program (the jail's
 * init is not: it became root in its namespace). */
static pid_t sleeper(void)
{
	char *const argv[] = { (char *)(uintptr_t)"/bin/sleep", (char *)(uintptr_t)"100", NULL };
	pid_t pid = fork();

	if (pid == 0) {
		execve(argv[0], argv, argv + 2);
		_exit(127);
	}
	usleep(20000);
	return pid;
}

static const char *p_ptrace(void)
{
	pid_t child = sleeper();
	const char *w = refused("PTRACE_ATTACH", ptrace(PTRACE_ATTACH, child, NULL, NULL), EPERM);

	if (!w)
		w = refused("PTRACE_SEIZE", ptrace(PTRACE_SEIZE, child, NULL, NULL), EPERM);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return w ? w : refused("PTRACE_TRACEME", ptrace(PTRACE_TRACEME, 0, NULL, NULL), EPERM);
}

/* With stop_the_world: LeakSanitizer's requests work, no other does. */
static const char *p_ptrace_stw(void)
{
	pid_t child = sleeper();
	struct user_regs_struct regs;
	const char *w = NULL;
	int st;

	if (ptrace(PTRACE_ATTACH, child, NULL, NULL) < 0)
		w = fail("PTRACE_ATTACH: %s", strerror(errno));
	else if (waitpid(child, &st, __WALL) != child || !WIFSTOPPED(st))
		w = fail("the child did not stop");
	else if (ptrace(PTRACE_GETREGS, child, NULL, &regs) < 0)
		w = fail("PTRACE_GETREGS: %s", strerror(errno));
	else if (!(w = refused("PTRACE_PEEKDATA", ptrace(PTRACE_PEEKDATA, child, &regs, NULL), EPERM)) &&
		 !(w = refused("PTRACE_POKEDATA", ptrace(PTRACE_POKEDATA, child, &regs, 0), EPERM)) &&
		 !(w = refused("PTRACE_SETREGS", ptrace(PTRACE_SETREGS, child, NULL, &regs), EPERM)) &&
		 !(w = refused("PTRACE_SYSCALL", ptrace(PTRACE_SYSCALL, child, NULL, NULL), EPERM)) &&
		 !(w = refused("PTRACE_SETOPTIONS", ptrace(PTRACE_SETOPTIONS, child, NULL, 0), EPERM)) &&
		 !(w = refused("PTRACE_SEIZE", ptrace(PTRACE_SEIZE, child, NULL, NULL), EPERM)) &&
		 !(w = refused("request -1", ptrace((enum __ptrace_request)-1, child, NULL, NULL), EPERM)) &&
		 ptrace(PTRACE_DETACH, child, NULL, NULL) < 0)
		w = fail("PTRACE_DETACH: %s", strerror(errno));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return w ? w : refused("PTRACE_TRACEME", ptrace(PTRACE_TRACEME, 0, NULL, NULL), EPERM);
}

static const char *p_other_memory(void)
{
	char a[8] = "secret", b[8];
	struct iovec l = { b, sizeof(b) }, r = { a, sizeof(a) };
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	const char *w;

	REFUSED(process_vm_readv(getpid(), &l, 1, &r, 1, 0), EPERM);
	REFUSED(process_vm_writev(getpid(), &l, 1, &r, 1, 0), EPERM);
	REFUSED(syscall(SYS_kcmp, getpid(), getpid(), 0, 0, 0), EPERM);
	if (pidfd < 0)
		return fail("pidfd_open: %s", strerror(errno));
	w = refused("pidfd_getfd", syscall(SYS_pidfd_getfd, pidfd, 0, 0), EPERM);
	close(pidfd);
	return w;
}

static const char *p_kernel_objects(void)
{
	REFUSED(syscall(SYS_bpf, 0, NULL, 0), EPERM);
	REFUSED(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0), EPERM);
	REFUSED(syscall(SYS_userfaultfd, 0), EPERM);
	return NULL;
}

static const char *p_hidden_memory(void)
{
	REFUSED(syscall(SYS_memfd_create, "chanlab", 0), EPERM);
	REFUSED(shmget(IPC_PRIVATE, 1u << 20, IPC_CREAT | 0600), EPERM);
	return NULL;
}

static const char *p_io_uring(void)
{
	char params[120] = { 0 };

	REFUSED(syscall(SYS_io_uring_setup, 4, params), EPERM);
	REFUSED(syscall(SYS_io_uring_enter, 0, 0, 0, 0, NULL, 0), EPERM);
	REFUSED(syscall(SYS_io_uring_register, 0, 0, NULL, 0), EPERM);
	return NULL;
}

static const char *p_keys(void)
{
	REFUSED(syscall(SYS_keyctl, 0, -3, 0), EPERM);
	REFUSED(syscall(SYS_add_key, "user", "chanlab", "x", 1, -3), EPERM);
	REFUSED(syscall(SYS_request_key, "user", "chanlab", NULL, 0), EPERM);
	return NULL;
}

static const char *p_machine(void)
{
	REFUSED(syscall(SYS_kexec_load, 0, 0, NULL, 0), EPERM);
	REFUSED(syscall(SYS_kexec_file_load, -1, -1, 0, NULL, 0), EPERM);
	REFUSED(syscall(SYS_init_module, NULL, 0, ""), EPERM);
	REFUSED(syscall(SYS_finit_module, -1, "", 0), EPERM);
	REFUSED(syscall(SYS_delete_module, "chanlab", 0), EPERM);
	REFUSED(syscall(SYS_reboot, 0, 0, 0, NULL), EPERM);
	REFUSED(syscall(SYS_swapon, "/x", 0), EPERM);
	REFUSED(syscall(SYS_swapoff, "/x"), EPERM);
	REFUSED(syscall(SYS_acct, NULL), EPERM);
	REFUSED(syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0), EPERM);
#if defined(__x86_64__) || defined(__i386__)
	REFUSED(syscall(SYS_iopl, 3), EPERM);
	REFUSED(syscall(SYS_ioperm, 0x80, 1, 1), EPERM);
#endif
	return NULL;
}

static const char *p_clone_ns(void)
{
	static const unsigned long flags[] = { CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET,
					       CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP };

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		long pid = syscall(SYS_clone, flags[i] | SIGCHLD, NULL, NULL, NULL, NULL);

		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid((pid_t)pid, NULL, 0);
		if (pid != -1 || errno != EPERM)
			return fail("clone with flag %#lx: %s", flags[i], pid > 0 ? "a child" : strerror(errno));
	}
	return NULL;
}

static void *thread_main(void *arg)
{
	return arg;
}

static const char *p_clone3(void)
{
	struct clone_args a;
	pthread_t t;
	void *back = NULL;
	long pid;

	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &a, sizeof(a));
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	if (pid != -1 || errno != ENOSYS)
		return fail("clone3: %s", pid > 0 ? "a child" : strerror(errno));
	if (pthread_create(&t, NULL, thread_main, (void *)&a) != 0 || pthread_join(t, &back) != 0 || back != &a)
		return fail("pthread_create does not fall back to clone");
	return NULL;
}

#ifdef __x86_64__
/* A system call of another ABI, in a child: it must die of SIGSYS. A
 * kernel built without i386 emulation (ia32_emulation off) has no int 0x80
 * to filter: the instruction faults (SIGSEGV) before any system call, and
 * that wall is the kernel's. */
static const char *other_abi(const char *what, bool i386)
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		long rc;

		signal(SIGSEGV, SIG_DFL);   /* not the runtime's crash report */
		if (i386)
			__asm__ volatile("int $0x80" : "=a"(rc) : "a"(20L) : "memory");   /* getpid */
		else
			rc = syscall(0x40000000L | SYS_getpid);
		_exit(rc < 0 ? 2 : 0);
	}
	waitpid(pid, &st, 0);
	if (i386 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
		return NULL;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS ? NULL : fail("%s: wait status %#x", what, st);
}

static const char *p_i386(void) { return other_abi("int 0x80", true); }
static const char *p_x32(void) { return other_abi("x32", false); }
#endif

static const char *p_sockets(void)
{
	char prog[200], out[1024];
	const char *argv[] = { prog, sock_path, sock_name, NULL };
	int st;

	if (!built("unixsock"))
		return fail("tests/hostile/unixsock.c did not build");
	snprintf(prog, sizeof(prog), "%s/unixsock", bin);
	st = spawn(argv, NULL, out, sizeof(out));
	return WIFEXITED(st) && WEXITSTATUS(st) == 1 ? NULL : fail("status %d: %.200s", st, out);
}

static const char *p_signals(void)
{
	return refused("kill(the test, 0)", kill(test_pid, 0), EPERM);
}

/* --- what it is ------------------------------------------------------------- */

/* The value of field in /proc/self/status, or "". */
static const char *status_field(const char *field)
{
	static char value[64];
	char line[256];
	size_t n = strlen(field);
	FILE *f = fopen("/proc/self/status", "re");

	value[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			sscanf(line + n + 1, "%63s", value);
	if (f)
		fclose(f);
	return value;
}

static const char *p_caps(void)
{
	const char *fields[] = { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" };

	for (size_t i = 0; i < 5; i++) {
		const char *v = status_field(fields[i]);

		if (i == 3 && !jailed() && !cur_root)
			continue;   /* an ordinary user cannot empty the bounding set */
		if (strcmp(v, "0000000000000000") != 0)
			return fail("%s is '%s'", fields[i], v);
	}
	return NULL;
}

static const char *p_nnp(void)
{
	const char *v = status_field("NoNewPrivs");

	return strcmp(v, "1") == 0 && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? NULL : fail("NoNewPrivs is '%s'", v);
}

static const char *p_seccomp(void)
{
	const char *v = status_field("Seccomp");

	return strcmp(v, "2") == 0 ? NULL : fail("Seccomp is '%s'", v);
}

static const char *p_landlock(void)
{
	return cur_landlock == host_landlock ? NULL : fail("Landlock ABI %d, the kernel has %d", cur_landlock, host_landlock);
}

/* --- what it can still do --------------------------------------------------- */

static const char *p_tmp_writable(void)
{
	char a[300], b[300], d[300], l[300], f[300];
	int fd;

	snprintf(a, sizeof(a), "%s/a", cur_tmp);
	snprintf(b, sizeof(b), "%s/b", cur_tmp);
	snprintf(d, sizeof(d), "%s/d", cur_tmp);
	snprintf(l, sizeof(l), "%s/l", cur_tmp);
	snprintf(f, sizeof(f), "%s/f", cur_tmp);
	fd = open(a, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "x", 1) != 1 || ftruncate(fd, 0) < 0)
		return fail("cannot write '%s': %s", a, strerror(errno));
	close(fd);
	if (rename(a, b) < 0 || mkdir(d, 0755) < 0 || symlink("b", l) < 0 || mkfifo(f, 0644) < 0)
		return fail("cannot rename, mkdir, symlink or mkfifo: %s", strerror(errno));
	if (unlink(b) < 0 || unlink(l) < 0 || unlink(f) < 0 || rmdir(d) < 0)
		return fail("cannot remove: %s", strerror(errno));
	return NULL;
}

static const char *p_devices(void)
{
	char buf[16];
	int fd;

	if ((fd = open("/dev/null", O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0 || write(fd, "x", 1) != 1)
		return fail("/dev/null: %s", strerror(errno));
	close(fd);
	if ((fd = open("/dev/zero", O_RDONLY | O_CLOEXEC)) < 0 || read(fd, buf, sizeof(buf)) != sizeof(buf) || buf[7])
		return fail("/dev/zero: %s", strerror(errno));
	close(fd);
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) < 0 || read(fd, buf, sizeof(buf)) != sizeof(buf))
		return fail("/dev/urandom: %s", strerror(errno));
	close(fd);
	if ((fd = open("/dev/full", O_WRONLY | O_CLOEXEC)) < 0 || write(fd, "x", 1) != -1 || errno != ENOSPC)
		return fail("/dev/full: %s", strerror(errno));
	close(fd);
	return NULL;
}

static const char *p_true(void)
{
	const char *argv[] = { "/bin/true", NULL };
	char out[256];
	int st = spawn(argv, NULL, out, sizeof(out));

	return st == 0 ? NULL : fail("status %d: %.200s", st, out);
}

static const char *p_hello(void)
{
	char prog[200], out[512], want[64];
	const char *argv[] = { prog, NULL };
	int st;

	if (!built("hello"))
		return fail("cc did not build hello.c");
	snprintf(prog, sizeof(prog), "%s/hello", bin);
	snprintf(want, sizeof(want), "hello from a thread, %ld cpus\n", host_cpus);
	st = spawn(argv, NULL, out, sizeof(out));
	return st == 0 && strcmp(out, want) == 0 ? NULL : fail("status %d: %.200s", st, out);
}

static const char *p_shell(void)
{
	const char *argv[] = { "/bin/sh", "-c", "cd \"$TMPDIR\" && echo hi >f && cat f && rm f && ls /dev/stdin >/dev/null", NULL };
	char out[512];
	int st = spawn(argv, NULL, out, sizeof(out));

	return st == 0 && strcmp(out, "hi\n") == 0 ? NULL : fail("status %d: %.200s", st, out);
}

static const char *p_sem(void)
{
	sem_t *s = sem_open("/chanlab-jail", O_CREAT, 0600, 1);
	int fd;

	if (s == SEM_FAILED)
		return fail("sem_open: %s", strerror(errno));
	sem_close(s);
	sem_unlink("/chanlab-jail");
	fd = shm_open("/chanlab-jail", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail("shm_open: %s", strerror(errno));
	close(fd);
	shm_unlink("/chanlab-jail");
	return NULL;
}

static const char *sanitized(const char *name, const char *env, const char *want, int status)
{
	static char out[16384];
	char prog[200];
	const char *argv[] = { prog, NULL };
	int st;

	if (!built(name))
		return fail("tests/hostile/%s.c did not build", name);
	snprintf(prog, sizeof(prog), "%s/%s", bin, name);
	st = spawn(argv, env, out, sizeof(out));
	if (!strstr(out, want) || (status >= 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != status)))
		return fail("status %d: %.200s", st, out);
	return NULL;
}

static const char *p_leak(void)
{
	return sanitized("leak", "ASAN_OPTIONS=detect_leaks=1",
			 "ERROR: LeakSanitizer: detected memory leaks", -1);
}

static const char *p_leak_needs_stw(void)
{
	return sanitized("leak", "ASAN_OPTIONS=detect_leaks=1",
			 "LeakSanitizer has encountered a fatal error", -1);
}

static const char *p_race(void)
{
	return sanitized("race", NULL, "WARNING: ThreadSanitizer: data race", 66);
}

static const char *p_valgrind(void)
{
	char prog[200], out[4096];
	const char *argv[] = { "/usr/bin/valgrind", "-q", "--error-exitcode=9", prog, NULL };
	int st;

	if (access("/usr/bin/valgrind", X_OK) != 0 || !built("hello"))
		return fail("no valgrind or no hello");
	snprintf(prog, sizeof(prog), "%s/hello", bin);
	st = spawn(argv, NULL, out, sizeof(out));
	return st == 0 && strstr(out, "hello from a thread") ? NULL : fail("status %d: %.300s", st, out);
}

static const struct probe probes[] = {
	{ "/home is not there", p_home, J | HL },
	{ "/root is not there", p_root, J | HL },
	{ "/run is not there", p_run, J | HL },
	{ "/sys is not there", p_sys, J | HL },
	{ "the host's /tmp is not there (a file in it is not found)", p_host_tmp, J | HL },
	{ "the host's /dev/shm is not there", p_host_shm, J | HL },
	{ "the chanlab home is not there", p_chanlab_home, J | HL },
	{ "a pack's solution is not there", p_pack, J | HL },
	{ "the root holds the system folders, /dev, /etc, /proc and /tmp only", p_root_list, J },
	{ "/etc holds only what a program needs", p_etc_list, J },
	{ "/dev holds null zero full random urandom, links and shm only", p_dev_list, J },
	{ "/tmp holds only the way to its own folders", p_tmp_list, J },
	{ "/proc is its PID namespace's own", p_proc_own, J },
	{ "its init's environment, memory, files and root cannot be opened", p_init, J },
	{ "its parent's (chanlab's) environment, memory and files cannot be opened", p_parent, HL },
	{ "writing to / fails", p_write_root, J | H },
	{ "writing to /usr fails", p_write_usr, J | H },
	{ "writing to /etc fails", p_write_etc, J | H },
	{ "writing to the build folder fails", p_write_bin, J | H },
	{ "tests/hostile/remount.c cannot make anything writable again", p_remount_program, J | H },
	{ "mount(2) is refused", p_mount, J | H },
	{ "a remount of / read-write is refused and / stays read-only", p_remount, J | H },
	{ "mount_setattr clearing read-only is refused", p_mount_setattr, J | H },
	{ "umount2 is refused", p_umount, J | H },
	{ "open_tree, fsopen, fspick, fsmount, fsconfig, move_mount, pivot_root, chroot are refused",
	  p_new_mount_api, J | H },
	{ "unshare is refused", p_unshare, J | H },
	{ "setns is refused", p_setns, J | H },
	{ "ptrace is refused", p_ptrace, J | H },
	{ "process_vm_readv/writev, kcmp, pidfd_getfd are refused", p_other_memory, J | H },
	{ "bpf, perf_event_open, userfaultfd are refused", p_kernel_objects, J | H },
	{ "io_uring is refused", p_io_uring, J | H },
	{ "memfd_create and shmget are refused (memory no limit weighs)", p_hidden_memory, J | H },
	{ "keyctl, add_key, request_key are refused", p_keys, J | H },
	{ "kexec, modules, reboot, swap, acct, open_by_handle_at, iopl, ioperm are refused", p_machine, J | H },
	{ "clone with any CLONE_NEW* flag is refused", p_clone_ns, J | H },
	{ "clone3 answers ENOSYS and threads still start", p_clone3, J | S | H },
#ifdef __x86_64__
	{ "an i386 system call (int 0x80) kills the process", p_i386, J | H },
	{ "an x32 system call kills the process", p_x32, J | H },
#endif
	{ "tests/hostile/unixsock.c reaches no unix socket of the host", p_sockets, J | H },
	{ "signals to processes outside are refused (Landlock scope)", p_signals, H6 },
	{ "CapInh, CapPrm, CapEff, CapBnd and CapAmb are all zero", p_caps, J | S | H },
	{ "NoNewPrivs is 1", p_nnp, J | S | H },
	{ "Seccomp is 2 (a filter)", p_seccomp, J | S | H },
	{ "Landlock holds where the kernel has it", p_landlock, J | H },
	{ "its private folder is writable: files, folders, links, fifos", p_tmp_writable, J | S | H },
	{ "/dev/null takes writes, /dev/zero and /dev/urandom give bytes, /dev/full is full", p_devices, J | H },
	{ "/bin/true runs", p_true, J | S | H },
	{ "a program built with -pthread runs from the build folder and sees every CPU", p_hello, J | S | H },
	{ "a shell script runs in its folder", p_shell, J | H },
	{ "sem_open and shm_open work on its private /dev/shm", p_sem, J },
	{ "without stop_the_world LeakSanitizer cannot stop the world", p_leak_needs_stw, J },
	{ "stop_the_world: LeakSanitizer's ptrace requests work, no other does", p_ptrace_stw, S },
	{ "an ASan program's leak is reported by LeakSanitizer", p_leak, S },
	{ "a TSan program reports its data race", p_race, S | H },
	{ "valgrind runs a program", p_valgrind, S },
};

static bool applies(const struct probe *p)
{
	if (cur == H)
		return (p->runs & H) || ((p->runs & HL) && host_landlock > 0) || ((p->runs & H6) && host_landlock >= 6);
	return p->runs & cur;
}

static unsigned mode_named(const char *s)
{
	return strcmp(s, "jail") == 0 ? J : strcmp(s, "stw") == 0 ? S : strcmp(s, "harden") == 0 ? H : 0;
}

int go_main(int argc, char **argv)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);
	int n = 0;

	host_landlock = abi > 0 ? (int)abi : 0;
	if (argc == 3 && strcmp(argv[1], "--count") == 0 && (cur = mode_named(argv[2]))) {
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			n += applies(&probes[i]);
		printf("%d\n", n);
		return 0;
	}
	if (argc != 7 || !(cur = mode_named(argv[1])) || !(cur_tmp = getenv("TMPDIR"))) {
		fprintf(stderr, "usage: walls jail|stw|harden WORK TESTPID ROOT CPUS LANDLOCK, or walls --count MODE\n");
		return 2;
	}
	snprintf(work, sizeof(work), "%s", argv[2]);
	test_pid = (pid_t)atoi(argv[3]);
	cur_root = atoi(argv[4]) != 0;
	host_cpus = atol(argv[5]);
	cur_landlock = atoi(argv[6]);
	snprintf(bin, sizeof(bin), "%s/bin", work);
	snprintf(home_db, sizeof(home_db), "%s/home/progress.db", work);
	snprintf(solution, sizeof(solution), "%s/pack/ex/solution/prog.c", work);
	snprintf(marker_tmp, sizeof(marker_tmp), "/tmp/chanlab-jail-marker.%d", (int)test_pid);
	snprintf(marker_shm, sizeof(marker_shm), "/dev/shm/chanlab-jail-marker.%d", (int)test_pid);
	snprintf(sock_path, sizeof(sock_path), "/tmp/chanlab-jail-sock.%d", (int)test_pid);
	snprintf(sock_name, sizeof(sock_name), "chanlab-jail-sock.%d", (int)test_pid);
	snprintf(escapes[0], sizeof(escapes[0]), "/chanlab-jail-escape.%d", (int)test_pid);
	snprintf(escapes[1], sizeof(escapes[1]), "/usr/chanlab-jail-escape.%d", (int)test_pid);
	snprintf(escapes[2], sizeof(escapes[2]), "/etc/chanlab-jail-escape.%d", (int)test_pid);
	snprintf(escapes[3], sizeof(escapes[3]), "%s/escape", bin);
	snprintf(escapes[4], sizeof(escapes[4]), "/tmp/chanlab-jail-escape.%d", (int)test_pid);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		const char *w;

		if (!applies(&probes[i]))
			continue;
		w = probes[i].fn();
		printf("%sok - %s\n", w ? "not " : "", probes[i].what);
		if (w)
			printf("#   %s\n", w);
		fflush(stdout);
	}
	return 0;
}

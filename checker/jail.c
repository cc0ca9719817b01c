/*
 * jail — a root of its own, no capabilities, seccomp and Landlock; see jail.h.
 *
 * Data model. A struct jail is the plan made ready for a child that may
 * not allocate: each plan path twice, where the program sees it (at) and
 * where it really is (from: no symlink on the way, so it can be found
 * under the old root after the pivot), the options of /dev/shm, and
 * pointers to two compiled seccomp programs (checker/filter.c: static
 * storage, built once per process per stop_the_world, so that the child
 * only hands the instructions to the kernel).
 *
 * Entering, the child runs system calls only:
 *
 *   root       a tmpfs mounted over the private folder (any mount point
 *              will do: it moves), pivot_root into it with the old root at
 *              /.old; then every part is bound from /.old/<from> to <at>
 *              and sealed read-only, /proc mounted (while /.old still shows
 *              the host's proc: the kernel asks for that), /.old detached
 *              and removed, the new root sealed
 *   nnp        PR_SET_NO_NEW_PRIVS, and not dumpable
 *   landlock   one ruleset: the same parts, each with the rights beneath it
 *   caps       bounding set, securebits, ambient, the uid, capset(0)
 *   seccomp    the compiled program
 *
 * The table `parts` says which host paths a program may see, and where:
 * mirrored into the jail's root, or allowed by Landlock without
 * namespaces, or both.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fs.h"
#include "checker/filter.h"
#include "checker/jail.h"

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

#define MNT_RDONLY 0x1ULL      /* MOUNT_ATTR_* of mount_setattr(2) */
#define MNT_NOSUID 0x2ULL
#define MNT_NODEV 0x4ULL

struct mount_attr_v0 {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* Landlock's ABI, spelled out here so that older kernel headers build. */
#define LL_EXECUTE (1ULL << 0)
#define LL_WRITE_FILE (1ULL << 1)
#define LL_READ_FILE (1ULL << 2)
#define LL_READ_DIR (1ULL << 3)
#define LL_REFER (1ULL << 13)          /* ABI 2 */
#define LL_TRUNCATE (1ULL << 14)       /* ABI 3 */
#define LL_IOCTL_DEV (1ULL << 15)      /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0)    /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)   /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)
#define LL_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1

#define LL_FILE (LL_EXECUTE | LL_WRITE_FILE | LL_READ_FILE | LL_TRUNCATE | LL_IOCTL_DEV)
#define LL_RO (LL_READ_FILE | LL_READ_DIR)
#define LL_RX (LL_RO | LL_EXECUTE)
#define LL_DEV (LL_READ_FILE | LL_WRITE_FILE | LL_TRUNCATE | LL_IOCTL_DEV)
#define LL_ALL (~0ULL)

struct ll_ruleset_attr {
	uint64_t handled_fs, handled_net, scoped;
};

struct ll_path_beneath {
	uint64_t allowed;
	int32_t parent_fd;
} __attribute__((packed));

enum { IN_ROOT = 1, IN_HARDEN = 2, BOTH = IN_ROOT | IN_HARDEN };

/* The host's parts a program sees: mirrored into its root (symlinks as
 * symlinks), and, without namespaces, the places Landlock lets it read. */
static const struct part {
	const char *path;
	uint64_t rights;       /* Landlock rights beneath it */
	unsigned where;
	bool dev;              /* a device node: bound without nodev */
} parts[] = {
	{ "/usr", LL_RX, BOTH, false },
	{ "/bin", LL_RX, BOTH, false },
	{ "/sbin", LL_RX, BOTH, false },
	{ "/lib", LL_RX, BOTH, false },
	{ "/lib32", LL_RX, BOTH, false },
	{ "/lib64", LL_RX, BOTH, false },
	{ "/libx32", LL_RX, BOTH, false },
	{ "/etc/ld.so.cache", LL_RO, BOTH, false },
	{ "/etc/ld.so.conf", LL_RO, BOTH, false },
	{ "/etc/ld.so.conf.d", LL_RO, BOTH, false },
	{ "/etc/localtime", LL_RO, BOTH, false },
	{ "/etc/nsswitch.conf", LL_RO, BOTH, false },
	{ "/etc/alternatives", LL_RO, BOTH, false },
	{ "/etc/passwd", LL_RO, IN_HARDEN, false },   /* the jail writes its own */
	{ "/etc/group", LL_RO, IN_HARDEN, false },
	{ "/dev/null", LL_DEV, BOTH, true },
	{ "/dev/zero", LL_DEV, BOTH, true },
	{ "/dev/full", LL_DEV, BOTH, true },
	{ "/dev/random", LL_DEV, BOTH, true },
	{ "/dev/urandom", LL_DEV, BOTH, true },
	{ "/proc", LL_RO, IN_HARDEN, false },         /* the jail mounts its own */
};

/* Links the jail's /dev holds. */
static const struct {
	const char *path, *target;
} dev_links[] = {
	{ "/dev/fd", "/proc/self/fd" },
	{ "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" },
	{ "/dev/stderr", "/proc/self/fd/2" },
};

static const char passwd[] = "root:x:0:0:root:/:/bin/sh\n"
			     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
static const char group[] = "root:x:0:\nnogroup:x:65534:\n";

#define OLD "/.old"
#define ROOT_OPTS "size=1m,nr_inodes=4096,mode=0755"


struct jail {
	char *tmp_at, *tmp_from;
	char *ro_at[JAIL_READONLY_MAX], *ro_from[JAIL_READONLY_MAX];
	size_t n_ro;
	char shm_opts[64];
	const struct filter *enter_filter, *harden_filter;
};

/* --- preparing ------------------------------------------------------------ */

/* *at gets a copy of path, *from its real path (it must exist). */
static int two_paths(const char *path, char **at, char **from)
{
	char real[PATH_MAX];

	if (path[0] != '/')
		return err_set("not an absolute path: '%s'", path);
	if (!realpath(path, real))
		return err_sys("cannot find '%s'", path);
	*at = strdup(path);
	*from = strdup(real);
	if (!*at || !*from)
		return err_set("out of memory");
	return 0;
}

struct jail *jail_new(const struct jail_plan *plan)
{
	struct jail *j = calloc(1, sizeof(*j));

	if (!j) {
		err_set("out of memory");
		return NULL;
	}
	if (plan->tmp && two_paths(plan->tmp, &j->tmp_at, &j->tmp_from) < 0)
		goto out_free;
	for (size_t i = 0; i < JAIL_READONLY_MAX && plan->readonly[i]; i++, j->n_ro++)
		if (two_paths(plan->readonly[i], &j->ro_at[i], &j->ro_from[i]) < 0)
			goto out_free;
	if (plan->shm_size)
		snprintf(j->shm_opts, sizeof(j->shm_opts), "size=%zu,nr_inodes=1024,mode=1777", plan->shm_size);
	j->enter_filter = filter_get(plan->stop_the_world, false);
	j->harden_filter = filter_get(plan->stop_the_world, true);
	if (!j->enter_filter || !j->harden_filter)
		goto out_free;
	return j;
out_free:
	jail_free(j);
	return NULL;
}

void jail_free(struct jail *j)
{
	if (!j)
		return;
	free(j->tmp_at);
	free(j->tmp_from);
	for (size_t i = 0; i < JAIL_READONLY_MAX; i++) {
		free(j->ro_at[i]);
		free(j->ro_from[i]);
	}
	free(j);
}

/* --- the root (child side) ------------------------------------------------ */

/* Makes the mount at path read-only, nosuid and, unless dev, nodev; with
 * recursive, every mount beneath it too. Flags the parent namespace locked
 * (atime, noexec) are kept, or the kernel refuses the remount. */
static int seal(const char *path, bool dev, bool recursive)
{
	struct mount_attr_v0 a = { .attr_set = MNT_RDONLY | MNT_NOSUID | (dev ? 0 : MNT_NODEV) };
	struct statvfs v;

	if (syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &a, sizeof(a)) < 0) {
		unsigned long keep = ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME | ST_NODEV;

		if (statvfs(path, &v) < 0)
			return err_sys("cannot look at '%s'", path);
		if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | (dev ? 0 : MS_NODEV) |
			  (v.f_flag & keep), NULL) < 0)
			return err_sys("cannot make '%s' read-only", path);
	}
	if (statvfs(path, &v) < 0 || !(v.f_flag & ST_RDONLY))
		return err_set("'%s' stays writable", path);
	return 0;
}

/* Creates the folders above path (in the new root). */
static int make_parents(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (strlen(path) >= sizeof(dir))
		return err_set("path too long: '%s'", path);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	return fs_mkdirs(dir);
}

/* An empty file or folder at path (in the new root) to mount over. */
static int make_mount_point(const char *path, bool dir)
{
	int fd;

	if (make_parents(path) < 0)
		return -1;
	if (dir)
		return mkdir(path, 0755) < 0 && errno != EEXIST ? err_sys("cannot create '%s'", path) : 0;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0444);
	if (fd < 0)
		return err_sys("cannot create '%s'", path);
	close(fd);
	return 0;
}

/* Shows the host's from (a real path) at at, read-only. */
static int bind_ro(const char *from, const char *at, bool dev)
{
	char src[PATH_MAX];
	struct stat st;

	if (fs_join(src, sizeof(src), OLD, from + 1) < 0)
		return -1;
	if (stat(src, &st) < 0)
		return err_sys("cannot find '%s'", from);
	if (make_mount_point(at, S_ISDIR(st.st_mode)) < 0)
		return -1;
	if (mount(src, at, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_sys("cannot show '%s'", at);
	return seal(at, dev, true);
}

/* A part of the host at its own path: a symlink is copied, anything else
 * bound read-only; a part this host does not have is skipped. */
static int mirror(const struct part *p)
{
	char src[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fs_join(src, sizeof(src), OLD, p->path + 1) < 0)
		return -1;
	if (lstat(src, &st) < 0)
		return errno == ENOENT ? 0 : err_sys("cannot look at '%s'", p->path);
	if (!S_ISLNK(st.st_mode))
		return bind_ro(p->path, p->path, p->dev);
	n = readlink(src, target, sizeof(target) - 1);
	if (n < 0)
		return err_sys("cannot read the link '%s'", p->path);
	target[n] = '\0';
	if (make_parents(p->path) < 0)
		return -1;
	if (symlink(target, p->path) < 0)
		return err_sys("cannot link '%s'", p->path);
	return 0;
}

static int write_text(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return err_sys("cannot create '%s'", path);
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return err_sys("cannot write '%s'", path);
	}
	close(fd);
	return 0;
}

static int make_dev(const struct jail *j)
{
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if (symlink(dev_links[i].target, dev_links[i].path) < 0)
			return err_sys("cannot link '%s'", dev_links[i].path);
	if (!j->shm_opts[0])
		return 0;
	if (mkdir("/dev/shm", 01777) < 0 ||
	    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, j->shm_opts) < 0)
		return err_sys("cannot make '/dev/shm'");
	return 0;
}

/* The private folder, writable, at its own path. */
static int show_tmp(const struct jail *j)
{
	struct mount_attr_v0 a = { .attr_set = MNT_NOSUID | MNT_NODEV };
	char src[PATH_MAX];

	if (fs_join(src, sizeof(src), OLD, j->tmp_from + 1) < 0)
		return -1;
	if (fs_mkdirs(j->tmp_at) < 0)
		return -1;
	if (mount(src, j->tmp_at, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_sys("cannot show '%s'", j->tmp_at);
	syscall(SYS_mount_setattr, AT_FDCWD, j->tmp_at, AT_RECURSIVE, &a, sizeof(a));   /* best effort */
	return 0;
}

static int enter_root(const struct jail *j, struct jail_status *st)
{
	const char *base = j->tmp_from ? j->tmp_from : "/tmp";
	char old[PATH_MAX];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_sys("cannot make the mounts private");
	if (fs_join(old, sizeof(old), base, OLD + 1) < 0)
		return -1;
	if (mount("chanlab-root", base, "tmpfs", MS_NOSUID | MS_NODEV, ROOT_OPTS) < 0)
		return err_sys("cannot mount the new root");
	if (mkdir(old, 0700) < 0 || syscall(SYS_pivot_root, base, old) < 0 || chdir("/") < 0)
		return err_sys("cannot pivot into the new root");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if ((parts[i].where & IN_ROOT) && mirror(&parts[i]) < 0)
			return -1;
	if (fs_mkdirs("/etc") < 0 || write_text("/etc/passwd", passwd) < 0 || write_text("/etc/group", group) < 0)
		return -1;
	for (size_t i = 0; i < j->n_ro; i++)
		if (bind_ro(j->ro_from[i], j->ro_at[i], false) < 0)
			return -1;
	if (j->tmp_at && show_tmp(j) < 0)
		return -1;
	if (fs_mkdirs("/dev") < 0 || make_dev(j) < 0 || fs_mkdirs("/proc") < 0)
		return -1;
	/* A fresh proc, while the host's is still in sight. */
	st->proc = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0 ||
		   mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL) == 0;
	if (umount2(OLD, MNT_DETACH) < 0 || rmdir(OLD) < 0)
		return err_sys("cannot let go of the old root");
	if (seal("/", false, false) < 0)
		return -1;
	st->root = true;
	return 0;
}

/* --- landlock, capabilities, seccomp (child side) ------------------------ */

static uint64_t handled_fs(int abi)
{
	int bits = abi >= 5 ? 16 : abi >= 3 ? 15 : abi == 2 ? 14 : 13;

	return (1ULL << bits) - 1;
}

/* Allows rights beneath path; a path that does not exist is skipped. */
static int allow(int ruleset, const char *path, uint64_t rights, uint64_t handled)
{
	struct ll_path_beneath pb;
	struct stat st;
	int fd = open(path, O_PATH | O_CLOEXEC);
	long rc;

	if (fd < 0)
		return errno == ENOENT ? 0 : err_sys("cannot open '%s' for Landlock", path);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return err_sys("cannot look at '%s'", path);
	}
	pb.allowed = rights & handled & (S_ISDIR(st.st_mode) ? LL_ALL : LL_FILE);
	pb.parent_fd = fd;
	rc = syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0);
	close(fd);
	return rc < 0 ? err_sys("Landlock refuses a rule for '%s'", path) : 0;
}

/* The Landlock domain: the parts (those of the root, or of the host),
 * plan->readonly and the private folder. Needs no_new_privs. */
static int enter_landlock(const struct jail *j, bool jailed, struct jail_status *st)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_VERSION);
	struct ll_ruleset_attr attr = { 0 };
	size_t size = sizeof(attr.handled_fs);
	int fd, rc = -1;

	if (abi < 1)
		return errno == ENOSYS || errno == EOPNOTSUPP || abi == 0 ? 0 : err_sys("cannot ask for Landlock");
	attr.handled_fs = handled_fs((int)abi);
	if (abi >= 4) {
		/* jailed, the program has a network namespace of its own with
		 * nothing in it but loopback: TCP there reaches only itself */
		attr.handled_net = jailed ? 0 : LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		size = sizeof(attr);
	}
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		return err_sys("cannot make a Landlock ruleset");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if ((parts[i].where & (jailed ? IN_ROOT : IN_HARDEN)) &&
		    allow(fd, parts[i].path, parts[i].rights, attr.handled_fs) < 0)
			goto out_close;
	if (jailed && (allow(fd, "/", LL_READ_DIR, attr.handled_fs) < 0 ||
		       allow(fd, "/etc", LL_RO, attr.handled_fs) < 0 ||
		       allow(fd, "/proc", LL_RO | LL_WRITE_FILE, attr.handled_fs) < 0 ||
		       (j->shm_opts[0] && allow(fd, "/dev/shm", LL_ALL, attr.handled_fs) < 0)))
		goto out_close;
	for (size_t i = 0; i < j->n_ro; i++)
		if (allow(fd, jailed ? j->ro_at[i] : j->ro_from[i], LL_RX, attr.handled_fs) < 0)
			goto out_close;
	if (j->tmp_at && allow(fd, jailed ? j->tmp_at : j->tmp_from, LL_ALL, attr.handled_fs) < 0)
		goto out_close;
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0) {
		err_sys("cannot enter the Landlock domain");
		goto out_close;
	}
	st->landlock = (int)abi;
	rc = 0;
out_close:
	close(fd);
	return rc;
}

/* Drops every capability; with jailed, a bounding set that cannot be
 * emptied is an error (without namespaces an ordinary user may not). */
static int drop_caps(uid_t uid, bool jailed, struct jail_status *st)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	for (int c = 0; c < 64; c++) {
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break;   /* past the kernel's last capability */
		if (errno == EPERM && !jailed)
			break;
		st->failed = "caps";
		return err_sys("cannot drop capability %d from the bounding set", c);
	}
	/* Root gains nothing by exec, nor by a later setuid; best effort. */
	prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
	      SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED, 0, 0, 0);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		st->failed = "caps";
		return err_sys("cannot clear the ambient capabilities");
	}
	if (uid != JAIL_SAME_UID) {
		gid_t gid = (gid_t)uid;

		if ((setgroups(0, NULL) < 0 && errno != EPERM) || setresgid(gid, gid, gid) < 0 ||
		    setresuid(uid, uid, uid) < 0) {
			st->failed = "uid";
			return err_sys("cannot become uid %u", (unsigned)uid);
		}
	}
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d) < 0 || syscall(SYS_capget, &h, d) < 0 ||
	    d[0].effective | d[0].permitted | d[0].inheritable | d[1].effective | d[1].permitted | d[1].inheritable) {
		st->failed = "caps";
		return err_sys("cannot clear the capabilities");
	}
	return 0;
}

static int enter_seccomp(const struct filter *f, struct jail_status *st)
{
	if (filter_install(f) < 0) {
		st->failed = "seccomp";
		return -1;
	}
	st->seccomp = true;
	return 0;
}

/* The steps after the root, in jail_enter and jail_harden alike. */
static int lock_down(const struct jail *j, uid_t uid, bool jailed, struct jail_status *st)
{
	/* The caller is a clone of chanlab: its memory and environment stay
	 * closed to the program (whose exec makes it dumpable again). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		st->failed = "no_new_privs";
		return err_sys("cannot set no_new_privs");
	}
	if (enter_landlock(j, jailed, st) < 0) {
		st->failed = "landlock";
		return -1;
	}
	if (drop_caps(uid, jailed, st) < 0)
		return -1;
	return enter_seccomp(jailed ? j->enter_filter : j->harden_filter, st);
}

int jail_enter(const struct jail *j, uid_t uid, struct jail_status *st)
{
	struct jail_status local;
	mode_t mask = umask(022);   /* the root's folders must be open to any uid */
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	rc = enter_root(j, st);
	umask(mask);
	if (rc < 0) {
		st->failed = "root";
		return -1;
	}
	return lock_down(j, uid, true, st);
}

int jail_harden(const struct jail *j, uid_t uid, struct jail_status *st)
{
	struct jail_status local;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	return lock_down(j, uid, false, st);
}

/*
 * watch — inotify or polling, with a debounce; see watch.h.
 *
 * Data model: the folder and its watched names; the inotify descriptor or
 * -1; for polling, each file's last (mtime, size, inode); and the time a
 * change was last seen, if one is pending (0 when none).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/err.h"
#include "tui/watch.h"

enum { DEBOUNCE_MS = 120, POLL_MS = 500 };

struct fstate {
	struct timespec mtime;
	off_t size;
	ino_t ino;
	bool exists;
};

struct watch {
	char *dir;
	char **files;
	size_t nfiles;
	struct fstate *state;
	int fd;                 /* inotify, or -1 when polling */
	long long pending;      /* when the last change was seen, or 0 */
	bool lost;              /* the folder's inotify watch went away */
	long long next_poll;
};

/* File systems where inotify misses other machines' (or the host's) writes. */
static bool remote_fs(const char *dir)
{
	static const long remote[] = {
		0x6969,       /* NFS */
		0xff534d42,   /* CIFS */
		0xfe534d42,   /* SMB2 */
		0x517b,       /* SMB */
		0x65735546,   /* FUSE (sshfs, ...) */
		0x01021997,   /* 9P (WSL, VMs) */
		0x786f4256,   /* vboxsf */
	};
	struct statfs s;

	if (statfs(dir, &s) < 0)
		return false;
	for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++)
		if ((long)s.f_type == remote[i])
			return true;
	return false;
}

static void stat_one(const struct watch *w, size_t i, struct fstate *out)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", w->dir, w->files[i]);
	if (stat(path, &st) == 0)
		*out = (struct fstate){ st.st_mtim, st.st_size, st.st_ino, true };
	else
		*out = (struct fstate){ .exists = false };
}

static void snapshot(struct watch *w, struct fstate *out)
{
	for (size_t i = 0; i < w->nfiles; i++)
		stat_one(w, i, &out[i]);
}

int watch_new(struct watch **out, const char *dir, char *const *files)
{
	struct watch *w = calloc(1, sizeof(*w));
	const char *force = getenv("CHANLAB_WATCH");

	*out = NULL;
	if (!w)
		return err_set("out of memory");
	w->fd = -1;
	while (files[w->nfiles])
		w->nfiles++;
	if (!(w->dir = strdup(dir)) || !(w->files = calloc(w->nfiles + 1, sizeof(char *))) ||
	    !(w->state = calloc(w->nfiles + 1, sizeof(*w->state))))
		goto out_oom;
	for (size_t i = 0; i < w->nfiles; i++)
		if (!(w->files[i] = strdup(files[i])))
			goto out_oom;
	if (!(force && strcmp(force, "poll") == 0) && !remote_fs(dir) &&
	    (w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) >= 0 &&
	    inotify_add_watch(w->fd, dir, IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_CREATE |
					  IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
		close(w->fd);
		w->fd = -1;
	}
	snapshot(w, w->state);
	*out = w;
	return 0;
out_oom:
	watch_free(w);
	return err_set("out of memory");
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; w->files && i < w->nfiles; i++)
		free(w->files[i]);
	free(w->files);
	free(w->state);
	free(w->dir);
	free(w);
}

const char *watch_kind(const struct watch *w)
{
	return w->fd >= 0 ? "inotify" : "polling";
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

int watch_timeout(const struct watch *w, long long now)
{
	long long due = -1;

	if (w->pending)
		due = w->pending + DEBOUNCE_MS;
	if (w->fd < 0 && (due < 0 || w->next_poll < due))
		due = w->next_poll;
	if (due < 0)
		return -1;
	return due <= now ? 0 : (int)(due - now);
}

static bool watched(const struct watch *w, const char *name)
{
	for (size_t i = 0; i < w->nfiles; i++)
		if (strcmp(w->files[i], name) == 0)
			return true;
	return false;
}

static void drain(struct watch *w, long long now)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read(w->fd, ev, sizeof(ev))) > 0 || (n < 0 && errno == EINTR))
		for (char *p = ev; n > 0 && p < ev + n;) {
			const struct inotify_event *e = (const struct inotify_event *)(void *)p;

			if (e->len && watched(w, e->name))
				w->pending = now;
			if (e->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
				w->lost = true;
			p += sizeof(*e) + e->len;
		}
}

static bool same(const struct fstate *a, const struct fstate *b)
{
	return a->exists == b->exists && a->size == b->size && a->ino == b->ino &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static void poll_files(struct watch *w, long long now)
{
	struct fstate cur;

	w->next_poll = now + POLL_MS;
	for (size_t i = 0; i < w->nfiles; i++) {
		stat_one(w, i, &cur);
		if (!same(&cur, &w->state[i])) {
			w->state[i] = cur;
			w->pending = now;
		}
	}
}

bool watch_step(struct watch *w, long long now)
{
	if (w->fd >= 0)
		drain(w, now);
	if (w->lost) {
		/* the folder itself was removed or moved (and maybe made again):
		 * its inotify watch is gone, so poll the files by name from now on */
		close(w->fd);
		w->fd = -1;
		w->lost = false;
		w->pending = now;
		w->next_poll = now + POLL_MS;
		snapshot(w, w->state);
	}
	if (w->fd < 0 && now >= w->next_poll)
		poll_files(w, now);
	if (w->pending && now >= w->pending + DEBOUNCE_MS) {
		w->pending = 0;
		return true;
	}
	return false;
}


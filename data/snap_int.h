/*
 * snap_int — what the files of the snap module share (snap.c,
 * snapcheck.c); nothing outside data/snap*.c includes it.
 */
#ifndef DATA_SNAP_INT_H
#define DATA_SNAP_INT_H

#include <stdbool.h>

#include <git2.h>

struct snap {
	git_repository *repo;
	char *root;
	char *gitdir;
};

/* What to do about a damaged repository (progress.db names its commits, so
 * a new repository needs a new progress.db too: see record.c). */
#define REPO_TODO "it was left as it is (your files in work/ are not touched): to start a new history, " \
	"move work/.git and progress.db aside (see 'Recovering' in INSTALL)"

/* Sets err_msg for a failed libgit2 call: what failed on what, libgit2's
 * reason and what to do (full disk, read-only, damaged). Returns -1. */
int snap__fail(const char *what, const char *on);

/* Sets err_msg for damage found in s's repository: what (printf-style),
 * then REPO_TODO. Returns -1. */
int snap__damaged(const struct snap *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The id of folder `exercise` in tree, or false if it has none. */
bool snap__subtree(git_tree *tree, const char *exercise, git_oid *id);

#endif

/*
 * snap — the attempts repository: every checked attempt as a git commit.
 *
 * The learner's work folder (<home>/work) is the working tree of one git
 * repository; each exercise is a folder in it. A snapshot commits exactly
 * that folder's current files (added, changed and deleted ones) on top of
 * HEAD, so the learner can browse it with chanlab or with plain git.
 *
 * snap does no locking: its caller (record) serialises writers.
 */
#ifndef DATA_SNAP_H
#define DATA_SNAP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct snap;

/* A set of files: names relative to an exercise's folder, sorted, each
 * with its content. Embedded: snap_files_init/snap_files_release. */
struct snap_files {
	size_t n, cap;
	char **names;
	struct buf *data;
	bool *link;              /* a symbolic link in a commit: data is the path it points at */
};

/* Starts libgit2 on a thread of its own, while the caller goes on (its
 * start reads and parses every CA certificate of the system, 8 to 25 ms
 * that an offline tool need not wait for); snap_open and
 * snap_warm_wait wait for it. Call it once, before the process forks
 * anything but programs it runs. */
void snap_warm(void);
void snap_warm_wait(void);

/* Opens the repository whose working tree is workroot, creating it (and a
 * work/.gitignore for editors' leftovers) if there is none. 0 or -1. */
int snap_open(struct snap **out, const char *workroot);
void snap_free(struct snap *s);

/* The repository's git folder ("<workroot>/.git"). */
const char *snap_gitdir(const struct snap *s);

/* Stages the folder `exercise` as it is now: updates the index for it and
 * writes the whole tree; tree gets its id (40 hex digits). 0 or -1. */
int snap_stage(struct snap *s, const char *exercise, char tree[41]);

/* Commits a tree from snap_stage (or, with tree NULL, the folder as it is
 * now) with message on top of HEAD; oid gets the commit's id. If same_as (a
 * commit id) is not NULL and the folder's files in the tree equal that
 * commit's, makes no commit, copies same_as into oid and returns 1. 0, 1,
 * or -1 (err_msg). */
int snap_commit(struct snap *s, const char *exercise, const char *tree, const char *message,
		const char *same_as, char oid[41]);

/* HEAD's commit into oid: 0, 1 if the repository has no commit yet, -1. */
int snap_head(struct snap *s, char oid[41]);

/* Checks that the last attempt (HEAD) is whole before anything is built
 * on it or shown from it: with exercise NULL, its commit and every folder
 * are read and every file exists; with exercise, the files of that folder
 * are read whole too. Nothing is changed. 0, or -1 with err_msg naming the
 * damaged or missing object in plain words and what to do. */
int snap_verify(struct snap *s, const char *exercise);

/* Calls fn for HEAD and its first parents, newest first, until fn returns
 * non-zero (which snap_walk then returns; -1 stops with an error) or the
 * first commit is passed. fn gets the commit's id, message and time. */
int snap_walk(struct snap *s, int (*fn)(const char *oid, const char *message, long long time, void *payload),
	      void *payload);

/* Reads the value of trailer `key` (e.g. "Chanlab-Status") of message
 * into val; with index, the index-th such trailer. true if found. */
bool snap_trailer(const char *message, const char *key, int index, char *val, size_t size);

void snap_files_init(struct snap_files *f);
void snap_files_release(struct snap_files *f);
/* The files of folder `exercise` in commit (recursively). 0 or -1. */
int snap_files_of_commit(struct snap *s, const char *commit, const char *exercise, struct snap_files *f);
/* The files in dir: those named in files (missing ones skipped), or with
 * files NULL every regular file below dir. 0 or -1. */
int snap_files_of_dir(const char *dir, char *const *files, struct snap_files *f);
/* Drops from f (files of folder `exercise`) those the repository ignores
 * (work/.gitignore: editors' and compilers' leftovers). 0 or -1. */
int snap_files_drop_ignored(struct snap *s, const char *exercise, struct snap_files *f);
/* The index of name in f, or -1. */
long snap_files_find(const struct snap_files *f, const char *name);

/* A unified diff (git format) from a to b, appended to out. 0 or -1. */
int snap_diff(const struct snap_files *a, const struct snap_files *b, struct buf *out);

#endif

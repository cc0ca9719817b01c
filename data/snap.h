/*
 * snap — the attempts repository: every checked attempt as a git commit.
 *
 * The learner's work folder (<home>/work) is the working tree of one git
 * repository; each exercise is a folder in it. A snapshot commits exactly
 * that folder's current files (added, changed and deleted ones) on top of
 * HEAD, so the learner can browse it with chanlab or with plain git.
 */
#ifndef DATA_SNAP_H
#define DATA_SNAP_H

struct snap;

/* Opens the repository whose working tree is workroot, creating it if
 * there is none. 0 or -1 (err_msg). */
int snap_open(struct snap **out, const char *workroot);
void snap_free(struct snap *s);

/* Commits the folder `exercise` with message; writes the commit's id as 40
 * hex digits and a NUL into oid. 0 or -1 (err_msg). */
int snap_commit(struct snap *s, const char *exercise, const char *message, char oid[41]);

#endif

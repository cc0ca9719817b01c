/*
 * work — the learner's folders: <home>/work/<exercise>/ holds the files the
 * learner edits; it is the working tree of the attempts repository (snap).
 *
 * Learner files are regular files in real folders below the work folder.
 * What chanlab writes there (restore, reset) never goes through a
 * symbolic link: every folder on the way is opened without following one,
 * and a link where a folder or a file is to be written is refused, named.
 */
#ifndef DATA_WORK_H
#define DATA_WORK_H

#include "base/buf.h"

/* Makes sure dir holds each of files (NULL-terminated, relative names),
 * copying a missing one from starter_dir. Never overwrites a file the
 * learner has. 0 or -1 (err_msg). */
int work_prepare(const char *dir, const char *starter_dir, char *const *files);

/* Copies each of headers (NULL-terminated names) from ex_dir into dir,
 * read-only (0444): the instructor's learner-visible headers, refreshed on
 * every call (a changed pack updates them; the learner's own edits to them
 * would never be graded, so they are not theirs to keep). A link where a
 * header goes is refused as work_check does. 0 or -1 (err_msg). */
int work_prepare_headers(const char *dir, const char *ex_dir, char *const *headers);

/* Checks that root/rel (rel relative to the work folder root, such as
 * "ex/sub/a.c") can be written without following a link: each folder on
 * the way is a real folder or missing, and rel, if it is there, a regular
 * file. Changes nothing. 0, or -1 with err_msg naming the link. */
/* What the learner's editor and tools need beside the files, made by
 * work_tooling; none of it is ever snapshotted (snap.h). */
struct work_tooling {
	const char *text;            /* the exercise's text: README.md */
	const char *const *includes; /* folders for -I (go.h, chanlab_test.h), NULL-terminated */
	const char *tests_from;      /* the exercise's folder */
	char *const *tests;          /* the instructor's files there (names), NULL-terminated */
	char *const *files;          /* the learner's files, for compile_commands.json */
};

/* Writes, read-only, into the learner's folder dir: README.md (the
 * text), compile_flags.txt and compile_commands.json (the include folders,
 * then "." and "tests", so clangd and `cc -fsyntax-only $(cat
 * compile_flags.txt) FILE.c` resolve <go.h> and the exercise's headers),
 * and tests/ with copies of the instructor's files (never used for
 * grading). Each is written again when its content changes. 0 or -1. */
int work_tooling(const char *dir, const struct work_tooling *t);

int work_check(const char *root, const char *rel);

/* Writes data to root/rel whole or not at all: tmp (a path on the same
 * file system, outside the learner's folders) gets it first, then is
 * renamed into place. Missing folders are made; none on the way is
 * followed if it is a link (refused as work_check). 0 or -1 (err_msg). */
int work_write(const char *root, const char *rel, const struct buf *data, const char *tmp);

/* Removes root/rel (a file, or a link itself: never what it points at),
 * following no link on the way. A missing one is fine. 0 or -1. */
int work_remove(const char *root, const char *rel);

#endif

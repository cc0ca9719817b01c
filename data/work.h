/*
 * work — the learner's folders: <home>/work/<exercise>/ holds the files the
 * learner edits; it is the working tree of the attempts repository (snap).
 */
#ifndef DATA_WORK_H
#define DATA_WORK_H

/* Makes sure dir holds each of files (NULL-terminated, relative names),
 * copying a missing one from starter_dir. Never overwrites a file the
 * learner has. 0 or -1 (err_msg). */
int work_prepare(const char *dir, const char *starter_dir, char *const *files);

#endif

/*
 * watch — notices when the learner saves one of an exercise's files.
 *
 * inotify on the exercise's folder where it works, else (network and
 * container file systems, or CHANLAB_WATCH=poll) polling the files' stat
 * twice a second. Changes are debounced: a burst of writes (an editor's
 * save, a copy) becomes one change, reported once the folder has been
 * quiet for a moment. If the folder itself is removed or replaced, the
 * watcher goes on by polling the files by name.
 */
#ifndef TUI_WATCH_H
#define TUI_WATCH_H

#include <stdbool.h>

struct watch;

/* Watches files (NULL-terminated names) in dir. 0 or -1 (err_msg). */
int watch_new(struct watch **out, const char *dir, char *const *files);
void watch_free(struct watch *w);

/* "inotify" or "polling". */
const char *watch_kind(const struct watch *w);

/* The descriptor to poll for reading, or -1 when polling. */
int watch_fd(const struct watch *w);

/* Milliseconds until watch_step wants to run again (a poll or the end of
 * a debounce), or -1 for never unless the descriptor becomes readable. */
int watch_timeout(const struct watch *w, long long now_ms);

/* Takes in what happened; true once a change has settled (report it). */
bool watch_step(struct watch *w, long long now_ms);

#endif

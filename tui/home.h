/*
 * home — the home screen: tracks and their exercises with a mark each,
 * a progress bar per track and overall, a filter, / search, and a key
 * that jumps to the next unfinished exercise.
 */
#ifndef TUI_HOME_H
#define TUI_HOME_H

#include "tui/ui.h"

struct home;

/* A home screen over ui's pack, its selection on where the learner left
 * off (the exercise checked last). 0 or -1 (out of memory). */
int home_new(struct home **out, struct ui *ui);
void home_free(struct home *h);

/* Draws into r. */
void home_draw(struct home *h, struct ui *ui, struct ui_rect r);

/* Answers a key (ui_flags); UI_OPEN with ui->ex set to open an exercise. */
int home_key(struct home *h, struct ui *ui, int key);

/* The keys, for the footer and the help. */
/* The first unfinished exercise after `from` (NULL: from the start) in
 * course order, wrapping; NULL when every exercise has passed. */
const struct pack_exercise *home_next_todo(const struct ui *ui, const struct pack_exercise *from);

extern const struct ui_key home_keys[];

/* Re-reads the marks into the rows (after a check or a restore). */
void home_reload(struct home *h, struct ui *ui);

#endif

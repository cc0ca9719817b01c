/*
 * ilview — the interleaving screen (`i` in the exercise screen): the
 * schedule under which a test case failed, replayed step by step in
 * Deadlock Empire's layout — one column per goroutine, one row per
 * scheduling decision, each step in the column of the goroutine that ran
 * and where it stopped (blocked on what, yielded, finished) — with the
 * learner's code around the selected step's line below.
 */
#ifndef TUI_ILVIEW_H
#define TUI_ILVIEW_H

#include "tui/ui.h"

struct ilview;

/* The interleaving of the first failed test of res (a verdict) that has
 * one. 0, or -1 with err_msg (no failure under a schedule). */
int ilview_new(struct ilview **out, struct ui *ui, const struct json *res);
void ilview_free(struct ilview *v);

void ilview_draw(struct ilview *v, struct ui *ui, struct ui_rect r);
int ilview_key(struct ilview *v, struct ui *ui, int key);

extern const struct ui_key ilview_keys[];

#endif

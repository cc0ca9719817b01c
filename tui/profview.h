/*
 * profview — the profile screen of an exercise (`p` in the exercise
 * screen): the profiles its last check kept (tui/profiles.h), merged, as
 * an icicle flame graph (root on top, heaviest child first, widths that
 * add up; the learner's own functions in a colour of their own; zoom into
 * a frame and back) or as pprof's top table with the share each function
 * had in the check before (the profiles kept before those).
 */
#ifndef TUI_PROFVIEW_H
#define TUI_PROFVIEW_H

#include "tui/ui.h"

struct profview;

/* The profile view of ui->ex, showing kind ("cpu", ...; NULL: the first
 * kind kept). 0, or -1 with err_msg (nothing kept, or a damaged file). */
int profview_new(struct profview **out, struct ui *ui, const char *kind);
void profview_free(struct profview *v);

void profview_draw(struct profview *v, struct ui *ui, struct ui_rect r);
int profview_key(struct profview *v, struct ui *ui, int key);

extern const struct ui_key profview_keys[];

#endif

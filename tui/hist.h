/*
 * hist — the history screen of an exercise: its attempts (and the saves
 * made before a restore or reset) with verdicts and times, the diff
 * between any two or against the files as they are now, and restore or
 * reset behind a confirmation.
 */
#ifndef TUI_HIST_H
#define TUI_HIST_H

#include "tui/ui.h"

struct hist;

/* The history of ui->ex. 0 or -1 (err_msg). */
int hist_new(struct hist **out, struct ui *ui);
void hist_free(struct hist *h);

void hist_draw(struct hist *h, struct ui *ui, struct ui_rect r);
int hist_key(struct hist *h, struct ui *ui, int key);

/* Reads the entries again (after a check was recorded). */
void hist_reload(struct hist *h, struct ui *ui);

extern const struct ui_key hist_keys[];

#endif

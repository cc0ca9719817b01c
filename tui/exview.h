/*
 * exview — the exercise screen: the exercise's text (Markdown), its files,
 * the results pane (the latest check, test by test), the hints revealed
 * so far and, after a pass, the reference solution.
 */
#ifndef TUI_EXVIEW_H
#define TUI_EXVIEW_H

#include "tui/ui.h"

struct exview;

/* A screen for ui->ex. 0 or -1 (out of memory). */
int exview_new(struct exview **out, struct ui *ui);
void exview_free(struct exview *v);

void exview_draw(struct exview *v, struct ui *ui, struct ui_rect r);
int exview_key(struct exview *v, struct ui *ui, int key);

/* The result or the record changed: lay the results pane out again. */
void exview_reload(struct exview *v, struct ui *ui);

/* Another chanlab changed the record: the same, keeping the scroll. */
void exview_refresh(struct exview *v, struct ui *ui);

/* The verdict on show: the tests a running check has finished, else this
 * session's latest, else the last recorded, or NULL. */
const struct json *exview_result(const struct exview *v, const struct ui *ui);

extern const struct ui_key exview_keys[];

#endif

/*
 * traceview — the scheduler timeline screen of an exercise (`t` in the
 * exercise screen): the execution traces its last check kept
 * (tui/profiles.h), one run at a time — what the trace says (goroutines,
 * how busy each P was, what goroutines waited on, scheduler latency) and
 * the timeline: a row per P, time across, each cell the goroutine that ran
 * most of it, a row of goroutines waiting for a P; zoom and scroll, and a
 * goroutine's own account (how long it ran, how often and on what it
 * stopped).
 */
#ifndef TUI_TRACEVIEW_H
#define TUI_TRACEVIEW_H

#include "tui/ui.h"

struct traceview;

/* The trace view of ui->ex. 0, or -1 with err_msg (no trace kept). */
int traceview_new(struct traceview **out, struct ui *ui);
void traceview_free(struct traceview *v);

void traceview_draw(struct traceview *v, struct ui *ui, struct ui_rect r);
int traceview_key(struct traceview *v, struct ui *ui, int key);

extern const struct ui_key traceview_keys[];

#endif

/* frame.h: frames and their workers for the tests (instructor file). */
#ifndef FRAME_H
#define FRAME_H

#include "render.h"

/* A frame of width x height pixels, all 0, nothing taken; NULL when out
 * of memory. */
struct frame *frame_new(int width, int height);
void frame_free(struct frame *f);

/* Runs `workers` goroutines of render_worker on f and waits (on a
 * channel) until every one has returned. */
void frame_render(struct frame *f, int workers);

/* The checksum f's rows must add up to, shaded on this goroutine into a
 * frame of its own. */
uint64_t frame_want_sum(int width, int height);

#endif

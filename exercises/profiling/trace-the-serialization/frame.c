/* frame.c: frames and their workers for the tests (instructor file). The
 * workers report on a channel, so the goroutine that waits for them is
 * blocked on a receive, never on sync: in the trace, sync is the frame's
 * mutex alone. */
#include <stdlib.h>

#include "frame.h"

struct frame *frame_new(int width, int height)
{
	struct frame *f = calloc(1, sizeof *f);

	if (!f)
		return NULL;
	f->pixels = calloc((size_t)width * (size_t)height, sizeof *f->pixels);
	if (!f->pixels) {
		free(f);
		return NULL;
	}
	f->width = width;
	f->height = height;
	return f;
}

void frame_free(struct frame *f)
{
	if (!f)
		return;
	free(f->pixels);
	free(f);
}

struct job {
	struct frame *f;
	go_chan *done;
};

static void worker(void *arg)
{
	struct job *j = arg;
	int one = 1;

	render_worker(j->f);
	go_send(j->done, &one);
}

void frame_render(struct frame *f, int workers)
{
	struct job j = { f, go_chan_make(sizeof(int), 0) };
	int one;

	for (int i = 0; i < workers; i++)
		go_spawn(worker, &j);
	for (int i = 0; i < workers; i++)
		go_recv(j.done, &one);
	go_chan_free(j.done);
}

uint64_t frame_want_sum(int width, int height)
{
	struct frame *f = frame_new(width, height);
	uint64_t sum = 0;

	if (!f)
		abort();
	for (int y = 0; y < height; y++)
		sum += shade_row(f, y);
	frame_free(f);
	return sum;
}

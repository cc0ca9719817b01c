/* render.c: the workers of a frame. f->mu guards what the workers share:
 * which row is next, and the counts. */
#include "render.h"

void render_worker(struct frame *f)
{
	for (;;) {
		int y;

		go_mutex_lock(&f->mu);
		if (f->next_row == f->height) {
			go_mutex_unlock(&f->mu);
			return;
		}
		y = f->next_row++;
		f->sum += shade_row(f, y);
		f->rows_done++;
		go_mutex_unlock(&f->mu);
	}
}

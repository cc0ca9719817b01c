/* render.c: the workers of a frame. f->mu guards what the workers share:
 * which row is next, and the counts. A row, once taken, is the taker's
 * alone, so it is shaded with no lock held: the lock is held twice per
 * row, each time for a few instructions, and the workers shade side by
 * side. */
#include "render.h"

void render_worker(struct frame *f)
{
	for (;;) {
		uint64_t sum;
		int y;

		go_mutex_lock(&f->mu);
		if (f->next_row == f->height) {
			go_mutex_unlock(&f->mu);
			return;
		}
		y = f->next_row++;
		go_mutex_unlock(&f->mu);

		sum = shade_row(f, y);

		go_mutex_lock(&f->mu);
		f->sum += sum;
		f->rows_done++;
		go_mutex_unlock(&f->mu);
	}
}

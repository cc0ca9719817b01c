/* The last row is checked with > instead of ==: one worker takes row
 * `height`, which the frame does not have, and shades past its pixels. */
#include "render.h"

void render_worker(struct frame *f)
{
	for (;;) {
		uint64_t sum;
		int y;

		go_mutex_lock(&f->mu);
		if (f->next_row > f->height) {
			go_mutex_unlock(&f->mu);
			return;
		}
		y = f->next_row++;
		go_mutex_unlock(&f->mu);

		sum = shade_row(f, y); /* wrong: sanitizer */

		go_mutex_lock(&f->mu);
		f->sum += sum;
		f->rows_done++;
		go_mutex_unlock(&f->mu);
	}
}

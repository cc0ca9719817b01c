/* The critical section is split in two, but the shading went into the
 * second half: the lock is still held across shade_row, and the workers
 * still take turns. */
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

		go_mutex_lock(&f->mu);
		sum = shade_row(f, y); /* wrong: test anywhere */
		f->sum += sum;
		f->rows_done++;
		go_mutex_unlock(&f->mu);
	}
}

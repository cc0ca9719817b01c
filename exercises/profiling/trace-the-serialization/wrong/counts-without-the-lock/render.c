/* The row is taken under the lock, but "the sum is only a checksum": the
 * counts are added with no lock, and two workers add at once. */
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

		f->sum += sum; /* wrong: sanitizer */
		f->rows_done++;
	}
}

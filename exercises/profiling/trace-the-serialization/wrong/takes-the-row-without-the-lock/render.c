/* "next_row++ is one instruction": the row is taken with no lock, and
 * two workers read and write next_row at once. */
#include "render.h"

void render_worker(struct frame *f)
{
	for (;;) {
		uint64_t sum;
		int y;

		y = f->next_row++; /* wrong: sanitizer */
		if (y >= f->height)
			return;

		sum = shade_row(f, y);

		go_mutex_lock(&f->mu);
		f->sum += sum;
		f->rows_done++;
		go_mutex_unlock(&f->mu);
	}
}

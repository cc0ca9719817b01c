/* render_test.c: instructor tests for trace-the-serialization, one
 * process per case: every row shaded once, by any number of workers. */
#include <chanlab_test.h>
#include <stdlib.h>

#include "frame.h"

static void check_frame(int width, int height, int workers)
{
	struct frame *f = frame_new(width, height), *want = frame_new(width, height);
	int wrong = -1;

	CL_ASSERT(f && want);
	frame_render(f, workers);
	for (int y = 0; y < height; y++)
		shade_row(want, y);
	for (long i = 0; i < (long)width * height && wrong < 0; i++)
		if (f->pixels[i] != want->pixels[i])
			wrong = (int)(i / width);
	CL_EXPECT_MSG(wrong < 0, "with %d workers, row %d of %d was not shaded", workers, wrong, height);
	CL_EXPECT_MSG(f->rows_done == height, "with %d workers, rows_done is %d; the frame has %d rows", workers,
		      f->rows_done, height);
	CL_EXPECT_MSG(f->sum == frame_want_sum(width, height), "with %d workers, the checksum is %llu, expected %llu",
		      workers, (unsigned long long)f->sum, (unsigned long long)frame_want_sum(width, height));
	frame_free(f);
	frame_free(want);
}

CL_TEST(one_worker_shades_every_row) {
	check_frame(128, 32, 1);
}

CL_TEST(two_workers_shade_every_row_once) {
	check_frame(128, 64, 2);
}

CL_TEST(eight_workers_shade_every_row_once) {
	check_frame(128, 64, 8);
}

/* Short rows, many of them: the workers meet at the lock all the time. */
CL_TEST(four_workers_on_a_tall_narrow_frame) {
	check_frame(16, 1024, 4);
}

CL_TEST(more_workers_than_rows) {
	check_frame(64, 3, 6);
}

/* One op: a 320 x 96 frame shaded by 2 workers on 2 Ps. */
CL_BENCH(render_320x96_on_two_ps) {
	go_gomaxprocs(2);
	for (long i = 0; i < b->n; i++) {
		struct frame *f;

		cl_stop_timer(b);
		f = frame_new(320, 96);
		if (!f)
			abort();
		cl_start_timer(b);
		frame_render(f, 2);
		cl_stop_timer(b);
		if (f->rows_done != 96)
			abort();
		frame_free(f);
		cl_start_timer(b);
	}
}

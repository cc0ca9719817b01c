/* render_main.c: the program the check traces (instructor file): a
 * 640 x 960 frame shaded by 2 workers, at GOMAXPROCS=2. */
#include <stdio.h>

#include "frame.h"

int go_main(int argc, char **argv)
{
	struct frame *f = frame_new(640, 960);
	int done;

	(void)argc, (void)argv;
	if (!f)
		return 1;
	frame_render(f, 2);
	done = f->rows_done;
	printf("%d rows shaded, checksum %llu\n", done, (unsigned long long)f->sum);
	frame_free(f);
	return done == 960 ? 0 : 1;
}

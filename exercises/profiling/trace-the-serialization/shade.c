/* shade.c: the work of a row (instructor file): a view of the
 * Mandelbrot set, its pixels the escape counts, so a row costs as much
 * CPU as its points take to escape. */
#include "render.h"

uint64_t shade_row(struct frame *f, int y)
{
	uint32_t *row = f->pixels + (long)y * f->width;
	double ci = -1.2 + 2.4 * y / f->height;
	uint64_t sum = 0;

	for (int x = 0; x < f->width; x++) {
		double cr = -2.2 + 3.2 * x / f->width, zr = 0, zi = 0;
		uint32_t n = 0;

		while (n < 200 && zr * zr + zi * zi < 4) {
			double t = zr * zr - zi * zi + cr;

			zi = 2 * zr * zi + ci;
			zr = t;
			n++;
		}
		row[x] = n;
		sum += n;
	}
	return sum;
}

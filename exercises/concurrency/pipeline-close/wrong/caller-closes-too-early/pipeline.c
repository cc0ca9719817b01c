/* Wrong: the caller closes the squares channel itself, right after starting
 * the stages, as if close meant "I am listening": its own loop then ends at
 * once with a sum of 0 (and a squarer that got further would send on a
 * closed channel). */
#include <go.h>

#include "pipeline.h"

struct gen {
	const int *xs;
	int n;
	go_chan *out;
};

struct sq {
	go_chan *in, *out;
};

/* Sends every number of xs on out. */
static void generate(void *arg)
{
	struct gen *g = arg;

	for (int i = 0; i < g->n; i++)
		go_send(g->out, &g->xs[i]);
	go_close(g->out);   /* no more numbers: the squarer's loop ends */
}

/* Squares every number that arrives on in and sends it on out. */
static void square(void *arg)
{
	struct sq *s = arg;
	int x;

	while (go_recv2(s->in, &x)) {
		long y = (long)x * x;

		go_send(s->out, &y);
	}
}

long pipeline_sum_squares(const int *xs, int n)
{
	go_chan *nums = go_chan_make(sizeof(int), 0);
	go_chan *squares = go_chan_make(sizeof(long), 0);
	struct gen g = { xs, n, nums };
	struct sq s = { nums, squares };
	long sum = 0, y;

	go_spawn(generate, &g);
	go_spawn(square, &s);
	go_close(squares);      /* wrong: test anywhere */
	while (go_recv2(squares, &y))
		sum += y;
	go_chan_free(nums);
	go_chan_free(squares);
	return sum;
}

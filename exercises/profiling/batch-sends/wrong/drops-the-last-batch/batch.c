/* Wrong: sends each full batch and closes: the numbers in the last,
 * partly filled batch are never sent. */
#include <go.h>

#include "batch.h"

#define BATCH 256

struct batch {
	int n;
	int v[BATCH];
};

struct consumer {
	go_chan *in;     /* batches of numbers */
	go_chan *done;   /* the total, once in is closed */
};

static void consume(void *arg)
{
	struct consumer *c = arg;
	struct batch b;
	long total = 0;

	while (go_recv2(c->in, &b))
		for (int i = 0; i < b.n; i++)
			total += b.v[i];
	go_send(c->done, &total);
}

long channel_sum(const int *xs, int n)
{
	struct consumer c = {
		.in = go_chan_make(sizeof(struct batch), 4),   /* a little slack for the producer */
		.done = go_chan_make(sizeof(long), 0),
	};
	struct batch b = { 0 };
	long total;

	go_spawn(consume, &c);
	for (int i = 0; i < n; i++) {
		b.v[b.n++] = xs[i];
		if (b.n == BATCH) {     /* one channel operation per 256 numbers */
			go_send(c.in, &b);
			b.n = 0;
		}
	}
	go_close(c.in);         /* wrong: test anywhere */
	go_recv(c.done, &total);
	go_chan_free(c.in);
	go_chan_free(c.done);
	return total;
}

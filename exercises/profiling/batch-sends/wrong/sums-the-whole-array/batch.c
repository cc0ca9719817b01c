/* Wrong: the consumer adds up all 256 slots of every batch, not the n
 * that were filled: a last, partial batch brings in the numbers left over
 * from the batch before it. */
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
		for (int i = 0; i < BATCH; i++)         /* wrong: test anywhere */
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
	if (b.n > 0)
		go_send(c.in, &b);
	go_close(c.in);
	go_recv(c.done, &total);
	go_chan_free(c.in);
	go_chan_free(c.done);
	return total;
}

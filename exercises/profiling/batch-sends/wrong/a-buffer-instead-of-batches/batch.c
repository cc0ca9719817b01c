/* Wrong: "the sends wait for the receiver, so give the channel a buffer":
 * a 1024-slot buffer saves most of the waiting, and every number is still
 * a channel operation with its lock. */
#include <go.h>

#include "batch.h"

struct consumer {
	go_chan *in;     /* the numbers */
	go_chan *done;   /* the total, once in is closed */
};

static void consume(void *arg)
{
	struct consumer *c = arg;
	long total = 0;
	int x;

	while (go_recv2(c->in, &x))
		total += x;
	go_send(c->done, &total);
}

long channel_sum(const int *xs, int n)
{
	struct consumer c = {
		.in = go_chan_make(sizeof(int), 1024),
		.done = go_chan_make(sizeof(long), 0),
	};
	long total;

	go_spawn(consume, &c);
	for (int i = 0; i < n; i++)
		go_send(c.in, &xs[i]);  /* wrong: benchmark anywhere */
	go_close(c.in);
	go_recv(c.done, &total);
	go_chan_free(c.in);
	go_chan_free(c.done);
	return total;
}

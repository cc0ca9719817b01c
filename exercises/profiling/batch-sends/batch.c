/* Summing in a consumer goroutine: see the exercise text (chanlab shows it). */
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
		.in = go_chan_make(sizeof(int), 0),
		.done = go_chan_make(sizeof(long), 0),
	};
	long total;

	go_spawn(consume, &c);
	for (int i = 0; i < n; i++)
		go_send(c.in, &xs[i]);   /* one channel operation per number */
	go_close(c.in);
	go_recv(c.done, &total);
	go_chan_free(c.in);
	go_chan_free(c.done);
	return total;
}

/* Wrong: sends all ten numbers before receiving any square, as if the
 * channel were a queue; the worker is stuck sending the first square. */
#include <stdio.h>

#include <go.h>

struct pipes {
	go_chan *in;    /* numbers to square */
	go_chan *out;   /* their squares */
};

/* Receives ten numbers and sends back their squares. */
static void worker(void *arg)
{
	struct pipes *p = arg;

	for (int i = 0; i < 10; i++) {
		int n, sq;

		go_recv(p->in, &n);
		sq = n * n;
		go_send(p->out, &sq);
	}
}

int go_main(int argc, char **argv)
{
	struct pipes p = {
		.in = go_chan_make(sizeof(int), 0),
		.out = go_chan_make(sizeof(int), 0),
	};

	(void)argc, (void)argv;
	go_spawn(worker, &p);
	for (int i = 1; i <= 10; i++)
		go_send(p.in, &i);      /* wrong: deadlock */
	for (int i = 1; i <= 10; i++) {
		int sq;

		go_recv(p.out, &sq);
		printf("%d\n", sq);
	}
	go_chan_free(p.in);
	go_chan_free(p.out);
	return 0;
}

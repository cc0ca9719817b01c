/* Wrong: the worker is never started, so the first send on the unbuffered
 * channel has no receiver and waits forever. */
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
	(void)worker;
	for (int i = 1; i <= 10; i++) {
		int sq;

		go_send(p.in, &i);      /* wrong: deadlock */
		go_recv(p.out, &sq);
		printf("%d\n", sq);
	}
	go_chan_free(p.in);
	go_chan_free(p.out);
	return 0;
}

/* A deadlock: the runtime must say so and point at the receive on line 12. */
#include <go.h>

static void worker(void *arg)
{
	go_chan *c = arg;
	int v = 1;
	go_send(c, &v);
}

int go_main(int argc, char **argv)
{
	go_chan *c = go_chan_make(sizeof(int), 0);
	int v;
	(void)argc, (void)argv;
	go_spawn(worker, c);
	go_recv(c, &v);
	go_recv(c, &v);
	return 0;
}

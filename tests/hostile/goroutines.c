/* Not hostile: 20,000 goroutines wait at a channel, as a Go program's
 * would, then all go. Their stacks are 1.3 GiB of address space and
 * about 90 MiB of memory: a 256 MiB limit holds them. */
#include <stdio.h>
#include <go.h>
static go_chan *gate, *done;
static void wait_gate(void *arg)
{
	int v;
	(void)arg;
	go_recv(gate, &v);
	go_send(done, &v);
}
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	gate = go_chan_make(sizeof(int), 0);
	done = go_chan_make(sizeof(int), 0);
	for (int i = 0; i < 20000; i++)
		go_spawn(wait_gate, NULL);
	go_close(gate);
	for (int i = 0, v; i < 20000; i++)
		go_recv(done, &v);
	printf("20000 goroutines came and went\n");
	return 0;
}

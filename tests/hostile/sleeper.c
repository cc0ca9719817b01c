/* Sleeps forever, in a goroutine and in go_main. */
#include <unistd.h>
#include <go.h>
static void nap(void *arg) { (void)arg; for (;;) sleep(100); }
int go_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	go_spawn(nap, NULL);
	for (;;)
		sleep(100);
}

/* A data race between goroutines: TSan must point at line 10. */
#include <stdio.h>
#include <go.h>

static long counter;

static void bump(void *arg)
{
	go_waitgroup *wg = arg;
	for (int i = 0; i < 200000; i++) counter++;
	go_waitgroup_done(wg);
}

int go_main(int argc, char **argv)
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	(void)argc, (void)argv;
	go_waitgroup_add(&wg, 8);
	for (int i = 0; i < 8; i++)
		go_spawn(bump, &wg);
	go_waitgroup_wait(&wg);
	printf("%ld\n", counter);
	return 0;
}

/* A data race between goroutines: TSan must point at line 10. */
#include <stdio.h>
#include <go.h>

static long counter;
static int started;             /* atomic: racers wait for each other, */
static void meet(void);         /* so that two run at once on two Ms */
static void bump(void *arg)
{	go_waitgroup *wg = arg; meet();
	for (int i = 0; i < 200000; i++) counter++;
	go_waitgroup_done(wg);
}

/* On one M, goroutines run in turn, and TSan takes each switch for
 * synchronisation: only two at once on two threads show it the race.
 * Gives up after 5 s (one P, or a machine too busy to run both). */
static void meet(void)
{
	int64_t give_up = go_now() + 5 * GO_SECOND;

	__atomic_add_fetch(&started, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&started, __ATOMIC_RELAXED) < 2 && go_now() < give_up)
		;
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

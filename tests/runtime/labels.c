/* go_pprof_do: the CPU profile's samples carry the labels of the code
 * that ran them, and a goroutine spawned inside inherits them. Spins
 * about 300 ms of CPU under phase=parse (twice a goroutine's 100 ms,
 * inherited, plus 100 ms on its own) and 100 ms under phase=render, then
 * prints what go_pprof_labels said inside and outside. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <go.h>

static const char *seen_child;
static go_waitgroup wg = GO_WAITGROUP_INIT;

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void __attribute__((noinline)) spin(double seconds)
{
	volatile unsigned long x = 0;
	double start = cpu_now();

	while (cpu_now() - start < seconds)
		for (int i = 0; i < 10000; i++)
			x += (unsigned long)i;
}

static void child(void *arg)
{
	(void)arg;
	seen_child = go_pprof_labels();
	spin(0.2);
	go_waitgroup_done(&wg);
}

static void parse(void *arg)
{
	(void)arg;
	go_waitgroup_add(&wg, 1);
	go_spawn(child, NULL);
	spin(0.1);
	go_waitgroup_wait(&wg);
}

static void render(void *arg)
{
	const char **seen = arg;

	*seen = go_pprof_labels();
	spin(0.1);
}

int go_main(int argc, char **argv)
{
	const char *seen_render = NULL, *before = go_pprof_labels(), *after;

	(void)argc, (void)argv;
	go_pprof_do("phase=parse,tenant=7", parse, NULL);
	go_pprof_do("phase=render", render, &seen_render);
	after = go_pprof_labels();
	printf("before %s, child %s, render %s, after %s\n", before ? before : "none", seen_child ? seen_child : "none",
	       seen_render ? seen_render : "none", after ? after : "none");
	return 0;
}

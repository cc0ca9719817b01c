/*
 * output.c — what a program printed with stdio before it died reaches
 * whoever reads its stdout, as a Go program's fmt.Println does; and the
 * calls a goroutine polls in a loop let other goroutines run at 1 P.
 * tests/runtime.t runs each case with stdout into a pipe (fully buffered).
 *
 *   output segv | abort | fpe | deadlock | panic | fatal | overflow |
 *          loop (prints, then spins until SIGQUIT) |
 *          trylock | len | numgoroutine (poll until another goroutine acts)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go.h"

static go_chan *c;
static go_mutex mu;
static volatile int zero;

static int recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	return n == 0 ? 0 : recurse(n - 1) + pad[0];
}

static void overflow(void *arg)
{
	(void)arg;
	printf("%d\n", recurse(1 << 20));
}

static void unlock_later(void *arg)
{
	(void)arg;
	go_mutex_unlock(&mu);
}

static void send_one(void *arg)
{
	(void)arg;
	int v = 1;
	go_send(c, &v);
}

static void just_return(void *arg)
{
	(void)arg;
}

int go_main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	int v;

	printf("before %s\n", what);
	if (strcmp(what, "segv") == 0) {
		*(volatile int *)(uintptr_t)zero = 1;
	} else if (strcmp(what, "abort") == 0) {
		abort();
	} else if (strcmp(what, "fpe") == 0) {
		v = (argc + 6) / zero;   /* not 1 / x: gcc turns that into a compare */
		printf("%d\n", v);
	} else if (strcmp(what, "deadlock") == 0) {
		c = go_chan_make(sizeof(int), 0);
		go_recv(c, &v);
	} else if (strcmp(what, "panic") == 0) {
		go_panic("something went wrong");
	} else if (strcmp(what, "fatal") == 0) {
		go_mutex_unlock(&mu);
	} else if (strcmp(what, "overflow") == 0) {
		go_spawn(overflow, NULL);
		c = go_chan_make(sizeof(int), 0);
		go_recv(c, &v);
	} else if (strcmp(what, "loop") == 0) {
		for (;;)
			zero++;
	} else if (strcmp(what, "trylock") == 0) {
		go_mutex_lock(&mu);
		go_spawn(unlock_later, NULL);
		while (!go_mutex_trylock(&mu))
			;
		printf("locked\n");
	} else if (strcmp(what, "len") == 0) {
		c = go_chan_make(sizeof(int), 1);
		go_spawn(send_one, NULL);
		while (go_chan_len(c) == 0 || go_chan_cap(c) == 0)
			;
		printf("len %zu\n", go_chan_len(c));
	} else if (strcmp(what, "numgoroutine") == 0) {
		go_spawn(just_return, NULL);
		while (go_num_goroutine() > 1)
			;
		printf("alone\n");
	}
	return 0;
}

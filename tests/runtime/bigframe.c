/*
 * bigframe.c — big frames (tests/runtime.t): go_main and a goroutine (a
 * deep stack: 64 MiB) run a 512 KiB local array and a deep recursion; a
 * goroutine with a 96 MiB local array (bigframe huge) is reported as a
 * stack overflow at its creation line, not killed by a bare SIGSEGV after
 * jumping over its guard page.
 */
#include <stdio.h>
#include <string.h>

#include "go.h"

static __attribute__((noinline)) int big(int seed)
{
	volatile char buf[512 * 1024];

	buf[0] = (char)seed;
	buf[sizeof(buf) - 1] = (char)seed;
	return buf[0] + buf[sizeof(buf) - 1];
}

static __attribute__((noinline)) int deep(int n)
{
	volatile char pad[64];

	pad[0] = (char)n;
	return n == 0 ? 0 : deep(n - 1) + 1 + pad[0] * 0;
}

static __attribute__((noinline)) int huge(int seed)
{
	volatile char buf[96 << 20];

	buf[0] = (char)seed;
	buf[sizeof(buf) - 1] = (char)seed;
	return buf[0] + buf[sizeof(buf) - 1];
}

static void in_goroutine(void *arg)
{
	go_chan *c = arg;
	int r = big(1) + deep(50000);

	go_send(c, &r);
}

static void huge_goroutine(void *arg)
{
	go_chan *c = arg;
	int r = huge(1);

	go_send(c, &r);
}

int go_main(int argc, char **argv)
{
	go_chan *c = go_chan_make(sizeof(int), 1);
	int r;

	printf("main: big %d, deep %d\n", big(2), deep(50000));
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "goroutine") == 0) {
		go_spawn(in_goroutine, c);
		go_recv(c, &r);
		printf("goroutine: %d\n", r);
	}
	if (argc > 1 && strcmp(argv[1], "huge") == 0) {
		go_spawn(huge_goroutine, c);    /* @spawn_huge */
		go_recv(c, &r);
	}
	return 0;
}

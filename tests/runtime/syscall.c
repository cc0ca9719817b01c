/*
 * syscall.c — system calls give up their P (tests/runtime.t): at
 * GOMAXPROCS=1 one goroutine blocks in read(2) on a pipe and another in
 * usleep(3) while go_main keeps ticking; then go_main writes to the pipe
 * and both come back. Prints "ticks N, read 1 byte, slept" and exits 0.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "go.h"

static int fds[2];
static go_waitgroup wg = GO_WAITGROUP_INIT;
static ssize_t got = -2;
static int slept;

static void reader(void *arg)
{
	char c;

	(void)arg;
	got = read(fds[0], &c, 1);
	go_waitgroup_done(&wg);
}

static void sleeper(void *arg)
{
	(void)arg;
	errno = 0;
	slept = usleep(200 * 1000) == 0 && errno == 0;
	go_waitgroup_done(&wg);
}

int go_main(int argc, char **argv)
{
	int ticks = 0;
	int64_t t0;

	(void)argc, (void)argv;
	if (pipe(fds) < 0)
		return 2;
	go_waitgroup_add(&wg, 2);
	go_spawn(reader, NULL);
	go_spawn(sleeper, NULL);
	t0 = go_now();
	while (go_now() - t0 < 100 * GO_MILLISECOND) {
		go_sleep(GO_MILLISECOND);
		ticks++;
	}
	if (write(fds[1], "x", 1) != 1)
		return 2;
	go_waitgroup_wait(&wg);
	/* a P held by the usleep would allow a tick or two in 100 ms, the
	 * read none at all; a loaded machine may allow far fewer than 100 */
	printf("ticks %s, read %zd byte, %s\n", ticks >= 5 ? "many" : "few", got, slept ? "slept" : "woke early");
	return 0;
}

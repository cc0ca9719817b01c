/*
 * netpoll.c — the network poller (tests/runtime.t): goroutines waiting on
 * pipes and sockets park instead of holding threads, wake when data comes
 * (from another goroutine or from a thread of its own), time out at their
 * deadlines, and are not taken for a deadlock while they wait. Prints
 * "netpoll ok" or what broke.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "go.h"

#define PAIRS 200
#define ROUNDS 200

static int threads(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

/* echo: read a number, write it back plus one, until end of file */
static void echo(void *arg)
{
	int fd = (int)(intptr_t)arg;
	long v;

	while (go_read(fd, &v, sizeof(v)) == sizeof(v)) {
		v++;
		if (go_write(fd, &v, sizeof(v)) != sizeof(v))
			abort();
	}
	close(fd);
}

static go_chan *done;

static void client(void *arg)
{
	int fd = (int)(intptr_t)arg;
	long v = 0, bad = 0;

	for (int i = 0; i < ROUNDS; i++) {
		long w = v;

		if (go_write(fd, &w, sizeof(w)) != sizeof(w) || go_read(fd, &v, sizeof(v)) != sizeof(v))
			bad++;
		bad += v != w + 1;
	}
	close(fd);
	go_send(done, &bad);
}

static int pipefd[2];

static void *late_writer(void *arg)
{
	(void)arg;
	usleep(50 * 1000);
	if (write(pipefd[1], "x", 1) != 1)
		abort();
	return NULL;
}

static void reader(void *arg)
{
	char c = 0;
	long got = go_read(pipefd[0], &c, 1);

	(void)arg;
	got = got == 1 && c == 'x';
	go_send(done, &got);
}

struct big {
	int fd;
	size_t n;
};

static void slow_reader(void *arg)
{
	struct big *b = arg;
	static char buf[4096];
	long total = 0, r;

	while ((r = go_read(b->fd, buf, sizeof(buf))) > 0) {
		total += r;
		if (total % (64 * 4096) == 0)
			go_sleep(GO_MILLISECOND);
	}
	go_send(done, &total);
}

#define FAIL(...) (printf(__VA_ARGS__), printf("\n"), 1)

int go_main(int argc, char **argv)
{
	int most = 0;
	long bad = 0, v;
	int64_t t0;
	char c;

	(void)argc, (void)argv;
	done = go_chan_make(sizeof(long), 0);
	/* 1. many conversations over socketpairs: parked, not on threads */
	for (int i = 0; i < PAIRS; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return FAIL("socketpair: errno %d", errno);
		go_spawn(echo, (void *)(intptr_t)sv[0]);
		go_spawn(client, (void *)(intptr_t)sv[1]);
	}
	for (int i = 0; i < PAIRS; i++) {
		go_recv(done, &v);
		bad += v;
		if (threads() > most)
			most = threads();
	}
	if (bad)
		return FAIL("%ld of %ld echoes were wrong", bad, (long)PAIRS * ROUNDS);
	if (most > 16)
		return FAIL("%d threads for %d waiting goroutines: they hold threads", most, 2 * PAIRS);

	/* 2. a deadline: an empty pipe times out */
	if (pipe(pipefd) < 0)
		return FAIL("pipe: errno %d", errno);
	t0 = go_now();
	if (go_read_until(pipefd[0], &c, 1, go_now() + 20 * GO_MILLISECOND) != -1 || errno != ETIMEDOUT)
		return FAIL("a read past its deadline did not time out (errno %d)", errno);
	if (go_now() - t0 < 20 * GO_MILLISECOND)
		return FAIL("it timed out early, after %lld ns", (long long)(go_now() - t0));

	/* 3. every goroutine waits, one on a pipe a plain thread writes to in
	 * 50 ms: not a deadlock */
	pthread_t th;

	go_spawn(reader, NULL);
	pthread_create(&th, NULL, late_writer, NULL);
	go_recv(done, &v);
	pthread_join(th, NULL);
	if (v != 1)
		return FAIL("the reader got no byte (%ld)", v);

	/* 4. a write larger than the pipe completes, all of it */
	struct big b = { pipefd[0], 1 << 20 };
	static char out[1 << 20];

	go_spawn(slow_reader, &b);
	memset(out, 'y', sizeof(out));
	if (go_write(pipefd[1], out, sizeof(out)) != (long)sizeof(out))
		return FAIL("a 1 MiB write stopped short (errno %d)", errno);
	close(pipefd[1]);
	go_recv(done, &v);
	if (v != (long)sizeof(out))
		return FAIL("the reader got %ld of %ld bytes", v, (long)sizeof(out));
	printf("netpoll ok\n");
	return 0;
}

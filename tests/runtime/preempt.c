/*
 * preempt.c — asynchronous preemption (tests/runtime.t): at GOMAXPROCS=1,
 * goroutines that never call the runtime must not starve go_main, and
 * what they hold in registers, in the red zone and in SSE registers must
 * be intact after every preemption. Prints "ticks N ok" or what broke.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "go.h"

static atomic_int stop;

struct result {
	uint64_t rounds, acc, want;
	double facc, fwant;
};

/* Integer state in registers and a local array: the same sum computed
 * twice over, by the loop and then again after it, must agree. */
static __attribute__((noinline)) void ints(void *arg)
{
	go_chan *done = arg;
	struct result r = { 0 };
	uint64_t a = 1, b = 2, c = 3, d = 4;
	volatile uint64_t local[4] = { 0 };

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		a = a * 6364136223846793005ULL + b;
		b ^= a >> 7;
		c += b * 3;
		d = d * 31 + (c >> 3);
		local[r.rounds & 3] += d;
		r.rounds++;
	}
	r.acc = a ^ b ^ c ^ d ^ local[0] ^ local[1] ^ local[2] ^ local[3];
	a = 1, b = 2, c = 3, d = 4;
	uint64_t l[4] = { 0 };
	for (uint64_t i = 0; i < r.rounds; i++) {
		a = a * 6364136223846793005ULL + b;
		b ^= a >> 7;
		c += b * 3;
		d = d * 31 + (c >> 3);
		l[i & 3] += d;
	}
	r.want = a ^ b ^ c ^ d ^ l[0] ^ l[1] ^ l[2] ^ l[3];
	go_send(done, &r);
}

/* Floating point in SSE registers, the same way. */
static __attribute__((noinline)) void floats(void *arg)
{
	go_chan *done = arg;
	struct result r = { 0 };
	double x = 0.5, y = 1.25, z = 0;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		x = x * 1.0000001 + 0.25;
		y = y * 0.9999999 + x * 1e-9;
		z += x - y;
		r.rounds++;
	}
	r.facc = x + y + z;
	x = 0.5, y = 1.25, z = 0;
	for (uint64_t i = 0; i < r.rounds; i++) {
		x = x * 1.0000001 + 0.25;
		y = y * 0.9999999 + x * 1e-9;
		z += x - y;
	}
	r.fwant = x + y + z;
	go_send(done, &r);
}

int go_main(int argc, char **argv)
{
	go_chan *done = go_chan_make(sizeof(struct result), 2);
	int ticks = argc > 1 ? atoi(argv[1]) : 20, bad = 0;
	struct result r;

	(void)argv;
	go_spawn(ints, done);
	go_spawn(floats, done);
	for (int i = 0; i < ticks; i++)
		go_sleep(5 * GO_MILLISECOND);
	atomic_store(&stop, 1);
	for (int i = 0; i < 2; i++) {
		go_recv(done, &r);
		if (r.acc != r.want || r.facc != r.fwant) {
			printf("state broken after %llu rounds\n", (unsigned long long)r.rounds);
			bad = 1;
		}
	}
	if (!bad)
		printf("ticks %d ok\n", ticks);
	return bad;
}

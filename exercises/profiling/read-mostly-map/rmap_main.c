/* rmap_main.c: the program the check profiles (instructor file), at
 * GOMAXPROCS=2. Ten times over, a put of one key is held half-way
 * through for up to 20 ms (ht_hold_put: a slow write) while 64
 * goroutines each get a key of their own; the mutex profile then counts
 * who had to wait for whom. */
#include <stdio.h>

#include <go.h>

#include "ht_hold.h"
#include "rmap.h"

#define ROUNDS 10
#define GETS 64

struct job {
	struct rmap *m;
	uint64_t key;
	go_chan *done;
};

static void put_one(void *arg)
{
	struct job *j = arg;
	int one = 1;

	rmap_put(j->m, j->key, 1);
	go_send(j->done, &one);
}

static void get_one(void *arg)
{
	struct job *j = arg;
	int ok = rmap_get(j->m, j->key, NULL);

	go_send(j->done, &ok);
}

int go_main(int argc, char **argv)
{
	struct rmap *m = rmap_new();
	go_chan *entered = go_chan_make(sizeof(int), 1), *release = go_chan_make(sizeof(int), 1);
	go_chan *done = go_chan_make(sizeof(int), GETS + 1);
	struct job put, gets[GETS];
	int one = 1, ok, early = 0;

	(void)argc, (void)argv;
	if (!m || !entered || !release || !done)
		return 1;
	for (uint64_t k = 0; k < 100000; k++)
		rmap_put(m, k, k);
	for (int r = 0; r < ROUNDS; r++) {
		int64_t deadline;
		int n = 0;

		put = (struct job){ m, 5000000 + (uint64_t)r, done };
		ht_hold_put(put.key, entered, release);
		go_spawn(put_one, &put);
		go_recv(entered, &one);
		for (int i = 0; i < GETS; i++) {
			gets[i] = (struct job){ m, (uint64_t)(r * GETS + i) * 131, done };
			go_spawn(get_one, &gets[i]);
		}
		deadline = go_now() + 20 * GO_MILLISECOND;
		while (n < GETS && go_recv_until(done, &ok, NULL, deadline) == GO_OK)
			n++;
		early += n;
		go_send(release, &one);
		for (; n < GETS + 1; n++)
			go_recv(done, &ok);
	}
	printf("%d of %d gets finished while a put was held\n", early, ROUNDS * GETS);
	go_chan_free(entered);
	go_chan_free(release);
	go_chan_free(done);
	rmap_free(m);
	return 0;
}

/* limit.c: the reference solution. A buffered channel of `limit` tokens:
 * a job puts one in before it runs (waiting while all are out) and takes
 * it back after. */
#include <stdlib.h>

#include <go.h>

#include "limit.h"

struct call {
	void (*job)(int, void *);
	void *arg;
	int i;
	go_chan *tokens;
	go_waitgroup *wg;
};

static void one(void *p)
{
	struct call *c = p;
	int token = 0;

	go_send(c->tokens, &token);
	c->job(c->i, c->arg);
	go_recv(c->tokens, NULL);
	go_waitgroup_done(c->wg);
	free(c);
}

void run_limited(int njobs, int limit, void (*job)(int i, void *arg), void *arg)
{
	go_chan *tokens = go_chan_make(sizeof(int), (size_t)limit);
	go_waitgroup wg = GO_WAITGROUP_INIT;

	for (int i = 0; i < njobs; i++) {
		struct call *c = malloc(sizeof(*c));

		*c = (struct call){ job, arg, i, tokens, &wg };
		go_waitgroup_add(&wg, 1);
		go_spawn(one, c);
	}
	go_waitgroup_wait(&wg);
	go_chan_free(tokens);
}

int square(int x)
{
	return x * x;
}

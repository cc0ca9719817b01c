/* limit.c: every job at once, for now. TODO: at most limit of them. */
#include <stdlib.h>

#include <go.h>

#include "limit.h"

struct call {
	void (*job)(int, void *);
	void *arg;
	int i;
	go_waitgroup *wg;
};

static void one(void *p)
{
	struct call *c = p;

	c->job(c->i, c->arg);
	go_waitgroup_done(c->wg);
	free(c);
}

void run_limited(int njobs, int limit, void (*job)(int i, void *arg), void *arg)
{
	go_waitgroup wg = GO_WAITGROUP_INIT;

	(void)limit;
	for (int i = 0; i < njobs; i++) {
		struct call *c = malloc(sizeof(*c));

		*c = (struct call){ job, arg, i, &wg };
		go_waitgroup_add(&wg, 1);
		go_spawn(one, c);
	}
	go_waitgroup_wait(&wg);
}

int square(int x)
{
	return x * x;
}

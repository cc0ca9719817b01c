/* group.c: a group of tasks, as Go's errgroup. Every task runs in a
 * goroutine of its own and is counted in a WaitGroup, and group_wait
 * waits for them all. What a failure does is yours to write (see the
 * exercise text). */
#include <stdlib.h>

#include "group.h"

struct group {
	go_ctx *ctx;            /* a child of the parent */
	go_waitgroup wg;        /* tasks still running */
	go_mutex mu;            /* guards err */
	int err;                /* an error a task returned, or 0 */
};

struct call {
	struct group *g;
	group_task task;
	void *arg;
};

struct group *group_new(go_ctx *parent)
{
	struct group *g = calloc(1, sizeof(*g));

	g->ctx = go_ctx_with_cancel(parent);
	return g;
}

go_ctx *group_ctx(struct group *g)
{
	return g->ctx;
}

static void run(void *arg)
{
	struct call *c = arg;
	struct group *g = c->g;
	int err = c->task(g->ctx, c->arg);

	free(c);
	if (err != 0) {
		/* TODO: the first error wins, and it stops the others */
		go_mutex_lock(&g->mu);
		g->err = err;
		go_mutex_unlock(&g->mu);
	}
	go_waitgroup_done(&g->wg);
}

void group_go(struct group *g, group_task task, void *arg)
{
	struct call *c = malloc(sizeof(*c));

	*c = (struct call){ g, task, arg };
	go_waitgroup_add(&g->wg, 1);
	go_spawn(run, c);
}

int group_wait(struct group *g)
{
	go_waitgroup_wait(&g->wg);
	return g->err;
}

void group_free(struct group *g)
{
	go_ctx_free(g->ctx);
	free(g);
}

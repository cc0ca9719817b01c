/* Wrong: each task adds itself to the WaitGroup when it starts, so a
 * group_wait that runs before the tasks do finds nothing to wait for. */
/* group.c: an errgroup. Every task runs in a goroutine of its own and is
 * counted in a WaitGroup; the first to fail records its error (under the
 * mutex, once) and cancels the group's context, which every sibling that
 * waits on it sees. group_wait joins them all, so nobody outlives it. */
#include <stdlib.h>

#include "group.h"

struct group {
	go_ctx *ctx;            /* a child of the parent; cancelled on the first error */
	go_waitgroup wg;        /* tasks still running */
	go_mutex mu;            /* guards err */
	int err;                /* the first error, or 0 */
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
	int err;

	go_waitgroup_add(&g->wg, 1);    /* wrong: test anywhere */
	err = c->task(g->ctx, c->arg);

	free(c);
	if (err != 0) {
		go_mutex_lock(&g->mu);
		if (g->err == 0) {
			g->err = err;
			go_ctx_cancel(g->ctx);
		}
		go_mutex_unlock(&g->mu);
	}
	go_waitgroup_done(&g->wg);
}

void group_go(struct group *g, group_task task, void *arg)
{
	struct call *c = malloc(sizeof(*c));

	*c = (struct call){ g, task, arg };
	go_spawn(run, c);
}

int group_wait(struct group *g)
{
	go_waitgroup_wait(&g->wg);
	go_ctx_cancel(g->ctx);
	return g->err;
}

void group_free(struct group *g)
{
	go_ctx_free(g->ctx);
	free(g);
}

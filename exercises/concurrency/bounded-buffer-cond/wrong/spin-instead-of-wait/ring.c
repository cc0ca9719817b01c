/* Wrong: instead of a condition variable, a getter drops the lock, yields
 * and tries again until there is an item: correct, but it burns a CPU the
 * whole time it waits. */
#include <stdlib.h>

#include <go.h>

#include "ring.h"

struct ring {
	go_mutex mu;            /* guards everything below */
	go_cond not_full;       /* signalled when an item is taken */
	go_cond not_empty;      /* signalled when an item is added, broadcast on close */
	int *buf;
	size_t cap, head, count;
	bool closed;
};

struct ring *ring_new(size_t cap)
{
	struct ring *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->buf = calloc(cap, sizeof(int));
	if (!r->buf) {
		free(r);
		return NULL;
	}
	r->cap = cap;
	r->not_full = (go_cond)GO_COND_INIT(&r->mu);
	r->not_empty = (go_cond)GO_COND_INIT(&r->mu);
	return r;
}

void ring_put(struct ring *r, int v)
{
	go_mutex_lock(&r->mu);
	while (r->count == r->cap)      /* another putter may have filled it again */
		go_cond_wait(&r->not_full);
	r->buf[(r->head + r->count++) % r->cap] = v;
	go_cond_signal(&r->not_empty);  /* one item: one getter */
	go_mutex_unlock(&r->mu);
}

bool ring_get(struct ring *r, int *v)
{
	go_mutex_lock(&r->mu);
	while (r->count == 0 && !r->closed) {   /* wrong: test anywhere */
		go_mutex_unlock(&r->mu);
		go_yield();
		go_mutex_lock(&r->mu);
	}
	if (r->count == 0) {            /* closed and drained */
		go_mutex_unlock(&r->mu);
		return false;
	}
	*v = r->buf[r->head];
	r->head = (r->head + 1) % r->cap;
	r->count--;
	go_cond_signal(&r->not_full);   /* one slot: one putter */
	go_mutex_unlock(&r->mu);
	return true;
}

void ring_close(struct ring *r)
{
	go_mutex_lock(&r->mu);
	r->closed = true;
	go_cond_broadcast(&r->not_empty);       /* every getter must see it */
	go_mutex_unlock(&r->mu);
}

void ring_free(struct ring *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r);
}

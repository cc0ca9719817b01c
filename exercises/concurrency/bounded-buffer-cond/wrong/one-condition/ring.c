/* Wrong: while loops and a broadcast on close, but one condition variable
 * for putters and getters alike; a getter's signal can wake the other
 * getter instead of the waiting putter, and then everybody waits. */
#include <stdlib.h>

#include <go.h>

#include "ring.h"

struct ring {
	go_mutex mu;            /* guards everything below */
	go_cond cv;             /* something changed */
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
	r->cv = (go_cond)GO_COND_INIT(&r->mu);
	return r;
}

void ring_put(struct ring *r, int v)
{
	go_mutex_lock(&r->mu);
	while (r->count == r->cap)      /* another putter may have filled it again */
		go_cond_wait(&r->cv);   /* wrong: deadlock */
	r->buf[(r->head + r->count++) % r->cap] = v;
	go_cond_signal(&r->cv);
	go_mutex_unlock(&r->mu);
}

bool ring_get(struct ring *r, int *v)
{
	go_mutex_lock(&r->mu);
	while (r->count == 0 && !r->closed)     /* another getter may have taken it */
		go_cond_wait(&r->cv);
	if (r->count == 0) {            /* closed and drained */
		go_mutex_unlock(&r->mu);
		return false;
	}
	*v = r->buf[r->head];
	r->head = (r->head + 1) % r->cap;
	r->count--;
	go_cond_signal(&r->cv);
	go_mutex_unlock(&r->mu);
	return true;
}

void ring_close(struct ring *r)
{
	go_mutex_lock(&r->mu);
	r->closed = true;
	go_cond_broadcast(&r->cv);
	go_mutex_unlock(&r->mu);
}

void ring_free(struct ring *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r);
}

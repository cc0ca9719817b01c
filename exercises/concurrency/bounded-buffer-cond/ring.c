/* A bounded buffer from a mutex and condition variables: see the exercise
 * text (chanlab shows it). */
#include <stdlib.h>

#include <go.h>

#include "ring.h"

struct ring {
	go_mutex mu;            /* guards everything below */
	go_cond cv;             /* "something changed" */
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
	if (r->count == r->cap)
		go_cond_wait(&r->cv);
	r->buf[(r->head + r->count++) % r->cap] = v;
	go_cond_signal(&r->cv);
	go_mutex_unlock(&r->mu);
}

bool ring_get(struct ring *r, int *v)
{
	go_mutex_lock(&r->mu);
	if (r->count == 0 && !r->closed)
		go_cond_wait(&r->cv);
	if (r->count == 0) {
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
	go_mutex_unlock(&r->mu);
}

void ring_free(struct ring *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r);
}

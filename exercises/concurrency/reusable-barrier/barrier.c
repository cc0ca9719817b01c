/* barrier.c: a barrier from a mutex and a condition variable. See the
 * exercise text (chanlab shows it). */
#include <stdlib.h>

#include "barrier.h"

struct barrier {
	go_mutex mu;            /* guards everything below */
	go_cond all_here;       /* broadcast when the last one arrives */
	int n;                  /* goroutines that use the barrier */
	int count;              /* how many have arrived */
};

struct barrier *barrier_new(int n)
{
	struct barrier *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->all_here = (go_cond)GO_COND_INIT(&b->mu);
	b->n = n;
	return b;
}

void barrier_free(struct barrier *b)
{
	free(b);
}

/* TODO: this barrier works once. The second time round count is already
 * n, so nobody waits for anybody. */
void barrier_wait(struct barrier *b)
{
	go_mutex_lock(&b->mu);
	b->count++;
	if (b->count == b->n)
		go_cond_broadcast(&b->all_here);
	while (b->count < b->n)
		go_cond_wait(&b->all_here);
	go_mutex_unlock(&b->mu);
}

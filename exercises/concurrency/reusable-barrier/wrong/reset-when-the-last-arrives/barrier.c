/* Wrong: the starter with the count reset by the last to arrive, right
 * after its broadcast. The goroutines it woke look at the count again,
 * find 0, which is below n, and go back to sleep for ever. */
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

void barrier_wait(struct barrier *b)
{
	go_mutex_lock(&b->mu);
	b->count++;
	if (b->count == b->n) {
		go_cond_broadcast(&b->all_here);
		b->count = 0;
		go_mutex_unlock(&b->mu);
		return;
	}
	while (b->count < b->n)
		go_cond_wait(&b->all_here);     /* wrong: deadlock */
	go_mutex_unlock(&b->mu);
}

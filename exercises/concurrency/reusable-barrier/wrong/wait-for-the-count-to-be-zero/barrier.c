/* Wrong: the last to arrive resets the count to 0 and broadcasts, and the
 * others wait until the count is 0. But the last one did not wait: it
 * can return, finish its next phase and arrive again (count 1) before a
 * woken goroutine looks. That one sees 1, sleeps through its own round
 * and never arrives at the next: everybody waits. */
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
	if (++b->count == b->n) {
		b->count = 0;
		go_cond_broadcast(&b->all_here);
	} else {
		while (b->count != 0)
			go_cond_wait(&b->all_here);     /* wrong: deadlock */
	}
	go_mutex_unlock(&b->mu);
}

/* Wrong: the count is reset only when the last goroutine has left, so
 * nobody who is still waking sees it reset. But a fast goroutine that
 * has left can arrive again before the last one leaves: the count is
 * still n (or more), and it walks straight through the next round; its
 * second way out then counts as the last one's, the count is reset under
 * the goroutines still waking, and they sleep for ever. */
#include <stdlib.h>

#include "barrier.h"

struct barrier {
	go_mutex mu;            /* guards everything below */
	go_cond all_here;       /* broadcast when the last one arrives */
	int n;                  /* goroutines that use the barrier */
	int count;              /* how many have arrived */
	int left;               /* how many have left since */
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
	if (b->count == b->n)
		go_cond_broadcast(&b->all_here);
	while (b->count < b->n)
		go_cond_wait(&b->all_here);     /* wrong: deadlock */
	if (++b->left == b->n) {        /* the last one out resets the barrier */
		b->count = 0;
		b->left = 0;
	}
	go_mutex_unlock(&b->mu);
}

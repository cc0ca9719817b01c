/* Wrong: a generation counter, but instead of go_cond_wait a goroutine
 * whose round is not over unlocks, yields and looks again: correct, and
 * it burns a CPU for as long as it waits. */
#include <stdlib.h>

#include "barrier.h"

struct barrier {
	go_mutex mu;            /* guards everything below */
	int n;                  /* goroutines that use the barrier */
	int count;              /* how many have arrived in this round */
	unsigned long round;    /* the round now filling up */
};

struct barrier *barrier_new(int n)
{
	struct barrier *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->n = n;
	return b;
}

void barrier_free(struct barrier *b)
{
	free(b);
}

void barrier_wait(struct barrier *b)
{
	unsigned long round;

	go_mutex_lock(&b->mu);
	round = b->round;
	if (++b->count == b->n) {
		b->count = 0;
		b->round++;
	} else {
		while (b->round == round) {     /* wrong: test anywhere */
			go_mutex_unlock(&b->mu);
			go_yield();
			go_mutex_lock(&b->mu);
		}
	}
	go_mutex_unlock(&b->mu);
}

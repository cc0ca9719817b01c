/* Wrong: a generation counter, but the last to arrive wakes one waiting
 * goroutine with go_cond_signal: with three or more, the others sleep on
 * though their round is over. */
#include <stdlib.h>

#include "barrier.h"

struct barrier {
	go_mutex mu;            /* guards everything below */
	go_cond round_over;     /* broadcast when the last one arrives */
	int n;                  /* goroutines that use the barrier */
	int count;              /* how many have arrived in this round */
	unsigned long round;    /* the round now filling up */
};

struct barrier *barrier_new(int n)
{
	struct barrier *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->round_over = (go_cond)GO_COND_INIT(&b->mu);
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
		go_cond_signal(&b->round_over);
	} else {
		while (b->round == round)
			go_cond_wait(&b->round_over);  /* wrong: deadlock */
	}
	go_mutex_unlock(&b->mu);
}

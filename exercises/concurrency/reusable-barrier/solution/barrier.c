/* barrier.c: the reference solution, a generation counter. Every round
 * of the barrier has a number; a goroutine notes the round it arrives in
 * and waits until that round is over. The last to arrive ends the round:
 * it resets the count for the next one, moves on to the next round and
 * wakes everybody. A goroutine woken late still sees that its own round
 * is over, even if fast goroutines have already arrived in the next one
 * (the count alone cannot tell it that). */
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
		go_cond_broadcast(&b->round_over);
	} else {
		while (b->round == round)
			go_cond_wait(&b->round_over);
	}
	go_mutex_unlock(&b->mu);
}

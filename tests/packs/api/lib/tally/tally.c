/* tally: see tally.h. */
#include "tally.h"

void tally_enter(struct tally *t)
{
	go_mutex_lock(&t->mu);
	t->now++;
	t->total++;
	if (t->now > t->peak)
		t->peak = t->now;
	go_mutex_unlock(&t->mu);
}

void tally_leave(struct tally *t)
{
	go_mutex_lock(&t->mu);
	t->now--;
	go_mutex_unlock(&t->mu);
}

int tally_peak(struct tally *t)
{
	int p;

	go_mutex_lock(&t->mu);
	p = t->peak;
	go_mutex_unlock(&t->mu);
	return p;
}

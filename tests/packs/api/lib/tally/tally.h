/* tally: a count of what is in flight now and at most, shared by
 * goroutines (a pack library: lib/tally/, `uses = { "tally" }`). */
#ifndef TALLY_H
#define TALLY_H

#include <go.h>

struct tally {
	go_mutex mu;
	int now, peak, total;
};

#define TALLY_INIT { GO_MUTEX_INIT, 0, 0, 0 }

void tally_enter(struct tally *t);
void tally_leave(struct tally *t);
int tally_peak(struct tally *t);

#endif

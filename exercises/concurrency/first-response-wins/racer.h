/* racer.h: race two calls, keep the first answer (see the exercise text). */
#ifndef RACER_H
#define RACER_H

#include <stdint.h>

#include <go.h>

/* A call to race: fn(arg) does slow work (asks a mirror, say) and returns
 * its answer. racer_race runs each call on a goroutine of its own. */
struct racer_call {
	int (*fn)(void *arg);
	void *arg;
};

/* Starts a and b at once and waits for the first answer, for at most
 * timeout nanoseconds. Returns 0 with the call that answered first in
 * *winner (0 for a, 1 for b) and its answer in *answer; or GO_ETIMEDOUT,
 * once timeout has passed, when neither answered in time (*winner and
 * *answer untouched). Never waits for the slower call: that one finishes
 * on its own, later, and once it has, nothing of the race is left (no
 * goroutine, no channel, no timer). Blocks. */
int racer_race(struct racer_call a, struct racer_call b, int64_t timeout, int *winner, int *answer);

#endif

/* Wrong: one slot in the results channel, "the winner's answer is read
 * anyway": when both calls are too late nobody reads either, and the
 * second runner waits in go_send for ever.
 *
 *
 * A race is shared by three goroutines: the caller and one runner per
 * call. Each holds a reference; the last one to let go frees the race and
 * its channel (what Go's garbage collector does for Go's version). The
 * results channel has a slot for each runner, so no runner ever waits to
 * hand in an answer nobody reads any more. */
#include <stdlib.h>

#include "racer.h"

struct result {
	int who;                /* 0 for a, 1 for b */
	int answer;
};

struct race;

struct runner {
	struct race *race;
	int who;
};

struct race {
	struct racer_call calls[2];
	struct runner runners[2];
	go_chan *results;       /* struct result: room for both answers */
	go_atomic_int32 refs;   /* the caller and the runners not done yet */
};

static void race_release(struct race *r)
{
	if (go_atomic_int32_add(&r->refs, -1) == 0) {
		go_chan_free(r->results);
		free(r);
	}
}

/* Makes one call and hands in its answer; never waits for a reader. */
static void run(void *arg)
{
	struct runner *rn = arg;
	struct race *r = rn->race;
	struct result res = { rn->who, r->calls[rn->who].fn(r->calls[rn->who].arg) };

	go_send(r->results, &res);      /* a free slot is always there */
	race_release(r);
}

int racer_race(struct racer_call a, struct racer_call b, int64_t timeout, int *winner, int *answer)
{
	struct race *r = calloc(1, sizeof *r);
	struct result res;
	go_chan *deadline;
	int err = GO_ETIMEDOUT;

	if (r == NULL)
		abort();
	r->calls[0] = a;
	r->calls[1] = b;
	r->results = go_chan_make(sizeof(struct result), 1);
	go_atomic_int32_store(&r->refs, 3);
	for (int i = 0; i < 2; i++) {
		r->runners[i] = (struct runner){ r, i };
		go_spawn(run, &r->runners[i]);          /* wrong: leak */
	}

	deadline = go_after(timeout);
	go_case cases[] = { GO_RECV(r->results, &res), GO_RECV(deadline, NULL) };
	if (go_select(cases, 2) == 0) {
		*winner = res.who;
		*answer = res.answer;
		err = 0;
	}
	go_chan_free(deadline);         /* stops the timer if it has not fired */
	race_release(r);                /* the loser frees the race when it is done */
	return err;
}

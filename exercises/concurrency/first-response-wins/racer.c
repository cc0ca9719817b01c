/* First response wins: see the exercise text (chanlab shows it).
 *
 * A race is shared by three goroutines: the caller and one runner per
 * call. Each holds a reference; the last one to let go frees the race and
 * its channel (what Go's garbage collector does for Go's version).
 *
 * TODO: the loser hands in its answer when nobody listens any more. */
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
	go_chan *results;       /* struct result */
	go_atomic_int32 refs;   /* the caller and the runners not done yet */
};

static void race_release(struct race *r)
{
	if (go_atomic_int32_add(&r->refs, -1) == 0) {
		go_chan_free(r->results);
		free(r);
	}
}

/* Makes one call and hands in its answer. */
static void run(void *arg)
{
	struct runner *rn = arg;
	struct race *r = rn->race;
	struct result res = { rn->who, r->calls[rn->who].fn(r->calls[rn->who].arg) };

	go_send(r->results, &res);
	race_release(r);
}

int racer_race(struct racer_call a, struct racer_call b, int64_t timeout, int *winner, int *answer)
{
	struct race *r = calloc(1, sizeof *r);
	struct result res;
	int err = GO_ETIMEDOUT;

	if (r == NULL)
		abort();
	r->calls[0] = a;
	r->calls[1] = b;
	r->results = go_chan_make(sizeof(struct result), 0);      /* unbuffered */
	go_atomic_int32_store(&r->refs, 3);
	for (int i = 0; i < 2; i++) {
		r->runners[i] = (struct runner){ r, i };
		go_spawn(run, &r->runners[i]);
	}

	go_case cases[] = { GO_RECV(r->results, &res), GO_RECV(go_after(timeout), NULL) };
	if (go_select(cases, 2) == 0) {
		*winner = res.who;
		*answer = res.answer;
		err = 0;
	}
	race_release(r);                /* the last runner frees the race */
	return err;
}

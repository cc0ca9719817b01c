/* stages.c: stage 2 of the invoicing pipeline, fanned out: a worker per
 * request the price service takes at once, all receiving from the same
 * input (fan-out) and sending into one output (fan-in), which the last
 * to finish lets a closer goroutine close. */
#include <stdlib.h>

#include "prices.h"

struct stage {
	go_chan *in, *out;
	go_waitgroup wg;        /* the workers still running */
};

static void price_lines(void *arg)
{
	struct stage *s = arg;
	struct line l;

	while (go_recv2(s->in, &l)) {
		struct priced p = { l.id, l.qty * price_lookup(l.sku) };

		go_send(s->out, &p);
	}
	go_waitgroup_done(&s->wg);
}

/* Closes out once every worker has sent its last line, then frees the
 * stage: nobody else uses it by then. */
static void close_when_done(void *arg)
{
	struct stage *s = arg;

	go_waitgroup_wait(&s->wg);
	go_close(s->out);
	free(s);
}

go_chan *price_stage(go_chan *in)
{
	struct stage *s = malloc(sizeof(*s));
	go_chan *out;

	if (!s)
		return NULL;
	*s = (struct stage){ in, go_chan_make(sizeof(struct priced), 0), GO_WAITGROUP_INIT };
	out = s->out;
	go_waitgroup_add(&s->wg, PRICE_MAX_REQUESTS);
	for (int w = 0; w < PRICE_MAX_REQUESTS; w++)
		go_spawn(price_lines, s);
	go_spawn(close_when_done, s);
	return out;
}

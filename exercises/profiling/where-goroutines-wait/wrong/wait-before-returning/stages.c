/* Fanned out, and price_stage waits for its workers before it returns
 * out: nobody can drain out yet, so the workers wait to send for ever. */
#include <stdlib.h>

#include "prices.h"

struct stage {
	go_chan *in, *out;
	go_waitgroup wg;
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
	go_waitgroup_wait(&s->wg);      /* wrong: deadlock */
	go_close(out);
	free(s);
	return out;
}

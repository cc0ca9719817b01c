/* stages.c: stage 2 of the invoicing pipeline: one goroutine prices the
 * lines, one after another, and closes its output after the last. */
#include <stdlib.h>

#include "prices.h"

struct stage {
	go_chan *in, *out;
};

static void price_lines(void *arg)
{
	struct stage *s = arg;
	struct line l;

	while (go_recv2(s->in, &l)) {
		struct priced p = { l.id, l.qty * price_lookup(l.sku) };

		go_send(s->out, &p);
	}
	go_close(s->out);
	free(s);
}

go_chan *price_stage(go_chan *in)
{
	struct stage *s = malloc(sizeof(*s));
	go_chan *out;

	if (!s)
		return NULL;
	*s = (struct stage){ in, go_chan_make(sizeof(struct priced), 0) };
	out = s->out;
	/* TODO: the price service takes PRICE_MAX_REQUESTS requests at once;
	 * one goroutine sends it one at a time */
	go_spawn(price_lines, s);
	return out;
}

/* Fanned out, with a plain count of running workers: the last one out
 * closes the channel. Two workers decrement it at once with no lock. */
#include <stdlib.h>

#include "prices.h"

struct stage {
	go_chan *in, *out;
	int running;
};

static void price_lines(void *arg)
{
	struct stage *s = arg;
	struct line l;

	while (go_recv2(s->in, &l)) {
		struct priced p = { l.id, l.qty * price_lookup(l.sku) };

		go_send(s->out, &p);
	}
	if (--s->running == 0)  /* wrong: sanitizer */
		go_close(s->out);
}

go_chan *price_stage(go_chan *in)
{
	struct stage *s = malloc(sizeof(*s));
	go_chan *out;

	if (!s)
		return NULL;
	*s = (struct stage){ in, go_chan_make(sizeof(struct priced), 0), PRICE_MAX_REQUESTS };
	out = s->out;
	for (int w = 0; w < PRICE_MAX_REQUESTS; w++)
		go_spawn(price_lines, s);
	return out;
}

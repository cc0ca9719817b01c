/* Fanned out, but each worker closes out when in runs dry: the second
 * to finish closes it while the others still have lines to send, and
 * their sends panic. */
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

		go_send(s->out, &p);    /* wrong: crash */
	}
	go_close(s->out);
}

go_chan *price_stage(go_chan *in)
{
	struct stage *s = malloc(sizeof(*s));
	go_chan *out;

	if (!s)
		return NULL;
	*s = (struct stage){ in, go_chan_make(sizeof(struct priced), 0) };
	out = s->out;
	for (int w = 0; w < PRICE_MAX_REQUESTS; w++)
		go_spawn(price_lines, s);
	return out;
}

/* A goroutine per line: stage 3 hardly waits, but the price service gets
 * every line's request at once, far past the 8 it takes. */
#include <stdlib.h>

#include "prices.h"

struct stage {
	go_chan *in, *out;
	go_waitgroup wg;
};

struct job {
	struct stage *s;
	struct line l;
};

static void price_one(void *arg)
{
	struct job *j = arg;
	struct priced p = { j->l.id, j->l.qty * price_lookup(j->l.sku) };   /* wrong: test anywhere */

	go_send(j->s->out, &p);
	go_waitgroup_done(&j->s->wg);
	free(j);
}

static void price_lines(void *arg)
{
	struct stage *s = arg;
	struct line l;

	while (go_recv2(s->in, &l)) {
		struct job *j = malloc(sizeof(*j));

		if (!j)
			break;
		*j = (struct job){ s, l };
		go_waitgroup_add(&s->wg, 1);
		go_spawn(price_one, j);
	}
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
	go_spawn(price_lines, s);
	return out;
}

/* The deadline as a goroutine that sleeps out the grace period and then
 * sends: when the drain ends sooner, nobody ever receives its send, and
 * it outlives server_run (time.Sleep + send, the classic leak). */
#include <stdlib.h>

#include <go.h>

#include "server.h"

struct handler {
	struct request *r;
	go_ctx *ctx;
	go_waitgroup *wg;
};

static void handle(void *arg)
{
	struct handler *h = arg;

	request_handle(h->r, h->ctx);
	go_waitgroup_done(h->wg);
	free(h);
}

struct alarm {
	int64_t after;
	go_chan *ring;
};

static void ring_after(void *arg)
{
	struct alarm *a = arg;
	int one = 1;

	go_sleep(a->after);
	go_send(a->ring, &one);
	free(a);
}

struct drain {
	go_waitgroup *wg;
	go_chan *done;          /* closed when every handler has returned */
};

static void wait_handlers(void *arg)
{
	struct drain *d = arg;

	go_waitgroup_wait(d->wg);
	go_close(d->done);
}

int server_run(const struct server_cfg *cfg)
{
	go_ctx *ctx = go_ctx_with_cancel(go_ctx_background());
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct drain d = { &wg, go_chan_make(sizeof(int), 0) };
	struct alarm *alarm;
	go_chan *ring;
	struct request *r;
	int sig, status = 0;

	if (!d.done)
		abort();
	/* serve until the first signal */
	for (;;) {
		go_case cases[] = { GO_RECV(cfg->requests, &r), GO_RECV(cfg->sigs, &sig) };
		struct handler *h;

		if (go_select(cases, 2) == 1)
			break;
		h = malloc(sizeof(*h));
		if (!h)
			abort();
		*h = (struct handler){ r, ctx, &wg };
		go_waitgroup_add(&wg, 1);
		go_spawn(handle, h);
	}
	/* stop accepting (nobody receives from cfg->requests any more) and
	 * drain: the handlers, the grace period or a second signal */
	alarm = malloc(sizeof(*alarm));
	ring = go_chan_make(sizeof(int), 0);
	if (!alarm || !ring)
		abort();
	*alarm = (struct alarm){ cfg->grace, ring };
	go_spawn(ring_after, alarm);    /* wrong: leak */
	go_spawn(wait_handlers, &d);
	{
		go_case cases[] = { GO_RECV(d.done, NULL), GO_RECV(ring, NULL), GO_RECV(cfg->sigs, &sig) };

		if (go_select(cases, 3) != 0)
			status = 1;
	}
	go_ctx_cancel(ctx);     /* what still runs stops now */
	go_recv2(d.done, NULL);
	go_ctx_free(ctx);
	go_chan_free(d.done);
	go_chan_free(ring);
	return status;
}

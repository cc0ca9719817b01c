/* "Serve while we drain": the drain's select still takes new requests,
 * so a server told to stop keeps starting work. */
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
	go_ctx *grace;
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
	grace = go_ctx_with_timeout(go_ctx_background(), cfg->grace);
	go_spawn(wait_handlers, &d);
	for (;;) {
		go_case cases[] = { GO_RECV(d.done, NULL), GO_RECV(go_ctx_done(grace), NULL),
				    GO_RECV(cfg->sigs, &sig), GO_RECV(cfg->requests, &r) };
		int i = go_select(cases, 4);
		struct handler *h;

		if (i < 3) {
			status = i != 0;
			break;
		}
		h = malloc(sizeof(*h));
		if (!h)
			abort();
		*h = (struct handler){ r, ctx, &wg };
		go_waitgroup_add(&wg, 1);       /* wrong: test anywhere */
		go_spawn(handle, h);
	}
	go_ctx_cancel(ctx);     /* what still runs stops now */
	go_recv2(d.done, NULL);
	go_ctx_cancel(grace);
	go_ctx_free(grace);
	go_ctx_free(ctx);
	go_chan_free(d.done);
	return status;
}

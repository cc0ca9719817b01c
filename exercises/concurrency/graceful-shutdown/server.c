/* server.c: one goroutine per request, until the first SIGINT; then it
 * returns at once, whatever is still running. */
#include <stdlib.h>

#include <go.h>

#include "server.h"

struct handler {
	struct request *r;
	go_ctx *ctx;
};

static void handle(void *arg)
{
	struct handler *h = arg;

	request_handle(h->r, h->ctx);
	free(h);
}

int server_run(const struct server_cfg *cfg)
{
	struct request *r;
	int sig;

	for (;;) {
		go_case cases[] = { GO_RECV(cfg->requests, &r), GO_RECV(cfg->sigs, &sig) };
		struct handler *h;

		if (go_select(cases, 2) == 1)
			break;
		h = malloc(sizeof(*h));
		if (!h)
			abort();
		*h = (struct handler){ r, go_ctx_background() };
		go_spawn(handle, h);
	}
	/* TODO: a SIGINT came. Stop accepting, but let the requests in flight
	 * finish, for at most cfg->grace; a second SIGINT, or the end of the
	 * grace period, cancels those still running. Return once they have
	 * all returned: 0 if they all finished, 1 if any was cancelled. */
	return 0;
}

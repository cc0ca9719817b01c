/* Wrong: the timeout's context is never freed (Go's missing defer
 * cancel()): once cancelled it is lost (LeakSanitizer).
 *
 *
 * The store's fetch knows nothing of contexts, only its own cancel
 * button. So it runs on a goroutine of its own while fetch waits for
 * whichever comes first: its result, or the end of the context (the
 * caller's cancel or deadline, or fetch's own timeout). On the second,
 * fetch presses the button and waits for the store to stop, since the
 * store writes into the caller's buffer until it returns. */
#include "fetch.h"

struct job {
	struct store *s;
	char *out;
	size_t n;
	go_chan *done;          /* int: store_fetch's result */
};

static void run(void *arg)
{
	struct job *j = arg;
	int rc = store_fetch(j->s, j->out, j->n);

	go_send(j->done, &rc);
}

int fetch(go_ctx *ctx, struct store *s, int64_t timeout, char *out, size_t n)
{
	go_ctx *tctx = go_ctx_with_timeout(ctx, timeout);      /* wrong: test */
	struct job j = { s, out, n, go_chan_make(sizeof(int), 0) };
	int rc;

	go_spawn(run, &j);
	go_case cases[] = { GO_RECV(j.done, &rc), GO_RECV(go_ctx_done(tctx), NULL) };
	if (go_select(cases, 2) == 1) {
		store_cancel(s);                /* nobody wants the record any more */
		go_recv(j.done, NULL);          /* the store stops at once: wait for it */
		rc = go_ctx_err(tctx) == GO_EDEADLINE ? GO_ETIMEDOUT : GO_ECANCELED;
	}
	go_chan_free(j.done);
	return rc;
}

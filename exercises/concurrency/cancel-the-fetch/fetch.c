/* Stop when the caller stops: see the exercise text (chanlab shows it).
 *
 * The store's fetch knows nothing of contexts, only its own cancel
 * button. It runs on a goroutine of its own while fetch waits for its
 * result.
 *
 * TODO: stop waiting when ctx is cancelled or the time is up, and tell
 * the store. */
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
	struct job j = { s, out, n, go_chan_make(sizeof(int), 0) };
	int rc;

	(void)ctx;
	(void)timeout;
	go_spawn(run, &j);
	go_recv(j.done, &rc);                   /* waits for the whole record */
	go_chan_free(j.done);
	return rc;
}

/* Returns at once when cancelled, but keeps the token it was promised:
 * the next caller waits for one more token than it should. */
#include "limiter.h"

void limiter_init(struct limiter *l, double rate, int burst)
{
	l->mu = (go_mutex)GO_MUTEX_INIT;
	l->rate = rate;
	l->burst = burst;
	l->tokens = burst;
	l->last = go_now();
}

/* With l->mu held: tokens as of now. */
static void refill(struct limiter *l, int64_t now)
{
	l->tokens += (double)(now - l->last) / 1e9 * l->rate;
	if (l->tokens > l->burst)
		l->tokens = l->burst;
	l->last = now;
}

int limiter_wait(struct limiter *l, go_ctx *ctx)
{
	int64_t wait;
	int err;

	if ((err = go_ctx_err(ctx)))
		return err;
	go_mutex_lock(&l->mu);
	refill(l, go_now());
	l->tokens -= 1;                         /* ours, now or later */
	wait = l->tokens < 0 ? (int64_t)(-l->tokens / l->rate * 1e9 + 0.5) : 0;
	go_mutex_unlock(&l->mu);
	if (wait <= 0)
		return GO_OK;
	if ((err = go_sleep_ctx(ctx, wait)) == GO_OK)
		return GO_OK;
	return err;                             /* wrong: test anywhere */
}

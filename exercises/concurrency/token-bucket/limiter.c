/* limiter.c: a rate limiter. See the exercise text (chanlab shows it). */
#include "limiter.h"

void limiter_init(struct limiter *l, double rate, int burst)
{
	l->mu = (go_mutex)GO_MUTEX_INIT;
	l->rate = rate;
	l->burst = burst;
	l->tokens = burst;
	l->last = go_now();
}

/* One call per 1/rate seconds: each caller sleeps that long. */
int limiter_wait(struct limiter *l, go_ctx *ctx)
{
	(void)ctx;
	go_sleep((int64_t)(1e9 / l->rate));
	return GO_OK;
}

/* limiter.h: a token-bucket rate limiter (limiter.c implements it; the
 * tests include this too). */
#ifndef LIMITER_H
#define LIMITER_H

#include <go.h>

struct limiter {
	go_mutex mu;            /* guards the fields below */
	double rate;            /* tokens added per second */
	double burst;           /* the most tokens the bucket holds */
	double tokens;          /* tokens now (negative: owed to waiters) */
	int64_t last;           /* go_now() when tokens was last brought up to date */
};

/* A bucket of rate tokens per second, holding at most burst, full now. */
void limiter_init(struct limiter *l, double rate, int burst);

/* Takes one token, waiting until there is one: GO_OK. If ctx is cancelled
 * (or its deadline passes) first, returns go_ctx_err(ctx) and takes none:
 * a token it had been promised goes back to the bucket. */
int limiter_wait(struct limiter *l, go_ctx *ctx);

#endif

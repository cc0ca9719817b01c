/* invoice.h: stages 1 and 3 of the invoicing pipeline (instructor file,
 * invoice.c), around the learner's stage 2. */
#ifndef INVOICE_H
#define INVOICE_H

#include "prices.h"

/* Stage 1: a channel on which a goroutine sends n order lines (ids 0 to
 * n-1, products and quantities drawn from seed), then closes it. */
go_chan *invoice_feed(int n, unsigned seed);

/* The line of id i that invoice_feed(n, seed) sends. */
struct line invoice_line(int i, unsigned seed);

/* Stage 3: receives priced lines from out until it is closed, counting
 * each id in seen[0..n-1] (ids out of range are counted in *stray), and
 * returns the invoice's total in cents. Blocks. */
long invoice_collect(go_chan *out, int n, int *seen, int *stray);

/* Frees in and out once every goroutine but the caller has finished
 * (waiting up to 2 s; past that it leaves them, still in use). Blocks. */
void invoice_free(go_chan *in, go_chan *out);

/* The whole pipeline over n lines: stage 1, price_stage, stage 3; frees
 * the channels. Returns the total, or -1 when price_stage failed or a
 * line came back wrong (unknown, twice, missing, or priced wrongly). */
long invoice_run(int n, unsigned seed);

#endif

/* prices.h: stage 2 of an invoicing pipeline, which prices order lines
 * with a remote price service (the tests include this too). */
#ifndef PRICES_H
#define PRICES_H

#include <go.h>

/* An order line (stage 1 sends these) and the line priced (stage 2 sends
 * these to stage 3). */
struct line {
	int id;                 /* unique per line */
	int sku;                /* the product */
	int qty;
};

struct priced {
	int id;                 /* the line's */
	long cents;             /* qty times the product's price */
};

/* The price service accepts this many requests at once. */
#define PRICE_MAX_REQUESTS 8

/* The price of one product, in cents, from the price service (prices.c,
 * the instructor's): one network round trip of about 2 ms. Blocks (it
 * sleeps, as a goroutine waiting on a socket does: off the CPU). Safe to
 * call from several goroutines at once, at most PRICE_MAX_REQUESTS. */
long price_lookup(int sku);

/* Stage 2: starts the goroutines that receive lines from in until it is
 * closed, price each with price_lookup, and send one struct priced per
 * line on the channel it returns (unbuffered or not), which is closed
 * after the last. Results may come out in any order. Returns at once;
 * the caller drains the channel, then frees it (and in). NULL when out of
 * memory. */
go_chan *price_stage(go_chan *in);

#endif

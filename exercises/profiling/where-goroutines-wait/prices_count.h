/* prices_count.h: what the price service counted (instructor file, for
 * the tests and the driver). */
#ifndef PRICES_COUNT_H
#define PRICES_COUNT_H

/* The price price_lookup returns for sku, without the round trip. */
long price_of(int sku);

/* Lookups made so far. */
long prices_looked_up(void);

/* The most lookups that were in flight at the same moment. */
int prices_most_in_flight(void);

#endif

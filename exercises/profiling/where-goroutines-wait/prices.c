/* prices.c: the price service (instructor file). A lookup sleeps 2 ms,
 * a network round trip, and counts itself: how many lookups were made
 * and how many were in flight at once (C11 atomics, which ThreadSanitizer
 * sees). */
#include <stdatomic.h>

#include "prices.h"
#include "prices_count.h"

static atomic_long lookups;
static atomic_int in_flight, most_in_flight;

long price_lookup(int sku)
{
	int now = atomic_fetch_add(&in_flight, 1) + 1, most = atomic_load(&most_in_flight);

	while (now > most && !atomic_compare_exchange_weak(&most_in_flight, &most, now))
		;
	go_sleep(2 * GO_MILLISECOND);
	atomic_fetch_sub(&in_flight, 1);
	atomic_fetch_add(&lookups, 1);
	return price_of(sku);
}

long price_of(int sku)
{
	return 100 + (long)((unsigned)sku * 7919u % 9000u);
}

long prices_looked_up(void)
{
	return atomic_load(&lookups);
}

int prices_most_in_flight(void)
{
	return atomic_load(&most_in_flight);
}

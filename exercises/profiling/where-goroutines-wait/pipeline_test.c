/* pipeline_test.c: instructor tests for where-goroutines-wait, one
 * process per case. Stages 1 and 3 are invoice.c's; the price service
 * (prices.c) counts the lookups and how many were in flight at once. */
#include <chanlab_test.h>
#include <stdlib.h>

#include "invoice.h"
#include "prices_count.h"

/* Runs n lines through the pipeline and checks every line came back
 * once, priced right. */
static void check_lines(int n, unsigned seed)
{
	go_chan *in = invoice_feed(n, seed), *out;
	int *seen = calloc((size_t)n + 1, sizeof(int)), stray = 0, missing = 0, twice = 0;
	long total, want = 0;

	CL_ASSERT(in && seen);
	out = price_stage(in);
	CL_ASSERT_MSG(out, "price_stage returned NULL");
	total = invoice_collect(out, n, seen, &stray);
	invoice_free(in, out);
	for (int i = 0; i < n; i++) {
		struct line l = invoice_line(i, seed);

		want += l.qty * price_of(l.sku);
		missing += seen[i] == 0;
		twice += seen[i] > 1;
	}
	CL_EXPECT_MSG(missing == 0, "%d of %d lines never came out of price_stage", missing, n);
	CL_EXPECT_MSG(twice == 0, "%d of %d lines came out more than once", twice, n);
	CL_EXPECT_MSG(stray == 0, "%d results had an id that was never sent", stray);
	CL_EXPECT_MSG(total == want, "the invoice totals %ld cents; the lines' prices add up to %ld", total, want);
	CL_EXPECT_MSG(prices_looked_up() == n, "%ld lookups for %d lines: one per line", prices_looked_up(), n);
	free(seen);
}

CL_TEST(every_line_is_priced_exactly_once) {
	check_lines(200, 1);
	CL_LOG("%d lookups in flight at most", prices_most_in_flight());
}

CL_TEST(one_line) {
	check_lines(1, 2);
}

CL_TEST(no_lines_closes_the_output) {
	check_lines(0, 3);
}

CL_TEST(fewer_lines_than_requests_at_once) {
	check_lines(PRICE_MAX_REQUESTS / 2 + 1, 4);
}

CL_TEST(the_price_service_gets_at_most_8_requests_at_once) {
	check_lines(120, 5);
	CL_EXPECT_MSG(prices_most_in_flight() <= PRICE_MAX_REQUESTS,
		      "%d lookups were in flight at once: the price service takes %d", prices_most_in_flight(),
		      PRICE_MAX_REQUESTS);
	CL_LOG("%d lookups in flight at most (the service takes %d)", prices_most_in_flight(), PRICE_MAX_REQUESTS);
}

/* One op: an invoice of 64 lines, on two threads. */
CL_BENCH(invoice_64_lines) {
	go_gomaxprocs(2);
	for (long k = 0; k < b->n; k++)
		if (invoice_run(64, (unsigned)k) < 0)
			break;
}

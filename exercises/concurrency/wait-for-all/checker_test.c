/* checker_test.c: instructor tests for wait-for-all, one process each.
 *
 * The fake site check sleeps for the milliseconds its url names
 * ("200ms-up", "5ms-down") and answers up or down; it counts checks in
 * flight (and the most at once) and checks finished. */
#include <chanlab_test.h>

#include "checker.h"

static atomic_int in_flight, most_in_flight, finished;

static bool fake_check(const char *url)
{
	char *end;
	long ms = strtol(url, &end, 10);
	int now = atomic_fetch_add(&in_flight, 1) + 1;
	int most = atomic_load(&most_in_flight);

	while (now > most && !atomic_compare_exchange_weak(&most_in_flight, &most, now))
		;
	go_sleep(ms * GO_MILLISECOND);
	atomic_fetch_sub(&in_flight, 1);
	atomic_fetch_add(&finished, 1);
	return strcmp(end, "ms-up") == 0;
}

/* Checks n sites and expects each answer; up[] starts as the opposite of
 * the right answer, so an answer never stored shows. */
static void check_and_expect(const char *const *urls, int n)
{
	static bool up[64];

	for (int i = 0; i < n; i++)
		up[i] = strstr(urls[i], "down") != NULL;
	check_sites(fake_check, urls, n, up);
	CL_EXPECT_MSG(atomic_load(&finished) == n,
		      "check_sites returned when %d of the %d checks had finished: it must wait for all of them",
		      atomic_load(&finished), n);
	for (int i = 0; i < n; i++)
		CL_EXPECT_MSG(up[i] == (strstr(urls[i], "-up") != NULL),
			      "site %d (%s) was not reported %s", i, urls[i], up[i] ? "down" : "up");
}

CL_TEST(no_sites_returns_at_once) {
	check_and_expect(NULL, 0);
}

CL_TEST(every_site_is_reported_even_the_slowest) {
	const char *urls[] = { "5ms-up", "80ms-up", "200ms-up" };

	check_and_expect(urls, 3);
}

CL_TEST(sites_that_are_down_are_reported_down) {
	const char *urls[] = { "1ms-down", "30ms-up", "2ms-down", "60ms-up", "3ms-down" };

	check_and_expect(urls, 5);
}

CL_TEST(it_returns_only_after_the_last_check_finished) {
	const char *urls[] = { "120ms-up", "10ms-down", "120ms-down", "10ms-up" };

	check_and_expect(urls, 4);
	CL_EXPECT_MSG(atomic_load(&in_flight) == 0,
		      "%d checks were still running when check_sites returned", atomic_load(&in_flight));
}

CL_TEST(the_checks_run_at_the_same_time) {
	const char *urls[8];

	for (int i = 0; i < 8; i++)
		urls[i] = i % 2 ? "40ms-up" : "40ms-down";
	check_and_expect(urls, 8);
	CL_EXPECT_MSG(atomic_load(&most_in_flight) >= 2,
		      "at most %d check ran at a time: start them all before you wait",
		      atomic_load(&most_in_flight));
}

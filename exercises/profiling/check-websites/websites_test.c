/* websites_test.c: instructor tests for check-websites, one process per
 * case.
 *
 * The fake checker reads how long to "wait for the network" and the
 * answer from the url ("s07.example/5ms/up"), sleeps that long (off the
 * CPU, as a goroutine waiting on a socket does) and counts the checks, the
 * checks in flight and the most in flight at once. */
#include <chanlab_test.h>
#include <stdio.h>

#include "websites.h"

static atomic_int in_flight, most_in_flight, checks;

/* results.c's: how long a write holds the map. A millisecond, so that two
 * goroutines writing the map at about the same time always overlap. */
extern int64_t results_hold;

static void parse(const char *url, long *ms, bool *up)
{
	char state[8] = "";

	*ms = 0;
	sscanf(url, "%*[^/]/%ldms/%7s", ms, state);
	*up = strcmp(state, "up") == 0;
}

static bool fake_check(const char *url)
{
	long ms;
	bool up;
	int now = atomic_fetch_add(&in_flight, 1) + 1;
	int most = atomic_load(&most_in_flight);

	while (now > most && !atomic_compare_exchange_weak(&most_in_flight, &most, now))
		;
	parse(url, &ms, &up);
	go_sleep(ms * GO_MILLISECOND);
	atomic_fetch_sub(&in_flight, 1);
	atomic_fetch_add(&checks, 1);
	return up;
}

/* urls[i] = "sNN.example/MSms/up" or ".../down", in buf. */
static void make_urls(char (*buf)[40], const char **urls, int n, long (*ms)(int), bool (*up)(int))
{
	for (int i = 0; i < n; i++) {
		snprintf(buf[i], sizeof(buf[i]), "s%02d.example/%ldms/%s", i, ms(i), up(i) ? "up" : "down");
		urls[i] = buf[i];
	}
}

/* Checks the map against the one a loop over the urls builds. */
static void expect_map(struct results *map, const char *const *urls, int n, int unique)
{
	int wrong = 0, missing = 0;

	CL_ASSERT_MSG(map, "check_websites returned NULL");
	for (int i = 0; i < n; i++) {
		long ms;
		bool want, got;

		parse(urls[i], &ms, &want);
		if (!results_get(map, urls[i], &got))
			missing++;
		else if (got != want)
			wrong++;
	}
	CL_EXPECT_MSG(missing == 0, "%d of the %d urls have no answer in the map", missing, n);
	CL_EXPECT_MSG(wrong == 0, "%d of the %d urls have the wrong answer in the map", wrong, n);
	CL_EXPECT_MSG(results_len(map) == unique, "the map holds %d urls; the %d checked are %d different ones",
		      results_len(map), n, unique);
	CL_EXPECT_MSG(atomic_load(&checks) == n, "%d checks for %d urls: check each url once",
		      atomic_load(&checks), n);
}

static long varied_ms(int i) { return 1 + (i * 7) % 20; }
static bool every_third_down(int i) { return i % 3 != 0; }
/* 100 ms on a quiet machine; longer where starting eight goroutines may
 * take a while (TSan, a loaded machine), so that started together they
 * still overlap (at most a second) */
static long ms_slow(int i)
{
	double ms = 100 * cl_time_scale();

	(void)i;
	return ms < 1000 ? (long)ms : 1000;
}
static long ms_5(int i) { (void)i; return 5; }
static bool all_up(int i) { (void)i; return true; }

CL_TEST(no_urls_gives_an_empty_map) {
	struct results *map = check_websites(fake_check, NULL, 0);

	expect_map(map, NULL, 0, 0);
	results_free(map);
}

CL_TEST(the_map_is_the_one_a_loop_over_the_urls_builds) {
	char buf[40][40];
	const char *urls[40];
	struct results *map;

	results_hold = GO_MILLISECOND;
	make_urls(buf, urls, 40, varied_ms, every_third_down);
	map = check_websites(fake_check, urls, 40);
	expect_map(map, urls, 40, 40);
	results_free(map);
}

CL_TEST(a_url_listed_twice_is_checked_twice_and_kept_once) {
	char buf[7][40];
	const char *urls[10];
	struct results *map;

	results_hold = GO_MILLISECOND;
	make_urls(buf, urls, 7, varied_ms, every_third_down);
	urls[7] = urls[2];
	urls[8] = urls[5];
	urls[9] = urls[2];
	map = check_websites(fake_check, urls, 10);
	expect_map(map, urls, 10, 7);
	results_free(map);
}

CL_TEST(the_checks_run_at_the_same_time) {
	char buf[8][40];
	const char *urls[8];
	int64_t start = go_now();
	struct results *map;

	results_hold = GO_MILLISECOND;
	make_urls(buf, urls, 8, ms_slow, all_up);
	map = check_websites(fake_check, urls, 8);
	expect_map(map, urls, 8, 8);
	CL_EXPECT_MSG(atomic_load(&most_in_flight) == 8,
		      "at most %d of the 8 checks were waiting at the same time: start them all, then wait for the answers",
		      atomic_load(&most_in_flight));
	CL_LOG("8 checks of %ld ms each took %lld ms; at most %d were in flight at once", ms_slow(0),
	       (long long)((go_now() - start) / GO_MILLISECOND), atomic_load(&most_in_flight));
	results_free(map);
}

/* One op: 20 sites that each take 5 ms to answer. */
CL_BENCH(check_20) {
	char buf[20][40];
	const char *urls[20];

	make_urls(buf, urls, 20, ms_5, all_up);
	cl_reset_timer(b);
	for (long k = 0; k < b->n; k++)
		results_free(check_websites(fake_check, urls, 20));
}

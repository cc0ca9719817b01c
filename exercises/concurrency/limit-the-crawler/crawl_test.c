/* crawl_test.c: instructor tests for limit-the-crawler, one process each.
 *
 * The fake web: PAGES pages "/p0" ... "/p59"; page i links to a few others
 * by a fixed rule, and every tenth page is a leaf. fetch() takes 2 ms,
 * counts fetches per page and fetches in flight (and the most at once). */
#include <chanlab_test.h>

#include "crawl.h"

#define PAGES 60

static char names[PAGES][8];
static atomic_int fetched[PAGES], in_flight, most_in_flight, unknown;

static int page_of(const char *url)
{
	int i;

	if (!url || sscanf(url, "/p%d", &i) != 1 || i < 0 || i >= PAGES)
		return -1;
	return i;
}

static int links_of(int i, int out[4])
{
	if (i % 10 == 9)
		return 0;
	out[0] = (i * 3 + 1) % PAGES;
	out[1] = (i * 7 + 2) % PAGES;
	out[2] = (i + 1) % PAGES;
	out[3] = (i * i + 5) % PAGES;
	return 4;
}

int fetch(const char *url, const char **links, int max)
{
	int i = page_of(url), now, most, to[4], n;

	if (i < 0) {
		atomic_fetch_add(&unknown, 1);
		return 0;
	}
	now = atomic_fetch_add(&in_flight, 1) + 1;
	most = atomic_load(&most_in_flight);
	while (now > most && !atomic_compare_exchange_weak(&most_in_flight, &most, now))
		;
	atomic_fetch_add(&fetched[i], 1);
	go_sleep(2 * GO_MILLISECOND);
	atomic_fetch_sub(&in_flight, 1);
	n = links_of(i, to);
	if (n > max)
		n = max;
	for (int k = 0; k < n; k++)
		links[k] = names[to[k]];
	return n;
}

/* The pages reachable from start, breadth first. */
static int reachable(int start, bool *in)
{
	int frontier[PAGES], next[PAGES], nf = 0, nn, count = 0, to[4];

	memset(in, 0, PAGES * sizeof(bool));
	in[start] = true;
	count = 1;
	frontier[nf++] = start;
	while (nf > 0) {
		nn = 0;
		for (int f = 0; f < nf; f++) {
			int n = links_of(frontier[f], to);

			for (int k = 0; k < n; k++)
				if (!in[to[k]]) {
					in[to[k]] = true;
					count++;
					next[nn++] = to[k];
				}
		}
		memcpy(frontier, next, (size_t)nn * sizeof(int));
		nf = nn;
	}
	return count;
}

/* Crawls and checks every page within reach was fetched exactly once, at
 * most limit at a time; returns the most fetches that ran at once. */
static int crawl_and_expect(int start, int limit)
{
	bool in[PAGES];
	int want = reachable(start, in), got, wrong = 0;

	for (int i = 0; i < PAGES; i++)
		snprintf(names[i], sizeof(names[i]), "/p%d", i);
	got = crawl(names[start], limit);
	CL_EXPECT_MSG(got == want, "crawl returned %d, expected %d pages", got, want);
	CL_EXPECT_MSG(atomic_load(&in_flight) == 0, "crawl returned while %d fetches were running",
		      atomic_load(&in_flight));
	CL_EXPECT_MSG(atomic_load(&unknown) == 0, "%d fetches asked for a page that does not exist",
		      atomic_load(&unknown));
	for (int i = 0; i < PAGES && wrong < 3; i++) {
		int k = atomic_load(&fetched[i]);

		if (k != (in[i] ? 1 : 0)) {
			CL_EXPECT_MSG(false, "page %s was fetched %d times, expected %d", names[i], k, in[i] ? 1 : 0);
			wrong++;
		}
	}
	CL_EXPECT_MSG(atomic_load(&most_in_flight) <= limit,
		      "%d fetches ran at the same moment; the limit is %d", atomic_load(&most_in_flight), limit);
	CL_LOG("%d pages, at most %d fetches at once (the limit is %d)", got, atomic_load(&most_in_flight), limit);
	return atomic_load(&most_in_flight);
}

CL_TEST(a_page_without_links_is_fetched_alone) {
	crawl_and_expect(9, 3);
}

CL_TEST(every_page_within_reach_is_fetched_exactly_once) {
	crawl_and_expect(0, 3);
}

CL_TEST(a_limit_of_one_fetches_one_page_at_a_time) {
	crawl_and_expect(5, 1);
}

CL_TEST(a_limit_of_three_is_never_exceeded) {
	crawl_and_expect(1, 3);
}

CL_TEST(a_limit_of_eight_is_used_but_never_exceeded) {
	int most = crawl_and_expect(2, 8);

	CL_EXPECT_MSG(most >= 2, "at most %d fetch ran at a time with a limit of 8: the crawl is not concurrent",
		      most);
}

CL_TEST(no_goroutine_is_left_when_crawl_returns) {
	int64_t deadline;

	crawl_and_expect(3, 4);
	deadline = go_now() + 200 * GO_MILLISECOND;
	while (go_num_goroutine() > 1 && go_now() < deadline)
		go_sleep(GO_MILLISECOND);
	CL_EXPECT_MSG(go_num_goroutine() == 1, "%d goroutines of the crawl were still there 200 ms after it returned",
		      go_num_goroutine() - 1);
}

/* Wrong: every goroutine writes its answer into the map itself, and a
 * WaitGroup waits for them all. Fast, and right on one thread, but the map
 * has no lock: two goroutines on two threads write it at once. */
#include <stdlib.h>

#include <go.h>

#include "websites.h"

struct job {
	website_checker check;
	const char *url;
	struct results *map;
	go_waitgroup *wg;
};

/* Checks one url and stores the answer. */
static void check_one(void *arg)
{
	struct job *j = arg;
	bool up = j->check(j->url);

	results_set(j->map, j->url, up); /* wrong: crash */
	go_waitgroup_done(j->wg);
}

struct results *check_websites(website_checker check, const char *const *urls, int n)
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct results *map = results_new();
	struct job *jobs = calloc((size_t)n + 1, sizeof(*jobs));

	if (!map || !jobs) {
		results_free(map);
		free(jobs);
		return NULL;
	}
	go_waitgroup_add(&wg, n);
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){ check, urls[i], map, &wg };
		go_spawn(check_one, &jobs[i]);
	}
	go_waitgroup_wait(&wg);
	free(jobs);
	return map;
}

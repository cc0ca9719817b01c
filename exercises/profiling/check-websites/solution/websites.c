/* Check many web sites: the reference solution. One goroutine per url
 * checks it and sends the answer on a channel; only check_websites writes
 * the map, as it receives them. */
#include <stdlib.h>

#include <go.h>

#include "websites.h"

/* What a check goroutine sends back. */
struct result {
	const char *url;
	bool up;
};

struct job {
	website_checker check;
	const char *url;
	go_chan *answers;       /* of struct result */
};

/* Checks one url and sends the answer: the goroutine never touches the map. */
static void check_one(void *arg)
{
	struct job *j = arg;
	struct result r = { j->url, j->check(j->url) };

	go_send(j->answers, &r);
}

struct results *check_websites(website_checker check, const char *const *urls, int n)
{
	struct results *map = results_new();
	struct job *jobs = calloc((size_t)n + 1, sizeof(*jobs));
	go_chan *answers = go_chan_make(sizeof(struct result), 0);
	int failed = 0;

	if (!map || !jobs || !answers) {
		results_free(map);
		map = NULL;
		goto out_free;
	}
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){ check, urls[i], answers };
		go_spawn(check_one, &jobs[i]);
	}
	/* n sends, so n receives: every goroutine gets to finish. */
	for (int i = 0; i < n; i++) {
		struct result r;

		go_recv(answers, &r);
		failed |= results_set(map, r.url, r.up) < 0;
	}
	if (failed) {
		results_free(map);
		map = NULL;
	}
out_free:
	go_chan_free(answers);
	free(jobs);
	return map;
}

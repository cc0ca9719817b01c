/* Check many sites at once: see the exercise text (chanlab shows it). */
#include <stdlib.h>

#include <go.h>

#include "checker.h"

struct job {
	site_check check;
	const char *url;
	bool *up;               /* where the answer goes */
};

/* Checks one site and stores the answer. */
static void run(void *arg)
{
	struct job j = *(struct job *)arg;

	*j.up = j.check(j.url);
}

void check_sites(site_check check, const char *const *urls, int n, bool *up)
{
	struct job *jobs = calloc((size_t)n + 1, sizeof(*jobs));

	if (!jobs)
		return;
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){ check, urls[i], &up[i] };
		go_spawn(run, &jobs[i]);
	}
	/* TODO: wait until every check has stored its answer, however long
	 * the slowest one takes. Guessing is not waiting: */
	go_sleep(50 * GO_MILLISECOND);
	free(jobs);
}

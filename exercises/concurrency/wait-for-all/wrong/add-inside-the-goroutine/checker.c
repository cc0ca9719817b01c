/* Wrong: each goroutine adds itself to the WaitGroup, but go_waitgroup_wait
 * can run before any of them has started, find the counter at 0 and
 * return at once. */
#include <stdlib.h>

#include <go.h>

#include "checker.h"

struct job {
	site_check check;
	const char *url;
	bool *up;               /* where the answer goes */
	go_waitgroup *wg;       /* told when the answer is stored */
};

/* Checks one site, stores the answer, then says it is done. */
static void run(void *arg)
{
	struct job *j = arg;

	go_waitgroup_add(j->wg, 1);     /* wrong: crash */
	*j->up = j->check(j->url);
	go_waitgroup_done(j->wg);
}

void check_sites(site_check check, const char *const *urls, int n, bool *up)
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct job *jobs = calloc((size_t)n + 1, sizeof(*jobs));

	if (!jobs)
		return;
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){ check, urls[i], &up[i], &wg };
		go_spawn(run, &jobs[i]);
	}
	go_waitgroup_wait(&wg);         /* every answer is stored now */
	free(jobs);
}

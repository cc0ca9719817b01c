/* Wrong: each job has its own struct but points at the loop's i, and
 * every worker reads i long after the loop has changed it. */
#include <stdlib.h>

#include <go.h>

#include "spawn.h"

struct job {
	void (*handle)(int id);
	go_waitgroup *wg;
	const int *id;
};

static void worker(void *arg)
{
	struct job *j = arg;

	j->handle(*j->id);      /* wrong: test anywhere */
	go_waitgroup_done(j->wg);
}

void start_workers(int n, void (*handle)(int id))
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct job *jobs = calloc((size_t)n + 1, sizeof(*jobs));  /* one per worker */

	if (!jobs)
		return;
	go_waitgroup_add(&wg, n);
	for (int i = 0; i < n; i++) {
		jobs[i] = (struct job){ handle, &wg, &i };
		go_spawn(worker, &jobs[i]);
	}
	go_waitgroup_wait(&wg);
	free(jobs);             /* only now: no worker reads its job any more */
}

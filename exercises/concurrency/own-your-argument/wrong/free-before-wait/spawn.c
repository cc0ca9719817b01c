/* Wrong: one job per worker, but the array is freed as soon as the last
 * worker is started, while the workers still read their jobs. */
#include <stdlib.h>

#include <go.h>

#include "spawn.h"

struct job {
	void (*handle)(int id);
	go_waitgroup *wg;
	int id;                 /* this worker's own: nobody writes it later */
};

static void worker(void *arg)
{
	struct job *j = arg;

	j->handle(j->id);       /* wrong: sanitizer */
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
		jobs[i] = (struct job){ handle, &wg, i };
		go_spawn(worker, &jobs[i]);
	}
	free(jobs);
	go_waitgroup_wait(&wg);
}

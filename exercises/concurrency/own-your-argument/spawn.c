/* Start numbered workers: see the exercise text (chanlab shows it). */
#include <stdlib.h>

#include <go.h>

#include "spawn.h"

struct job {
	void (*handle)(int id);
	go_waitgroup *wg;
	int id;
};

static void worker(void *arg)
{
	struct job *j = arg;

	j->handle(j->id);
	go_waitgroup_done(j->wg);
}

void start_workers(int n, void (*handle)(int id))
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct job job = { handle, &wg, 0 };    /* TODO: one job shared by all */

	go_waitgroup_add(&wg, n);
	for (int i = 0; i < n; i++) {
		job.id = i;
		go_spawn(worker, &job);
	}
	go_waitgroup_wait(&wg);
}

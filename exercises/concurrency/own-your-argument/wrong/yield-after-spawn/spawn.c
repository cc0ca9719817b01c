/* Wrong: keeps the one shared job and yields after each spawn "so the
 * worker reads its id first". With one thread it works; with several, a
 * worker may still read job.id while the loop writes the next one. */
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

	j->handle(j->id);
	go_waitgroup_done(j->wg);
}

void start_workers(int n, void (*handle)(int id))
{
	go_waitgroup wg = GO_WAITGROUP_INIT;
	struct job job = { handle, &wg, 0 };

	go_waitgroup_add(&wg, n);
	for (int i = 0; i < n; i++) {
		job.id = i;             /* wrong: sanitizer */
		go_spawn(worker, &job);
		go_yield();
	}
	go_waitgroup_wait(&wg);
}

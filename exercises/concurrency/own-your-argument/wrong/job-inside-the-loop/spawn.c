/* Wrong: the job is declared inside the loop body, "so each iteration has
 * a new one"; but it is one variable reused by every iteration (same
 * address), and out of scope once the loop ends. */
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
	go_waitgroup_add(&wg, n);
	for (int i = 0; i < n; i++) {
		struct job job = { handle, &wg, i };

		go_spawn(worker, &job);         /* wrong: test anywhere */
	}
	go_waitgroup_wait(&wg);
}

/* Wrong: hands out every job first, then collects the results. With more
 * jobs than workers, each worker blocks handing in its result while
 * run_pool blocks handing out the next job: nobody receives. */
#include <go.h>

#include "pool.h"

struct pool {
	go_chan *jobs;          /* of int: closed by run_pool when all are done */
	go_chan *results;       /* of struct result */
	go_waitgroup wg;        /* one per worker still running */
};

static void worker(void *arg)
{
	struct pool *p = arg;
	int job;

	while (go_recv2(p->jobs, &job)) {       /* until jobs is closed */
		struct result r = { job, 0, 0 };

		r.err = work(job, &r.value);
		go_send(p->results, &r);
	}
	go_waitgroup_done(&p->wg);
}

int run_pool(const int *jobs, int n, int workers,
	     void (*report)(void *arg, const struct result *r), void *arg)
{
	struct pool p = { go_chan_make(sizeof(int), 0), go_chan_make(sizeof(struct result), 0),
			  GO_WAITGROUP_INIT };
	int sent = 0, got = 0, failed = 0;

	go_waitgroup_add(&p.wg, workers);
	for (int i = 0; i < workers; i++)
		go_spawn(worker, &p);
	for (int i = 0; i < n; i++)
		go_send(p.jobs, &jobs[i]);      /* wrong: deadlock */
	for (int i = 0; i < n; i++) {
		struct result r;

		go_recv(p.results, &r);
		failed += r.err != 0;
		report(arg, &r);
	}
	(void)sent, (void)got;
	go_close(p.jobs);               /* every worker's loop ends... */
	go_waitgroup_wait(&p.wg);       /* ...and here we know it has */
	go_chan_free(p.jobs);
	go_chan_free(p.results);
	return failed;
}

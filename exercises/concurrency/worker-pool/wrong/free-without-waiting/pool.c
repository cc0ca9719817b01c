/* Wrong: closes the jobs channel and frees both channels at once, while
 * the workers may still be inside go_recv2 on the jobs channel; run_pool
 * returns, and a worker that starts late receives on a channel (in a
 * pool on a dead frame) that no longer exists. */
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

	while (go_recv2(p->jobs, &job)) {       /* wrong: crash */
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
	while (got < n) {
		int job = sent < n ? jobs[sent] : 0;
		struct result r;
		/* no job left: a NULL channel turns the send case off */
		go_case cs[] = { GO_SEND(sent < n ? p.jobs : NULL, &job), GO_RECV(p.results, &r) };

		if (go_select(cs, 2) == 0) {
			sent++;
			continue;
		}
		got++;
		failed += r.err != 0;
		report(arg, &r);
	}
	go_close(p.jobs);               /* every worker's loop ends... */
	go_chan_free(p.jobs);
	go_chan_free(p.results);
	return failed;
}

/* Wrong: watch_stop closes updates, so the loop ends, but returns at
 * once: the last update is still being applied when it returns. */
/* leaks.c: three functions that start goroutines, and make sure every one
 * of them comes home before they return.
 *
 * first_match: the searchers answer on `results` or give up when `done`
 * is closed; first_match closes `done` after the first hit and waits for
 * them all (a WaitGroup) before it frees anything.
 * watcher: watch_stop closes `updates` (only the sender closes), and the
 * loop closes `done` when it has applied the last update.
 * fetch: the worker checks ctx between backend steps; fetch waits for the
 * worker to finish, so nobody outlives the call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leaks.h"

/* --- first_match ---------------------------------------------------- */

struct search {
	const int *xs;
	int lo, hi, want;
	go_chan *results;       /* int: an index, or -1; unbuffered */
	go_chan *done;          /* closed by first_match: stop, nobody listens */
	go_waitgroup *wg;
};

static void searcher(void *arg)
{
	struct search *s = arg;
	int found = -1;

	for (int i = s->lo; i < s->hi; i++) {
		if (s->xs[i] == s->want) {
			found = i;
			break;
		}
		if ((i - s->lo) % 1024 == 1023 && go_try_recv(s->done, NULL, NULL))
			break;          /* someone else found it: stop looking */
	}
	go_case cases[] = { GO_SEND(s->results, &found), GO_RECV(s->done, NULL) };
	go_select(cases, 2);
	go_waitgroup_done(s->wg);
}

int first_match(const int *xs, int n, int want, int workers)
{
	struct search *parts = calloc((size_t)workers, sizeof(*parts));
	go_chan *results = go_chan_make(sizeof(int), 0);
	go_chan *done = go_chan_make(0, 0);
	go_waitgroup wg = GO_WAITGROUP_INIT;
	int idx = -1, got;

	go_waitgroup_add(&wg, workers);
	for (int k = 0; k < workers; k++) {
		parts[k] = (struct search){ xs, n * k / workers, n * (k + 1) / workers, want,
					    results, done, &wg };
		go_spawn(searcher, &parts[k]);
	}
	for (int k = 0; k < workers && idx < 0; k++) {
		go_recv(results, &got);
		if (got >= 0)
			idx = got;
	}
	go_close(done);
	go_waitgroup_wait(&wg);
	go_chan_free(done);
	go_chan_free(results);
	free(parts);
	return idx;
}

/* --- watcher -------------------------------------------------------- */

struct watcher {
	go_chan *updates;       /* int, unbuffered; closed by watch_stop */
	go_chan *done;          /* closed by the loop when it returns */
	void (*apply)(int update, void *payload);
	void *payload;
};

static void loop(void *arg)
{
	struct watcher *w = arg;
	int u;

	while (go_recv2(w->updates, &u))
		w->apply(u, w->payload);
	go_chan_free(w->done);
	free(w);                /* the loop cleans up after itself */
}

struct watcher *watch_start(void (*apply)(int update, void *payload), void *payload)
{
	struct watcher *w = calloc(1, sizeof(*w));

	w->updates = go_chan_make(sizeof(int), 0);
	w->done = go_chan_make(0, 0);
	w->apply = apply;
	w->payload = payload;
	go_spawn(loop, w);
	return w;
}

void watch_push(struct watcher *w, int update)
{
	go_send(w->updates, &update);
}

void watch_stop(struct watcher *w)
{
	go_close(w->updates);   /* wrong: test anywhere */
}

/* --- fetch ---------------------------------------------------------- */

struct job {
	go_ctx *ctx;
	const char *key;
	char value[VALUE_MAX];
	int err;                /* go_ctx_err(ctx) if it gave up, else 0 */
	go_chan *done;          /* closed by the worker when it returns */
};

static void worker(void *arg)
{
	struct job *j = arg;

	for (int i = 0; i < BACKEND_STEPS; i++) {
		j->err = go_ctx_err(j->ctx);
		if (j->err != 0)
			break;
		backend_step(j->key, i, j->value, sizeof(j->value));
	}
	go_close(j->done);
}

int fetch(go_ctx *ctx, const char *key, char *out, size_t cap)
{
	struct job *j = calloc(1, sizeof(*j));
	int err;

	j->ctx = ctx;
	j->key = key;
	j->done = go_chan_make(0, 0);
	go_spawn(worker, j);
	go_case cases[] = { GO_RECV(j->done, NULL), GO_RECV(go_ctx_done(ctx), NULL) };
	if (go_select(cases, 2) == 1)
		go_recv(j->done, NULL);     /* it is at most one step from noticing */
	err = j->err;
	if (err == 0)
		snprintf(out, cap, "%s", j->value);
	go_chan_free(j->done);
	free(j);
	return err;
}

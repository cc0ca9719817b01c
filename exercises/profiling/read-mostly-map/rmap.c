/* rmap.c: one table behind one lock: every get, put and add of every
 * goroutine takes m->mu. */
#include <stdlib.h>

#include <go.h>

#include "rmap.h"

struct rmap {
	go_mutex mu;            /* guards t */
	struct ht *t;
};

struct rmap *rmap_new(void)
{
	struct rmap *m = malloc(sizeof(*m));

	if (!m)
		return NULL;
	m->mu = (go_mutex)GO_MUTEX_INIT;
	m->t = ht_new();
	if (!m->t) {
		free(m);
		return NULL;
	}
	return m;
}

void rmap_free(struct rmap *m)
{
	if (!m)
		return;
	ht_free(m->t);
	free(m);
}

/* TODO: every reader of every key waits here for every other goroutine */
bool rmap_get(struct rmap *m, uint64_t key, uint64_t *val)
{
	bool ok;

	go_mutex_lock(&m->mu);
	ok = ht_get(m->t, key, val);
	go_mutex_unlock(&m->mu);
	return ok;
}

void rmap_put(struct rmap *m, uint64_t key, uint64_t val)
{
	go_mutex_lock(&m->mu);
	if (ht_put(m->t, key, val) < 0)
		abort();
	go_mutex_unlock(&m->mu);
}

uint64_t rmap_add(struct rmap *m, uint64_t key, uint64_t delta)
{
	uint64_t v = 0;

	go_mutex_lock(&m->mu);
	ht_get(m->t, key, &v);
	v += delta;
	if (ht_put(m->t, key, v) < 0)
		abort();
	go_mutex_unlock(&m->mu);
	return v;
}

uint64_t rmap_len(struct rmap *m)
{
	uint64_t n;

	go_mutex_lock(&m->mu);
	n = ht_len(m->t);
	go_mutex_unlock(&m->mu);
	return n;
}

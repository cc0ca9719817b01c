/* "It is read-mostly, so use an RWMutex": readers share the lock, but
 * every reader still waits for every writer, of any key. */
#include <stdlib.h>

#include <go.h>

#include "rmap.h"

struct rmap {
	go_rwmutex mu;          /* guards t */
	struct ht *t;
};

struct rmap *rmap_new(void)
{
	struct rmap *m = malloc(sizeof(*m));

	if (!m)
		return NULL;
	m->mu = (go_rwmutex)GO_RWMUTEX_INIT;
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

bool rmap_get(struct rmap *m, uint64_t key, uint64_t *val)
{
	bool ok;

	go_rwmutex_rlock(&m->mu);      /* wrong: test anywhere */
	ok = ht_get(m->t, key, val);
	go_rwmutex_runlock(&m->mu);
	return ok;
}

void rmap_put(struct rmap *m, uint64_t key, uint64_t val)
{
	go_rwmutex_lock(&m->mu);
	if (ht_put(m->t, key, val) < 0)
		abort();
	go_rwmutex_unlock(&m->mu);
}

uint64_t rmap_add(struct rmap *m, uint64_t key, uint64_t delta)
{
	uint64_t v = 0;

	go_rwmutex_lock(&m->mu);
	ht_get(m->t, key, &v);
	v += delta;
	if (ht_put(m->t, key, v) < 0)
		abort();
	go_rwmutex_unlock(&m->mu);
	return v;
}

uint64_t rmap_len(struct rmap *m)
{
	uint64_t n;

	go_rwmutex_rlock(&m->mu);
	n = ht_len(m->t);
	go_rwmutex_runlock(&m->mu);
	return n;
}

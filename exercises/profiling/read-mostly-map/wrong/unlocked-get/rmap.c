/* Striped, but "a get only reads, it needs no lock": a put of the same
 * shard may be writing (or growing) the table under the reader. */
#include <stdalign.h>
#include <stdlib.h>

#include <go.h>

#include "rmap.h"

#define RMAP_SHARDS 64          /* a power of two, well above the cores */

struct shard {
	alignas(64) go_mutex mu;        /* guards t */
	struct ht *t;
};

struct rmap {
	struct shard shards[RMAP_SHARDS];
};

static struct shard *shard_of(struct rmap *m, uint64_t key)
{
	/* the top bits: ht.c places keys by the low ones */
	return &m->shards[ht_hash(key) >> 58];
}

struct rmap *rmap_new(void)
{
	struct rmap *m = aligned_alloc(64, sizeof(*m));

	if (!m)
		return NULL;
	for (int i = 0; i < RMAP_SHARDS; i++) {
		m->shards[i].mu = (go_mutex)GO_MUTEX_INIT;
		m->shards[i].t = ht_new();
		if (!m->shards[i].t) {
			while (i-- > 0)
				ht_free(m->shards[i].t);
			free(m);
			return NULL;
		}
	}
	return m;
}

void rmap_free(struct rmap *m)
{
	if (!m)
		return;
	for (int i = 0; i < RMAP_SHARDS; i++)
		ht_free(m->shards[i].t);
	free(m);
}

bool rmap_get(struct rmap *m, uint64_t key, uint64_t *val)
{
	struct shard *s = shard_of(m, key);
	bool ok;

	ok = ht_get(s->t, key, val);    /* wrong: sanitizer or test or crash anywhere */
	return ok;
}

void rmap_put(struct rmap *m, uint64_t key, uint64_t val)
{
	struct shard *s = shard_of(m, key);

	go_mutex_lock(&s->mu);
	if (ht_put(s->t, key, val) < 0)
		abort();
	go_mutex_unlock(&s->mu);
}

uint64_t rmap_add(struct rmap *m, uint64_t key, uint64_t delta)
{
	struct shard *s = shard_of(m, key);
	uint64_t v = 0;

	go_mutex_lock(&s->mu);
	ht_get(s->t, key, &v);
	v += delta;
	if (ht_put(s->t, key, v) < 0)
		abort();
	go_mutex_unlock(&s->mu);
	return v;
}

uint64_t rmap_len(struct rmap *m)
{
	uint64_t n = 0;

	for (int i = 0; i < RMAP_SHARDS; i++) {
		go_mutex_lock(&m->shards[i].mu);
		n += ht_len(m->shards[i].t);
		go_mutex_unlock(&m->shards[i].mu);
	}
	return n;
}

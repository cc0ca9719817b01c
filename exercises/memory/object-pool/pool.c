/* A pool of reusable objects: see the exercise text (chanlab shows it).
 *
 * For now the pool is one stack of spares behind one lock: every get and
 * every put, from every goroutine on every P, takes pl->mu, and the Ps
 * take turns at it. TODO: keep the objects per P, as sync.Pool does: a
 * private slot used pinned (go_proc_pin), a shared stack other Ps can
 * steal from. */
#include <stdlib.h>

#include <go.h>

#include "pool.h"

struct pool {
	go_mutex mu;            /* guards spares, nspares and cap */
	void **spares;          /* the objects put and not yet got, newest on top */
	int nspares, cap;
	void *(*new_fn)(void);
	void (*free_fn)(void *);
};

struct pool *pool_new(void *(*new_fn)(void), void (*free_fn)(void *))
{
	struct pool *pl = calloc(1, sizeof(*pl));

	if (!pl)
		abort();
	pl->mu = (go_mutex)GO_MUTEX_INIT;
	pl->new_fn = new_fn;
	pl->free_fn = free_fn;
	return pl;
}

void *pool_get(struct pool *pl)
{
	void *x = NULL;

	go_mutex_lock(&pl->mu);
	if (pl->nspares > 0)
		x = pl->spares[--pl->nspares];
	go_mutex_unlock(&pl->mu);
	return x ? x : pl->new_fn();
}

void pool_put(struct pool *pl, void *x)
{
	go_mutex_lock(&pl->mu);
	if (pl->nspares == pl->cap) {
		int cap = pl->cap ? 2 * pl->cap : 16;
		void **s = realloc(pl->spares, (size_t)cap * sizeof(*s));

		if (!s)
			abort();
		pl->spares = s;
		pl->cap = cap;
	}
	pl->spares[pl->nspares++] = x;
	go_mutex_unlock(&pl->mu);
}

void pool_free(struct pool *pl)
{
	for (int i = 0; i < pl->nspares; i++)
		pl->free_fn(pl->spares[i]);
	free(pl->spares);
	free(pl);
}

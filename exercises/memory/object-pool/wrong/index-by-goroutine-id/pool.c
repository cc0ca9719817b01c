/* Wrong: the slot is chosen by the goroutine's id, not by the P it runs on:
 * two goroutines on two Ps share a private slot, with no lock.
 *
 * Each P has a private slot and a shared stack. The private slot is read
 * and written only by a goroutine pinned to its P (go_proc_pin); the shared
 * stack, where other Ps steal from, has its own small lock. */
#include <stdint.h>
#include <stdlib.h>

#include <go.h>

#include "pool.h"

#define CACHE_LINE 64

struct pool_local {
	void *private;          /* this P's alone: used only while pinned to it */
	go_mutex mu;            /* guards shared, nshared and cap */
	void **shared;          /* spares, the newest on top */
	int nshared, cap;
	char pad[CACHE_LINE - 2 * sizeof(void *) - sizeof(go_mutex) - 2 * sizeof(int)];
};

struct pool {
	struct pool_local *local;       /* one per P, each on its own cache line */
	int nprocs;
	void *(*new_fn)(void);
	void (*free_fn)(void *);
};

struct pool *pool_new(void *(*new_fn)(void), void (*free_fn)(void *))
{
	struct pool *pl = malloc(sizeof(*pl));

	if (!pl)
		abort();
	pl->nprocs = go_gomaxprocs(0);
	pl->local = calloc((size_t)pl->nprocs, sizeof(*pl->local));
	if (!pl->local)
		abort();
	for (int i = 0; i < pl->nprocs; i++)
		pl->local[i].mu = (go_mutex)GO_MUTEX_INIT;
	pl->new_fn = new_fn;
	pl->free_fn = free_fn;
	return pl;
}

/* The top of l's shared stack, or NULL. */
static void *pop_shared(struct pool_local *l)
{
	void *x = NULL;

	go_mutex_lock(&l->mu);
	if (l->nshared > 0)
		x = l->shared[--l->nshared];
	go_mutex_unlock(&l->mu);
	return x;
}

/* The local of the calling goroutine. */
static struct pool_local *my_local(struct pool *pl)
{
	return &pl->local[go_id() % (uint64_t)pl->nprocs];
}

/* Puts v in l's private slot and returns what was there. */
static void *swap_private(struct pool_local *l, void *v)
{
	void *old = l->private;

	l->private = v;                 /* wrong: sanitizer */
	return old;
}

void *pool_get(struct pool *pl)
{
	struct pool_local *l = my_local(pl);
	int p = (int)(l - pl->local);
	void *x = swap_private(l, NULL);

	if (x)
		return x;
	x = pop_shared(l);
	/* Ours are gone: steal from the others, then make one. */
	for (int i = 1; !x && i < pl->nprocs; i++)
		x = pop_shared(&pl->local[(p + i) % pl->nprocs]);
	return x ? x : pl->new_fn();
}

void pool_put(struct pool *pl, void *x)
{
	struct pool_local *l = my_local(pl);

	x = swap_private(l, x);         /* the one that was there goes on the stack */
	if (!x)
		return;
	go_mutex_lock(&l->mu);
	if (l->nshared == l->cap) {
		int cap = l->cap ? 2 * l->cap : 16;
		void **s = realloc(l->shared, (size_t)cap * sizeof(*s));

		if (!s)
			abort();
		l->shared = s;
		l->cap = cap;
	}
	l->shared[l->nshared++] = x;
	go_mutex_unlock(&l->mu);
}

void pool_free(struct pool *pl)
{
	for (int i = 0; i < pl->nprocs; i++) {
		struct pool_local *l = &pl->local[i];

		if (l->private)
			pl->free_fn(l->private);
		for (int k = 0; k < l->nshared; k++)
			pl->free_fn(l->shared[k]);
		free(l->shared);
	}
	free(pl->local);
	free(pl);
}

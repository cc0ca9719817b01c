/* table.c: the dining philosophers' table. See the exercise text
 * (chanlab shows it). Every fork is a mutex: a philosopher holds it while
 * it eats with it. */
#include <stdlib.h>

#include "table.h"

struct table {
	int n;
	go_mutex fork[];        /* fork i: left of philosopher i, right of i - 1 */
};

struct table *table_new(int n)
{
	struct table *t = malloc(sizeof(*t) + (size_t)n * sizeof(t->fork[0]));

	if (!t)
		return NULL;
	t->n = n;
	for (int i = 0; i < n; i++)
		t->fork[i] = (go_mutex)GO_MUTEX_INIT;
	return t;
}

void table_free(struct table *t)
{
	free(t);
}

static int left(const struct table *t, int i)
{
	(void)t;
	return i;
}

static int right(const struct table *t, int i)
{
	return (i + 1) % t->n;
}

/* TODO: when every philosopher has taken its left fork at once, each
 * waits for ever for its right one, which its neighbour holds. */
void table_pickup(struct table *t, int i)
{
	go_mutex_lock(&t->fork[left(t, i)]);
	go_mutex_lock(&t->fork[right(t, i)]);
}

void table_putdown(struct table *t, int i)
{
	go_mutex_unlock(&t->fork[left(t, i)]);
	go_mutex_unlock(&t->fork[right(t, i)]);
}

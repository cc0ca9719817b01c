/* table.c: the reference solution. Every philosopher takes the
 * lower-numbered of its two forks first (Dijkstra's resource ordering):
 * all but the last take left then right, the last (whose right fork is
 * fork 0) takes right then left. Forks are then always taken in one
 * global order, so no cycle of philosophers, each holding a fork and
 * waiting for the next one's, can form: whoever holds the highest fork
 * anyone waits for always gets its other fork and eats. */
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

void table_pickup(struct table *t, int i)
{
	int first = left(t, i), second = right(t, i);

	if (first > second) {           /* the last philosopher: fork 0 first */
		first = second;
		second = left(t, i);
	}
	go_mutex_lock(&t->fork[first]);
	go_mutex_lock(&t->fork[second]);
}

void table_putdown(struct table *t, int i)
{
	go_mutex_unlock(&t->fork[left(t, i)]);
	go_mutex_unlock(&t->fork[right(t, i)]);
}

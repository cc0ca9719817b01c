/* Wrong: a table lock makes picking up both forks one step, which alone
 * would be safe; but putting them down takes the table lock too. A
 * philosopher that holds the table lock and waits for a fork its
 * neighbour eats with keeps that neighbour from ever putting it down. */
#include <stdlib.h>

#include "table.h"

struct table {
	int n;
	go_mutex mu;            /* one philosopher at a time picks up or puts down */
	go_mutex fork[];
};

struct table *table_new(int n)
{
	struct table *t = malloc(sizeof(*t) + (size_t)n * sizeof(t->fork[0]));

	if (!t)
		return NULL;
	t->n = n;
	t->mu = (go_mutex)GO_MUTEX_INIT;
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
	go_mutex_lock(&t->mu);
	go_mutex_lock(&t->fork[left(t, i)]);
	go_mutex_lock(&t->fork[right(t, i)]);
	go_mutex_unlock(&t->mu);
}

void table_putdown(struct table *t, int i)
{
	go_mutex_lock(&t->mu);          /* wrong: deadlock */
	go_mutex_unlock(&t->fork[left(t, i)]);
	go_mutex_unlock(&t->fork[right(t, i)]);
	go_mutex_unlock(&t->mu);
}

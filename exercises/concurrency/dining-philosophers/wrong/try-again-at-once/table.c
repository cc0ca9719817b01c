/* Wrong: take the left fork, try the right one, and when it is taken put
 * the left one back and try again at once. Nobody holds a fork while
 * waiting, so there is no deadlock; but a philosopher that keeps trying
 * keeps running, and the neighbour that holds its fork may never get to
 * put it down (the schedules find it), while it burns a CPU. */
#include <stdlib.h>

#include "table.h"

struct table {
	int n;
	go_mutex fork[];
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
	for (;;) {
		go_mutex_lock(&t->fork[left(t, i)]);
		if (go_mutex_trylock(&t->fork[right(t, i)]))
			return;
		go_mutex_unlock(&t->fork[left(t, i)]);
		go_yield();             /* wrong: test anywhere */
	}
}

void table_putdown(struct table *t, int i)
{
	go_mutex_unlock(&t->fork[left(t, i)]);
	go_mutex_unlock(&t->fork[right(t, i)]);
}

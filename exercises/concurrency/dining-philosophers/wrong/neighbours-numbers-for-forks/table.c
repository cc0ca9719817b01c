/* Wrong: the forks in one global order, but a philosopher's forks are
 * computed as its neighbours' numbers, i - 1 and i + 1, not i and i + 1:
 * philosophers 0 and 1 (forks 4 and 1, forks 0 and 2) share no fork and
 * eat side by side, and at a table of two both "forks" are the same one. */
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
	return (i + t->n - 1) % t->n;   /* wrong: test anywhere */
}

static int right(const struct table *t, int i)
{
	return (i + 1) % t->n;
}

void table_pickup(struct table *t, int i)
{
	int first = left(t, i), second = right(t, i);

	if (first > second) {
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

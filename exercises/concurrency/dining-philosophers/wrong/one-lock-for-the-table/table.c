/* Wrong: no deadlock and nobody eats beside a neighbour, because one
 * mutex for the whole table lets only one philosopher eat at a time:
 * philosophers who share no fork wait for each other too. */
#include <stdlib.h>

#include "table.h"

struct table {
	int n;
	go_mutex mu;            /* held by whoever eats */
};

struct table *table_new(int n)
{
	struct table *t = malloc(sizeof(*t));

	if (!t)
		return NULL;
	t->n = n;
	t->mu = (go_mutex)GO_MUTEX_INIT;
	return t;
}

void table_free(struct table *t)
{
	free(t);
}

void table_pickup(struct table *t, int i)
{
	(void)i;
	go_mutex_lock(&t->mu);          /* wrong: test anywhere */
}

void table_putdown(struct table *t, int i)
{
	(void)i;
	go_mutex_unlock(&t->mu);
}

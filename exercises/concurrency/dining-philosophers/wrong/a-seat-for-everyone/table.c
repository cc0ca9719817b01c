/* Wrong: a waiter (a buffered channel as a semaphore), but with n seats
 * instead of n - 1: all n philosophers sit down, each takes its left
 * fork, and each waits for ever for its right one, as in the starter. */
#include <stdlib.h>

#include "table.h"

struct table {
	int n;
	go_chan *seats;         /* a philosopher holds a seat while at the table */
	go_mutex fork[];        /* fork i: left of philosopher i, right of i - 1 */
};

struct table *table_new(int n)
{
	struct table *t = malloc(sizeof(*t) + (size_t)n * sizeof(t->fork[0]));

	if (!t)
		return NULL;
	t->n = n;
	t->seats = go_chan_make(1, (size_t)n);
	if (!t->seats) {
		free(t);
		return NULL;
	}
	for (int i = 0; i < n; i++)
		t->fork[i] = (go_mutex)GO_MUTEX_INIT;
	return t;
}

void table_free(struct table *t)
{
	go_chan_free(t->seats);
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
	char seat = 0;

	go_send(t->seats, &seat);       /* sit down */
	go_mutex_lock(&t->fork[left(t, i)]);
	go_mutex_lock(&t->fork[right(t, i)]);   /* wrong: deadlock */
}

void table_putdown(struct table *t, int i)
{
	go_mutex_unlock(&t->fork[left(t, i)]);
	go_mutex_unlock(&t->fork[right(t, i)]);
	go_recv(t->seats, NULL);        /* get up */
}

/* table.h: the dining philosophers' table (table.c implements it; the
 * tests include this too).
 *
 * n philosophers sit at a round table with n forks, one between each two
 * neighbours: philosopher i has fork i on the left and fork (i + 1) % n
 * on the right, and needs both to eat. Each philosopher is a goroutine:
 *
 *     for (;;) { think(); table_pickup(t, i); eat(); table_putdown(t, i); }
 */
#ifndef TABLE_H
#define TABLE_H

#include <go.h>

struct table;

/* A table for n philosophers (n >= 2), every fork on it; NULL when out of
 * memory. Free it with table_free once nobody sits at it any more. */
struct table *table_new(int n);
void table_free(struct table *t);

/* Philosopher i (0 <= i < n) takes both of its forks. Blocks until it
 * holds them; it then eats, and no neighbour eats until it puts them down. */
void table_pickup(struct table *t, int i);

/* Philosopher i puts both of its forks back (it holds them). */
void table_putdown(struct table *t, int i);

#endif

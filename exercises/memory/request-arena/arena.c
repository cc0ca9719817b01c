/* An arena: see the exercise text (chanlab shows it).
 *
 * For now every allocation is a malloc of its own, kept on a list so that
 * arena_free can give them all back. TODO: carve allocations from big
 * blocks instead (a bump allocator), one malloc per block. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct chunk {
	struct chunk *next;
	alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct chunk *head;
};

struct arena *arena_new(void)
{
	struct arena *a = malloc(sizeof(*a));

	if (!a)
		abort();
	a->head = NULL;
	return a;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = malloc(sizeof(*c) + n);

	if (!c)
		abort();
	c->next = a->head;
	a->head = c;
	return c->data;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void arena_free(struct arena *a)
{
	struct chunk *c, *next;

	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

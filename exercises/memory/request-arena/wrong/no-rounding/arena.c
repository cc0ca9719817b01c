/* Wrong: n is added to used as it is, so an allocation after an odd-sized
 * one starts at an odd address: not aligned for a struct header.
 *
 * An arena is a list of blocks, the newest first. arena_alloc rounds n up
 * to ARENA_ALIGN and carves it from the newest block, or starts a new
 * block when it does not fit: ARENA_BLOCK bytes, or n if n is bigger.
 * Nothing is freed until arena_free, which frees every block. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct block {
	struct block *next;
	size_t size, used;
	alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct block *head;
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
	struct block *b = a->head;
	void *p;

	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = malloc(sizeof(*b) + size);
		if (!b)
			abort();
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += n;                   /* wrong: test anywhere */
	return p;
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
	struct block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

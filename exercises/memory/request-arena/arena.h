/* arena.h: a bump allocator whose blocks are freed all at once (the
 * harness includes it too). */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

#define ARENA_ALIGN 16          /* every allocation starts at a multiple of this */
#define ARENA_BLOCK 4096        /* bytes a block holds, unless one allocation needs more */

struct arena;

/* A new, empty arena. Never NULL (aborts when out of memory). */
struct arena *arena_new(void);

/* n bytes from a, aligned to ARENA_ALIGN, valid until arena_free(a). Any
 * n, 0 included; never NULL (aborts when out of memory). */
void *arena_alloc(struct arena *a, size_t n);

/* A NUL-terminated copy of the first n bytes of s, from a. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Gives back every allocation of a, and a itself, at once. */
void arena_free(struct arena *a);

#endif

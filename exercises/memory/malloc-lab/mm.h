/* mm.h: your allocator over the heap memlib.h gives (the harness includes
 * it too). */
#ifndef MM_H
#define MM_H

#include <stddef.h>

#define MM_ALIGN 16             /* every payload starts at a multiple of this */

/* Sets up an empty heap; called once before anything else, and again
 * after the heap is reset between traces. Returns 0, or -1 on failure. */
int mm_init(void);

/* A payload of at least size bytes, aligned to MM_ALIGN, inside the heap
 * and overlapping no other live payload; NULL when the heap is full. */
void *mm_malloc(size_t size);

/* Gives back a payload mm_malloc or mm_realloc returned. */
void mm_free(void *p);

/* As realloc: the first min(old, size) bytes kept. p may be NULL. */
void *mm_realloc(void *p, size_t size);

#endif

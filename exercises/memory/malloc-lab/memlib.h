/* memlib.h: the heap your allocator grows, a model of sbrk (the harness
 * provides it). */
#ifndef MEMLIB_H
#define MEMLIB_H

#include <stddef.h>

#define MEM_MAX (8 << 20)       /* the heap holds at most 8 MiB */

/* Grows the heap by incr bytes (incr >= 0) and returns the old end of the
 * heap, where the new bytes start; NULL when the heap would pass MEM_MAX.
 * The heap starts 16-byte aligned and never moves. */
void *mem_sbrk(ptrdiff_t incr);

/* The first byte of the heap, and how many bytes it holds now. */
void *mem_heap_lo(void);
size_t mem_heapsize(void);

#endif

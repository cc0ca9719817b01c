/* Your own malloc: see the exercise text (chanlab shows it).
 *
 * For now this is a bump allocator: each mm_malloc takes new bytes from
 * the end of the heap, after a header word that records the payload's
 * size, and mm_free gives nothing back. Correct, fast, and every freed
 * byte is lost. TODO: keep freed blocks on an explicit free list, reuse
 * them, split them, and merge free neighbours. */
#include <stdint.h>
#include <string.h>

#include "memlib.h"
#include "mm.h"

#define WSIZE 8

int mm_init(void)
{
	/* one padding word: the header word then ends at a 16-byte boundary */
	return mem_sbrk(WSIZE) ? 0 : -1;
}

void *mm_malloc(size_t size)
{
	size_t asize;
	char *p;

	if (size == 0 || size > MEM_MAX)
		return NULL;
	/* payload rounded up to MM_ALIGN, plus the next block's header word
	 * and the padding word that keeps payloads aligned */
	asize = (size + MM_ALIGN - 1) & ~(size_t)(MM_ALIGN - 1);
	p = mem_sbrk((ptrdiff_t)(asize + 2 * WSIZE));
	if (!p)
		return NULL;
	*(size_t *)p = asize;             /* the header, just before the payload */
	return p + WSIZE;
}

void mm_free(void *p)
{
	(void)p;        /* TODO: give the block back */
}

void *mm_realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return mm_malloc(size);
	if (size == 0) {
		mm_free(p);
		return NULL;
	}
	old = *(size_t *)((char *)p - WSIZE);
	if (old >= size)
		return p;
	q = mm_malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, old);
	mm_free(p);
	return q;
}

/* Your own malloc: see the exercise text (chanlab shows it).
 *
 * The heap is a sequence of blocks, each with a header and a footer word
 * (size | allocated bit): a padding word, a prologue block, the blocks,
 * and an epilogue header of size 0. Free blocks are also on a doubly
 * linked list (explicit free list) threaded through their payloads. A
 * free puts its block back and merges it at once with a free neighbour on
 * either side, found through the neighbours' header and footer. */
#include <stdint.h>
#include <string.h>

#include "memlib.h"
#include "mm.h"

#define WSIZE 8
#define MIN_BLOCK 32                    /* header, two links, footer */
#define CHUNK 4096                      /* how much the heap grows at least */

#define PACK(size, alloc) ((size) | (alloc))
#define GET(p) (*(size_t *)(p))
#define PUT(p, v) (*(size_t *)(p) = (v))
#define SIZE(p) (GET(p) & ~(size_t)0xf)
#define ALLOC(p) (GET(p) & 1)
#define HDRP(bp) ((char *)(bp) - WSIZE)
#define FTRP(bp) ((char *)(bp) + SIZE(HDRP(bp)) - 2 * WSIZE)
#define NEXT_BLKP(bp) ((char *)(bp) + SIZE(HDRP(bp)))
#define PREV_BLKP(bp) ((char *)(bp) - SIZE((char *)(bp) - 2 * WSIZE))

struct free_block {
	struct free_block *next, *prev;
};

static struct free_block *free_list;

static void list_insert(void *bp)
{
	struct free_block *f = bp;

	f->prev = NULL;
	f->next = free_list;
	if (free_list)
		free_list->prev = f;
	free_list = f;
}

static void list_remove(void *bp)
{
	struct free_block *f = bp;

	if (f->prev)
		f->prev->next = f->next;
	else
		free_list = f->next;
	if (f->next)
		f->next->prev = f->prev;
}

/* Merges the free block bp, not on the list, with free neighbours; puts
 * the result on the list and returns it. */
static void *coalesce(void *bp)
{
	size_t size = SIZE(HDRP(bp));
	int prev_alloc = (int)ALLOC((char *)bp - 2 * WSIZE), next_alloc = (int)ALLOC(HDRP(NEXT_BLKP(bp)));

	if (!next_alloc) {
		list_remove(NEXT_BLKP(bp));
		size += SIZE(HDRP(NEXT_BLKP(bp)));
		PUT(HDRP(bp), PACK(size, 0));
		PUT(FTRP(bp), PACK(size, 0));
	}
	if (!prev_alloc) {
		bp = PREV_BLKP(bp);
		list_remove(bp);
		size += SIZE(HDRP(bp));
		PUT(HDRP(bp), PACK(size, 0));
		PUT(FTRP(bp), PACK(size, 0));
	}
	list_insert(bp);
	return bp;
}

static void *extend_heap(size_t size)
{
	char *bp = mem_sbrk((ptrdiff_t)size);

	if (!bp)
		return NULL;
	/* the old epilogue becomes the new block's header */
	PUT(HDRP(bp), PACK(size, 0));
	PUT(FTRP(bp), PACK(size, 0));
	PUT(HDRP(NEXT_BLKP(bp)), PACK(0, 1));
	return coalesce(bp);
}

/* Marks asize bytes of the free block bp allocated, splitting off the
 * rest as a free block when it can hold one. */
static void place(void *bp, size_t asize)
{
	size_t size = SIZE(HDRP(bp));

	list_remove(bp);
	if (size - asize >= MIN_BLOCK) {
		PUT(HDRP(bp), PACK(asize, 1));
		PUT(FTRP(bp), PACK(asize, 1));
		bp = NEXT_BLKP(bp);
		PUT(HDRP(bp), PACK(size - asize, 0));
		PUT(FTRP(bp), PACK(size - asize, 0));
		list_insert(bp);
	} else {
		PUT(HDRP(bp), PACK(size, 1));
		PUT(FTRP(bp), PACK(size, 1));
	}
}

int mm_init(void)
{
	char *p = mem_sbrk(4 * WSIZE);

	if (!p)
		return -1;
	PUT(p, 0);                              /* padding: payloads align to 16 */
	PUT(p + WSIZE, PACK(2 * WSIZE, 1));     /* prologue header */
	PUT(p + 2 * WSIZE, PACK(2 * WSIZE, 1)); /* prologue footer */
	PUT(p + 3 * WSIZE, PACK(0, 1));         /* epilogue header */
	free_list = NULL;
	return 0;
}

static size_t adjusted(size_t size)
{
	size_t asize = (size + 2 * WSIZE + MM_ALIGN - 1) & ~(size_t)(MM_ALIGN - 1);

	return asize < MIN_BLOCK ? MIN_BLOCK : asize;
}

void *mm_malloc(size_t size)
{
	size_t asize;
	struct free_block *f;
	char *bp;

	if (size == 0 || size > MEM_MAX)
		return NULL;
	asize = adjusted(size);
	for (f = free_list; f; f = f->next)
		if (SIZE(HDRP(f)) >= asize) {
			place(f, asize);
			return f;
		}
	bp = extend_heap(asize > CHUNK ? asize : CHUNK);
	if (!bp)
		bp = extend_heap(asize);
	if (!bp)
		return NULL;
	place(bp, asize);
	return bp;
}

void mm_free(void *bp)
{
	size_t size;

	if (!bp)
		return;
	size = SIZE(HDRP(bp));
	PUT(HDRP(bp), PACK(size, 0));
	PUT(FTRP(bp), PACK(size, 0));
	coalesce(bp);
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
	old = SIZE(HDRP(p)) - 2 * WSIZE;
	if (old >= size)
		return p;
	q = mm_malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, old);
	mm_free(p);
	return q;
}

/* mm_test.c: instructor tests for malloc-lab, one process each.
 *
 * memlib: the heap is one malloc'd region of MEM_MAX bytes; the bytes past
 * the current end are poisoned for AddressSanitizer, so an allocator that
 * writes past the end of its heap is reported at its line.
 *
 * Each case replays a trace (requests made from a seeded generator, the
 * same on every run) and checks, as a heap checker: each payload is
 * aligned, inside the heap, and keeps the bytes written to it until it is
 * freed (a payload that overlaps another, or a header written into a
 * payload, changes them). Utilisation is the most payload bytes live at
 * once over the heap's final size; each trace has a floor a little under
 * the reference's (0.60, 0.81, 0.64, 0.78 and 0.96). */
#include <chanlab_test.h>
#include <sanitizer/asan_interface.h>

#include "memlib.h"
#include "mm.h"

#ifndef ASAN_POISON_MEMORY_REGION
#define ASAN_POISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#endif

static char *heap;
static size_t brk_off;

void *mem_sbrk(ptrdiff_t incr)
{
	char *old = heap + brk_off;

	if (incr < 0 || (size_t)incr > MEM_MAX - brk_off)
		return NULL;
	ASAN_UNPOISON_MEMORY_REGION(old, (size_t)incr);
	brk_off += (size_t)incr;
	return old;
}

void *mem_heap_lo(void)
{
	return heap;
}

size_t mem_heapsize(void)
{
	return brk_off;
}

static void mem_reset(void)
{
	if (!heap) {
		heap = aligned_alloc(16, MEM_MAX);
		if (!heap)
			abort();
	}
	brk_off = 0;
	ASAN_POISON_MEMORY_REGION(heap, MEM_MAX);
}

/* --- traces ------------------------------------------------------------- */

static uint64_t rng;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t between(size_t lo, size_t hi)
{
	return lo + (size_t)(next_rand() % (hi - lo + 1));
}

#define MAXLIVE 1200

struct live {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

struct replay {
	struct live live[MAXLIVE];
	int nlive;
	size_t bytes, peak;
	int bad;
};

static bool check_payload(struct replay *r, const struct live *l)
{
	for (size_t k = 0; k < l->n; k++)
		if (l->p[k] != l->tag) {
			if (++r->bad <= 3)
				CL_EXPECT_MSG(false, "a payload of %zu bytes changed at byte %zu while it was live "
					      "(another block overlaps it, or a header was written into it)", l->n, k);
			return false;
		}
	return true;
}

static bool place_ok(struct replay *r, unsigned char *p, size_t n)
{
	char *lo = mem_heap_lo();

	if (!p) {
		CL_EXPECT_MSG(false, "mm_malloc(%zu) returned NULL with %zu bytes live: the heap (%d bytes) is full",
			      n, r->bytes, MEM_MAX);
		return false;
	}
	if ((uintptr_t)p % MM_ALIGN != 0) {
		CL_EXPECT_MSG(false, "mm_malloc(%zu) returned %p: not a multiple of %d", n, (void *)p, MM_ALIGN);
		return false;
	}
	if ((char *)p < lo || (char *)p + n > lo + mem_heapsize()) {
		CL_EXPECT_MSG(false, "mm_malloc(%zu) returned a payload outside the heap", n);
		return false;
	}
	return true;
}

static bool do_alloc(struct replay *r, size_t n)
{
	unsigned char *p = mm_malloc(n);
	struct live *l;

	if (!place_ok(r, p, n))
		return false;
	l = &r->live[r->nlive++];
	*l = (struct live){ p, n, (unsigned char)next_rand() };
	memset(p, l->tag, n);
	r->bytes += n;
	if (r->bytes > r->peak)
		r->peak = r->bytes;
	return true;
}

static bool do_free(struct replay *r, int i)
{
	struct live *l = &r->live[i];
	bool ok = check_payload(r, l);

	mm_free(l->p);
	r->bytes -= l->n;
	r->live[i] = r->live[--r->nlive];
	return ok;
}

static bool do_realloc(struct replay *r, int i, size_t n)
{
	struct live *l = &r->live[i];
	size_t keep = l->n < n ? l->n : n;
	unsigned char *p;

	if (!check_payload(r, l))
		return false;
	p = mm_realloc(l->p, n);
	if (!place_ok(r, p, n))
		return false;
	for (size_t k = 0; k < keep; k++)
		if (p[k] != l->tag) {
			CL_EXPECT_MSG(false, "mm_realloc to %zu bytes lost byte %zu of %zu", n, k, l->n);
			return false;
		}
	r->bytes += n;
	r->bytes -= l->n;
	if (r->bytes > r->peak)
		r->peak = r->bytes;
	l->p = p;
	l->n = n;
	memset(p, l->tag, n);
	return true;
}

/* Replays ops random requests: an allocation of lo..hi bytes while fewer
 * than maxlive are live (and with probability 1/2), else a free or, one
 * time in realloc_in, a realloc of a live payload. Then frees all. */
static double replay(const char *name, uint64_t seed, int ops, size_t lo, size_t hi, int maxlive, int realloc_in)
{
	static struct replay r;
	bool ok = true;

	memset(&r, 0, sizeof(r));
	rng = seed;
	mem_reset();
	if (mm_init() != 0) {
		CL_EXPECT_MSG(false, "mm_init failed");
		return -1;
	}
	for (int i = 0; i < ops && ok && r.bad == 0; i++) {
		if (r.nlive == 0 || (r.nlive < maxlive && next_rand() % 2 == 0))
			ok = do_alloc(&r, between(lo, hi));
		else if (realloc_in && next_rand() % (uint64_t)realloc_in == 0)
			ok = do_realloc(&r, (int)(next_rand() % (uint64_t)r.nlive), between(lo, 2 * hi));
		else
			ok = do_free(&r, (int)(next_rand() % (uint64_t)r.nlive));
	}
	while (ok && r.bad == 0 && r.nlive > 0)
		ok = do_free(&r, r.nlive - 1);
	if (!ok || r.bad)
		return -1;
	{
		double util = (double)r.peak / (double)mem_heapsize();

		if (strcmp(name, "bench") != 0)
			CL_LOG("%s: peak %zu payload bytes in a heap of %zu: utilisation %.2f", name, r.peak,
			       mem_heapsize(), util);
		return util;
	}
}

/* A phase of many small blocks, all freed, then a phase of bigger ones:
 * only merged free blocks can hold them. */
static double two_phases(void)
{
	static struct replay r;
	bool ok = true;

	memset(&r, 0, sizeof(r));
	rng = 7;
	mem_reset();
	if (mm_init() != 0) {
		CL_EXPECT_MSG(false, "mm_init failed");
		return -1;
	}
	for (int round = 0; round < 4 && ok; round++) {
		size_t lo = round % 2 ? 200 : 16, hi = round % 2 ? 1000 : 64;

		while (ok && r.bytes < 200000 && r.nlive < MAXLIVE)
			ok = do_alloc(&r, between(lo, hi));
		while (ok && r.nlive > 0)
			ok = do_free(&r, (int)(next_rand() % (uint64_t)r.nlive));
	}
	if (!ok || r.bad)
		return -1;
	CL_LOG("two_phases: peak %zu payload bytes in a heap of %zu: utilisation %.2f", r.peak,
	       mem_heapsize(), (double)r.peak / (double)mem_heapsize());
	return (double)r.peak / (double)mem_heapsize();
}

/* u < 0: the trace failed, and said why */
#define EXPECT_UTIL(u, floor) \
	CL_EXPECT_MSG((u) < 0 || (u) >= (floor), "utilisation %.2f: at least %.2f expected (freed blocks must be reused)", \
		      (u), (floor))

CL_TEST(small_blocks_come_and_go) {
	double u = replay("small_blocks_come_and_go", 1, 20000, 8, 128, 400, 0);

	EXPECT_UTIL(u, 0.50);
}

CL_TEST(mixed_sizes) {
	double u = replay("mixed_sizes", 2, 10000, 8, 4000, 150, 0);

	EXPECT_UTIL(u, 0.70);
}

CL_TEST(buffers_grow_by_realloc) {
	double u = replay("buffers_grow_by_realloc", 3, 10000, 16, 1000, 100, 3);

	EXPECT_UTIL(u, 0.55);
}

CL_TEST(large_blocks) {
	double u = replay("large_blocks", 4, 2000, 4096, 65536, 40, 0);

	EXPECT_UTIL(u, 0.65);
}

CL_TEST(freed_neighbours_merge) {
	double u = two_phases();

	EXPECT_UTIL(u, 0.80);
}

/* One op: the mixed trace's first 2000 requests. */
CL_BENCH(replay_mixed) {
	for (long i = 0; i < b->n; i++)
		replay("bench", 2, 2000, 8, 4000, 150, 0);
}

/*
 * heap.c — the allocation (heap) profile, with Go's semantics
 * (runtime/mprof.go's memory profile, runtime.MemProfileRate).
 *
 * CHANLAB_MEMPROFILE=FILE[,RATE] (or go_set_mem_profile_rate and
 * go_write_heap_profile) records where the program allocates: about one
 * allocation per RATE bytes (default 512 KiB, as Go; 1 records every one),
 * each with its call stack, and which of those are still in use. The
 * profile has Go's four sample types — alloc_objects, alloc_space,
 * inuse_objects, inuse_space — so `go tool pprof -sample_index=alloc_space`
 * reads it as it reads Go's.
 *
 * Data model. The runtime defines malloc, calloc, realloc and free (in the
 * normal and debug flavours; the sanitizers have their own), forwarding
 * to glibc's __libc_* functions. Off, that is a call and a branch. On,
 * each thread counts down the bytes to its next sample, drawn from an
 * exponential distribution of mean RATE (a Poisson process over bytes, as
 * Go's nextSample), so the choice is unbiased whatever the sizes. A
 * sampled allocation walks the caller's frame pointers, is added to its
 * bucket (stack -> counts and bytes allocated and freed) and remembered
 * in a table of live sampled pointers; free looks a pointer up only when
 * a bitmap of their hashes says it may be there. The profile scales each
 * bucket back by 1 / (1 - exp(-size/RATE)), Go's unbiasing. A thread
 * inside the profiler allocates its own tables without being profiled.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "pprof.h"
#include "prof.h"
#include "sym.h"

/* set by an allocation wrapper around its call (go.h); read by sample() */
__thread int go__alloc_frames;

#if !defined(GO__ASAN) && !defined(GO__TSAN)

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

#define DEPTH 32
#define FILTER_BITS (1u << 16)

struct bucket {
	struct bucket *next;
	uint64_t hash;
	int npc;
	uintptr_t pc[DEPTH];
	uint64_t allocs, frees, alloc_bytes, free_bytes;
};

struct live {                   /* a sampled allocation still in use */
	struct live *next;
	void *ptr;
	size_t size;
	struct bucket *b;
};

static struct {
	int state;                  /* 0: not read the environment yet, 1: off, 2: on */
	int64_t rate;
	go__lock lock;
	struct bucket **buckets;
	size_t nbuckets, cap_buckets;
	struct live **live;         /* by pointer, chained */
	size_t cap_live;
	uint64_t filter[FILTER_BITS / 64];      /* bits of sampled pointers' hashes */
	char *path;
} heap;

static __thread int64_t until_sample;  /* bytes to the next sample */
static __thread int in_heap;           /* this thread is inside the profiler */

static void heap_init(void);

static inline bool on(void)
{
	int s = ld_relaxed(&heap.state);

	if (__builtin_expect(s == 0, 0)) {
		heap_init();
		s = ld_relaxed(&heap.state);
	}
	return s == 2;
}

/* ln and exp without libm (learner programs do not link it): ln by the
 * exponent and atanh's series, exp by halving and squaring. Both within
 * 1e-6, plenty for choosing samples and scaling them. */
static double ln(double x)
{
	union { double d; uint64_t u; } v = { x };
	int e = (int)((v.u >> 52) & 0x7ff) - 1023;
	double m, t, t2;

	v.u = (v.u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;   /* [1, 2) */
	m = v.d;
	t = (m - 1) / (m + 1);
	t2 = t * t;
	return e * 0.6931471805599453 + 2 * t * (1 + t2 / 3 + t2 * t2 / 5 + t2 * t2 * t2 / 7 + t2 * t2 * t2 * t2 / 9);
}

static double expo(double x)
{
	int k = 0;
	double r;

	while (x > 0.01 || x < -0.01) {
		x /= 2;
		k++;
	}
	r = 1 + x + x * x / 2 + x * x * x / 6 + x * x * x * x / 24;
	while (k-- > 0)
		r *= r;
	return r;
}

static uint64_t hash_ptr(const void *p)
{
	uint64_t x = (uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* An exponential draw of mean rate, from a per-thread xorshift. */
static int64_t next_gap(void)
{
	static __thread uint64_t rng;
	double u;

	if (heap.rate <= 1)
		return 0;
	if (!rng)
		rng = (uintptr_t)&rng * 0x9e3779b97f4a7c15ULL | 1;
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	u = ((double)(rng >> 11) + 1) / 9007199254740993.0;     /* (0, 1] */
	return (int64_t)(-ln(u) * (double)heap.rate) + 1;
}

static struct bucket *bucket_of(const uintptr_t *pc, int n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct bucket *b;

	for (int i = 0; i < n; i++)
		h = (h ^ pc[i]) * 0x100000001b3ULL;
	if (heap.nbuckets >= heap.cap_buckets) {
		size_t cap = heap.cap_buckets ? heap.cap_buckets * 2 : 256;
		struct bucket **t = __libc_calloc(cap, sizeof(*t));

		if (!t)
			return NULL;
		for (size_t i = 0; i < heap.cap_buckets; i++)
			while ((b = heap.buckets[i])) {
				heap.buckets[i] = b->next;
				b->next = t[b->hash & (cap - 1)];
				t[b->hash & (cap - 1)] = b;
			}
		__libc_free(heap.buckets);
		heap.buckets = t;
		heap.cap_buckets = cap;
	}
	for (b = heap.buckets[h & (heap.cap_buckets - 1)]; b; b = b->next)
		if (b->hash == h && b->npc == n && !memcmp(b->pc, pc, (size_t)n * sizeof(*pc)))
			return b;
	b = __libc_calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->hash = h;
	b->npc = n;
	memcpy(b->pc, pc, (size_t)n * sizeof(*pc));
	b->next = heap.buckets[h & (heap.cap_buckets - 1)];
	heap.buckets[h & (heap.cap_buckets - 1)] = b;
	heap.nbuckets++;
	return b;
}

static __attribute__((noinline)) void sample(void *p, size_t size)
{
	uintptr_t pc[DEPTH];
	int n = go__callers(pc, DEPTH, 2 + go__alloc_frames);   /* from malloc's caller */
	struct bucket *b;
	struct live *l;
	uint64_t h = hash_ptr(p);

	in_heap = 1;
	go__lock_acquire(&heap.lock);
	if (!heap.live) {
		heap.cap_live = 4096;
		heap.live = __libc_calloc(heap.cap_live, sizeof(*heap.live));
	}
	b = bucket_of(pc, n);
	l = heap.live && b ? __libc_malloc(sizeof(*l)) : NULL;
	if (b) {
		b->allocs++;
		b->alloc_bytes += size;
	}
	if (l) {
		*l = (struct live){ heap.live[h & (heap.cap_live - 1)], p, size, b };
		heap.live[h & (heap.cap_live - 1)] = l;
		__atomic_fetch_or(&heap.filter[(h >> 20) % FILTER_BITS / 64], 1ULL << ((h >> 20) % 64), __ATOMIC_RELAXED);
	}
	go__lock_release(&heap.lock);
	in_heap = 0;
}

static inline void note_alloc(void *p, size_t size)
{
	if (!p || in_heap)
		return;
	until_sample -= (int64_t)size;
	if (until_sample > 0)
		return;
	until_sample = next_gap();
	sample(p, size);
}

static __attribute__((noinline)) void forget(void *p, uint64_t h)
{
	struct live **pp, *l = NULL;

	in_heap = 1;
	go__lock_acquire(&heap.lock);
	if (heap.live)
		for (pp = &heap.live[h & (heap.cap_live - 1)]; *pp; pp = &(*pp)->next)
			if ((*pp)->ptr == p) {
				l = *pp;
				*pp = l->next;
				break;
			}
	if (l && l->b) {
		l->b->frees++;
		l->b->free_bytes += l->size;
	}
	go__lock_release(&heap.lock);
	__libc_free(l);
	in_heap = 0;
}

static inline void note_free(void *p)
{
	uint64_t h;

	if (!p || in_heap)
		return;
	h = hash_ptr(p);
	if (__atomic_load_n(&heap.filter[(h >> 20) % FILTER_BITS / 64], __ATOMIC_RELAXED) &
	    1ULL << ((h >> 20) % 64))
		forget(p, h);
}

/* --- the allocator's entry points ----------------------------------------- */

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);

	if (__builtin_expect(on(), 0))
		note_alloc(p, n);
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p = __libc_calloc(n, size);

	if (__builtin_expect(on(), 0))
		note_alloc(p, n * size);
	return p;
}

void *realloc(void *old, size_t n)
{
	void *p;

	if (__builtin_expect(on(), 0)) {
		note_free(old);
		p = __libc_realloc(old, n);
		note_alloc(p, n);
		return p;
	}
	return __libc_realloc(old, n);
}

void free(void *p)
{
	if (__builtin_expect(ld_relaxed(&heap.state) == 2, 0))
		note_free(p);
	__libc_free(p);
}

/* --- writing -------------------------------------------------------------- */

int go_write_heap_profile(const char *path)
{
	go__sym *sym;
	go__pp *pp;
	int rc = -1;

	in_heap = 1;
	sym = go__sym_new();
	pp = go__pp_new();
	if (!sym || !pp)
		goto out;
	go__pp_sample_type(pp, "alloc_objects", "count");
	go__pp_sample_type(pp, "alloc_space", "bytes");
	go__pp_sample_type(pp, "inuse_objects", "count");
	go__pp_sample_type(pp, "inuse_space", "bytes");
	go__pp_period(pp, "space", "bytes", heap.rate > 0 ? heap.rate : 1);
	go__sym_mapping(sym, pp);
	go__lock_acquire(&heap.lock);
	for (size_t i = 0; i < heap.cap_buckets; i++)
		for (struct bucket *b = heap.buckets[i]; b; b = b->next) {
			uint64_t locs[DEPTH];
			double scale = 1;
			int64_t v[4];

			if (heap.rate > 1 && b->allocs) {
				double avg = (double)b->alloc_bytes / (double)b->allocs;

				scale = 1 / (1 - expo(-avg / (double)heap.rate));
			}
			v[0] = (int64_t)((double)b->allocs * scale + 0.5);
			v[1] = (int64_t)((double)b->alloc_bytes * scale + 0.5);
			v[2] = (int64_t)((double)(b->allocs - b->frees) * scale + 0.5);
			v[3] = (int64_t)((double)(b->alloc_bytes - b->free_bytes) * scale + 0.5);
			for (int k = 0; k < b->npc; k++)
				locs[k] = go__sym_location(sym, pp, b->pc[k], false);
			go__pp_sample(pp, locs, b->npc, v, NULL, 0);
		}
	go__lock_release(&heap.lock);
	rc = go__pp_write_file(pp, path);
out:
	go__pp_free(pp);
	go__sym_free(sym);
	in_heap = 0;
	return rc;
}

void go_set_mem_profile_rate(int64_t rate)
{
	heap.rate = rate;
	until_sample = next_gap();
	st_release(&heap.state, rate > 0 ? 2 : 1);
}

void go__heap_flush(void)
{
	if (heap.path && go_write_heap_profile(heap.path) < 0)
		fprintf(stderr, "chanlab runtime: cannot write the heap profile %s\n", heap.path);
}

/* Reads CHANLAB_MEMPROFILE once, on the first allocation (no constructor:
 * the first may come before main). */
static void heap_init(void)
{
	static int once;
	const char *env = getenv("CHANLAB_MEMPROFILE"), *comma;
	int zero = 0;

	if (!cas(&once, &zero, 1))
		return;                 /* another thread is at it: it stays off meanwhile */
	if (!env || !*env) {
		st_release(&heap.state, 1);
		return;
	}
	in_heap = 1;
	comma = strrchr(env, ',');
	heap.rate = 512 * 1024;
	if (comma && comma[1] >= '0' && comma[1] <= '9') {
		heap.rate = atol(comma + 1);
		heap.path = strndup(env, (size_t)(comma - env));
	} else {
		heap.path = strdup(env);
	}
	if (heap.path)
		atexit(go__heap_flush);
	in_heap = 0;
	go_set_mem_profile_rate(heap.rate > 0 ? heap.rate : 1);
}

#else   /* the sanitizers keep their own malloc */

int go_write_heap_profile(const char *path)
{
	(void)path;
	errno = ENOTSUP;
	return -1;
}

void go_set_mem_profile_rate(int64_t rate)
{
	(void)rate;
}

void go__heap_flush(void)
{
}

#endif

/*
 * contention.c — the block and mutex profiles, with Go's semantics
 * (runtime/mprof.go: blockevent, mutexevent; written as pprof profiles).
 *
 * Block profile: time goroutines spend parked on channels, select and the
 * sync primitives (not in sleeps). go__park takes the time before parking
 * when the rate is set (go__block_start) and, once the goroutine runs
 * again, hands the delay to go__block_end, which records the goroutine's
 * own stack. The rate is in nanoseconds, as runtime.SetBlockProfileRate:
 * an event at least that long is always kept; a shorter one is kept with
 * probability delay/rate and then counts rate/delay times, so the totals
 * stay unbiased.
 *
 * Mutex profile: contention on go_mutex and go_rwmutex, charged to the
 * goroutine that unlocks, as Go does since 1.8: a waiter notes when it
 * queued (go__mutex_since), the release that wakes it records now - then
 * on the unlocker's stack. One event in `fraction` is kept, and the
 * profile is scaled back by fraction when written
 * (runtime.SetMutexProfileFraction).
 *
 * Data model. Both profiles are tables of buckets keyed by (stack, wait
 * reason) with a count and a total delay, under one runtime lock: events
 * happen on goroutines, never in a signal handler, so recording may
 * allocate. Stacks are return addresses from a frame-pointer walk bounded
 * by the goroutine's stack.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contention.h"
#include "internal.h"
#include "pprof.h"
#include "sym.h"

#define DEPTH 32

struct bucket {
	struct bucket *next;
	uint64_t hash;
	const char *reason;         /* a static string of the runtime */
	double count;               /* events (block: unbiased by sampling) */
	int64_t delay;              /* nanoseconds */
	int npc;
	uintptr_t pc[DEPTH];
};

struct table {
	struct bucket **slots;
	size_t cap, n;
};

static struct {
	go__lock lock;
	struct table block, mutex;
	char *block_path, *mutex_path;
	bool atexit_set;
} cont;

int64_t go__block_rate;
int32_t go__mutex_fraction;

static uint64_t hash_of(const uintptr_t *pc, int n, const char *reason)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uintptr_t)reason;

	for (int i = 0; i < n; i++)
		h = (h ^ pc[i]) * 0x100000001b3ULL;
	return h;
}

/* Adds an event to t (cont.lock held). Out of memory, it is dropped. */
static void add(struct table *t, const uintptr_t *pc, int n, const char *reason, double count, int64_t delay)
{
	uint64_t h = hash_of(pc, n, reason);
	struct bucket *b;

	if (t->n >= t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct bucket **slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return;
		for (size_t i = 0; i < t->cap; i++)
			while ((b = t->slots[i])) {
				t->slots[i] = b->next;
				b->next = slots[b->hash & (cap - 1)];
				slots[b->hash & (cap - 1)] = b;
			}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	for (b = t->slots[h & (t->cap - 1)]; b; b = b->next)
		if (b->hash == h && b->reason == reason && b->npc == n && !memcmp(b->pc, pc, (size_t)n * sizeof(*pc)))
			break;
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return;
		b->hash = h;
		b->reason = reason;
		b->npc = n;
		memcpy(b->pc, pc, (size_t)n * sizeof(*pc));
		b->next = t->slots[h & (t->cap - 1)];
		t->slots[h & (t->cap - 1)] = b;
		t->n++;
	}
	b->count += count;
	b->delay += delay;
}

/* --- the hooks ------------------------------------------------------------ */

int64_t go__block_start(const char *reason)
{
	if (!ld_relaxed(&go__block_rate) || strcmp(reason, "sleep") == 0)
		return 0;
	return go_now();
}

void go__block_end(int64_t t0, const char *reason)
{
	int64_t rate = ld_relaxed(&go__block_rate), delay = go_now() - t0;
	uintptr_t pc[DEPTH];
	double count = 1;
	int n;

	if (rate <= 0)
		return;
	if (delay <= 0)
		delay = 1;
	if (delay < rate) {         /* kept with probability delay/rate */
		uint64_t r = ((uint64_t)go__fastrandn(1u << 31) << 31 | go__fastrandn(1u << 31)) % (uint64_t)rate;

		if ((int64_t)r > delay)
			return;
		count = (double)rate / (double)delay;
		delay = rate;
	}
	n = go__callers(pc, DEPTH, 2);  /* from go__park's caller */
	go__lock_acquire(&cont.lock);
	add(&cont.block, pc, n, reason, count, delay);
	go__lock_release(&cont.lock);
}

int64_t go__mutex_since(void)
{
	return ld_relaxed(&go__mutex_fraction) > 0 ? go_now() : 0;
}

void go__mutex_event(int64_t since, const char *reason)
{
	int32_t frac = ld_relaxed(&go__mutex_fraction);
	uintptr_t pc[DEPTH];
	int n;

	if (!since || frac <= 0 || (frac > 1 && go__fastrandn((uint32_t)frac) != 0))
		return;
	n = go__callers(pc, DEPTH, 1);  /* from go__mutex_event's caller */
	go__lock_acquire(&cont.lock);
	add(&cont.mutex, pc, n, reason, 1, go_now() - since);
	go__lock_release(&cont.lock);
}

/* --- the API -------------------------------------------------------------- */

void go_set_block_profile_rate(int64_t rate)
{
	st_relaxed(&go__block_rate, rate > 0 ? rate : 0);
}

int go_set_mutex_profile_fraction(int fraction)
{
	int32_t old = ld_relaxed(&go__mutex_fraction);

	if (fraction >= 0)
		st_relaxed(&go__mutex_fraction, fraction);
	return old;
}

static int write_table(const char *path, struct table *t, int64_t scale, const char *what)
{
	go__sym *sym = go__sym_new();
	go__pp *pp = go__pp_new();
	int rc = -1;

	if (!sym || !pp)
		goto out;
	go__pp_sample_type(pp, "contentions", "count");
	go__pp_sample_type(pp, "delay", "nanoseconds");
	go__pp_period(pp, "contentions", "count", 1);
	go__pp_comment(pp, what);
	go__sym_mapping(sym, pp);
	go__lock_acquire(&cont.lock);
	for (size_t i = 0; i < t->cap; i++)
		for (struct bucket *b = t->slots[i]; b; b = b->next) {
			uint64_t locs[DEPTH];
			int64_t values[2] = { (int64_t)(b->count * (double)scale + 0.5), b->delay * scale };
			struct go__pp_label label = { "wait", b->reason, 0, NULL };

			for (int k = 0; k < b->npc; k++)
				locs[k] = go__sym_location(sym, pp, b->pc[k], false);
			go__pp_sample(pp, locs, b->npc, values, &label, 1);
		}
	go__lock_release(&cont.lock);
	rc = go__pp_write_file(pp, path);
out:
	go__pp_free(pp);
	go__sym_free(sym);
	return rc;
}

int go_write_block_profile(const char *path)
{
	return write_table(path, &cont.block, 1, "block profile: time goroutines spent parked");
}

int go_write_mutex_profile(const char *path)
{
	int32_t frac = ld_relaxed(&go__mutex_fraction);

	return write_table(path, &cont.mutex, frac > 1 ? frac : 1,
			   "mutex profile: contention delay, charged to the unlocker");
}

/* --- the environment ------------------------------------------------------ */

void go__contention_flush(void)
{
	if (cont.block_path && go_write_block_profile(cont.block_path) < 0)
		fprintf(stderr, "chanlab runtime: cannot write the block profile %s\n", cont.block_path);
	if (cont.mutex_path && go_write_mutex_profile(cont.mutex_path) < 0)
		fprintf(stderr, "chanlab runtime: cannot write the mutex profile %s\n", cont.mutex_path);
}

/* FILE[,N] into a malloc'd path and *n (unchanged without ",N"). */
static char *path_and_number(const char *env, long *n)
{
	const char *comma = strrchr(env, ',');

	if (comma && comma[1] >= '0' && comma[1] <= '9') {
		*n = atol(comma + 1);
		return strndup(env, (size_t)(comma - env));
	}
	return strdup(env);
}

void go__contention_init(void)
{
	const char *b = getenv("CHANLAB_BLOCKPROFILE"), *m = getenv("CHANLAB_MUTEXPROFILE");
	long rate = 1, frac = 1;

	if ((!b || !*b) && (!m || !*m))
		return;
#if defined(GO__ASAN) || defined(GO__TSAN)
	fprintf(stderr, "chanlab runtime: profiles are off in sanitized builds\n");
	return;
#endif
	if (b && *b && (cont.block_path = path_and_number(b, &rate)))
		go_set_block_profile_rate(rate);
	if (m && *m && (cont.mutex_path = path_and_number(m, &frac)))
		go_set_mutex_profile_fraction((int)frac);
	if (!cont.atexit_set)
		cont.atexit_set = atexit(go__contention_flush) == 0;
}

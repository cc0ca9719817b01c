/* ht.c: the plain hash table (instructor file): open addressing with
 * linear probing over a power-of-two array of slots; the table doubles
 * when half full. A key's slot is found from ht_hash(key). */
#include <stdatomic.h>
#include <stdlib.h>

#include <go.h>

#include "ht_hold.h"
#include "rmap.h"

/* ht_hold_put's one put to hold: armed is set last and taken once */
static struct {
	uint64_t key;
	go_chan *entered, *release;
	atomic_bool armed;
} hold;

void ht_hold_put(uint64_t key, go_chan *entered, go_chan *release)
{
	hold.key = key;
	hold.entered = entered;
	hold.release = release;
	atomic_store_explicit(&hold.armed, true, memory_order_release);
}

/* Parks the caller when it puts the held key (once). */
static void maybe_hold(uint64_t key)
{
	int one = 1;

	if (!atomic_load_explicit(&hold.armed, memory_order_acquire) || key != hold.key ||
	    !atomic_exchange(&hold.armed, false))
		return;
	go_send(hold.entered, &one);
	go_recv(hold.release, &one);
}

struct slot {
	uint64_t key, val;
	bool used;
};

struct ht {
	struct slot *slots;
	uint64_t cap, len;      /* cap: a power of two */
};

uint64_t ht_hash(uint64_t key)
{
	/* splitmix64's finaliser */
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ull;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebull;
	key ^= key >> 31;
	return key;
}

struct ht *ht_new(void)
{
	struct ht *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = 16;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void ht_free(struct ht *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

static struct slot *find(const struct ht *t, uint64_t key)
{
	uint64_t mask = t->cap - 1;

	for (uint64_t i = ht_hash(key) & mask;; i = (i + 1) & mask)
		if (!t->slots[i].used || t->slots[i].key == key)
			return &t->slots[i];
}

bool ht_get(const struct ht *t, uint64_t key, uint64_t *val)
{
	struct slot *s = find(t, key);

	if (!s->used)
		return false;
	if (val)
		*val = s->val;
	return true;
}

static int grow(struct ht *t)
{
	struct ht bigger = { calloc(t->cap * 2, sizeof(struct slot)), t->cap * 2, 0 };

	if (!bigger.slots)
		return -1;
	for (uint64_t i = 0; i < t->cap; i++)
		if (t->slots[i].used)
			*find(&bigger, t->slots[i].key) = t->slots[i];
	free(t->slots);
	t->slots = bigger.slots;
	t->cap = bigger.cap;
	return 0;
}

int ht_put(struct ht *t, uint64_t key, uint64_t val)
{
	struct slot *s;

	maybe_hold(key);
	s = find(t, key);

	if (!s->used) {
		if ((t->len + 1) * 2 > t->cap) {
			if (grow(t) < 0)
				return -1;
			s = find(t, key);
		}
		s->used = true;
		s->key = key;
		t->len++;
		/* the key is in, its value not yet: under deterministic
		 * schedules another goroutine runs here, as one on another
		 * core could, and a get without the lock finds the key with
		 * no value (outside them this does nothing) */
		go_sched_point();
	}
	s->val = val;
	return 0;
}

uint64_t ht_len(const struct ht *t)
{
	return t->len;
}

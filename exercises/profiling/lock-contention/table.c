/* table.c: the word table (instructor file): open addressing with linear
 * probing, FNV-1a hashes, words copied into their own allocation; the
 * table doubles when three quarters full. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wordcount.h"
#include "table_more.h"

struct slot {
	char *word;             /* NULL: empty */
	size_t n;
	uint64_t hash;
	long count;
};

struct wc_table {
	struct slot *slots;
	size_t cap, len;        /* cap: a power of two */
	long total;
};

static uint64_t hash_of(const char *w, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 1099511628211ull;
	return h;
}

struct wc_table *table_new(void)
{
	struct wc_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = 64;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void table_free(struct wc_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].word);
	free(t->slots);
	free(t);
}

static struct slot *find(const struct wc_table *t, const char *w, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (t->cap - 1);

	while (t->slots[i].word && !(t->slots[i].hash == h && t->slots[i].n == n && memcmp(t->slots[i].word, w, n) == 0))
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static int grow(struct wc_table *t)
{
	struct slot *old = t->slots;
	size_t oldcap = t->cap;

	t->slots = calloc(oldcap * 2, sizeof(*t->slots));
	if (!t->slots) {
		t->slots = old;
		return -1;
	}
	t->cap = oldcap * 2;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].word)
			*find(t, old[i].word, old[i].n, old[i].hash) = old[i];
	free(old);
	return 0;
}

static void add(struct wc_table *t, const char *w, size_t n, uint64_t h, long by)
{
	struct slot *s = find(t, w, n, h);

	if (!s->word) {
		if ((t->len + 1) * 4 > t->cap * 3) {
			if (grow(t) < 0)
				abort();
			s = find(t, w, n, h);
		}
		s->word = malloc(n + 1);
		if (!s->word)
			abort();
		memcpy(s->word, w, n);
		s->word[n] = 0;
		s->n = n;
		s->hash = h;
		t->len++;
	}
	s->count += by;
	t->total += by;
}

void table_inc(struct wc_table *t, const char *w, size_t n, long by)
{
	add(t, w, n, hash_of(w, n), by);
}

void table_merge(struct wc_table *dst, const struct wc_table *src)
{
	for (size_t i = 0; i < src->cap; i++)
		if (src->slots[i].word)
			add(dst, src->slots[i].word, src->slots[i].n, src->slots[i].hash, src->slots[i].count);
}

long table_get(const struct wc_table *t, const char *w, size_t n)
{
	struct slot *s = find(t, w, n, hash_of(w, n));

	return s->word ? s->count : 0;
}

size_t table_len(const struct wc_table *t)
{
	return t->len;
}

long table_total(const struct wc_table *t)
{
	return t->total;
}

const char *table_diff(const struct wc_table *got, const struct wc_table *want, long *g, long *w)
{
	for (size_t i = 0; i < want->cap; i++) {
		const struct slot *s = &want->slots[i];

		if (s->word && (*g = table_get(got, s->word, s->n)) != s->count) {
			*w = s->count;
			return s->word;
		}
	}
	for (size_t i = 0; i < got->cap; i++) {
		const struct slot *s = &got->slots[i];

		if (s->word && table_get(want, s->word, s->n) == 0 && s->count != 0) {
			*g = s->count, *w = 0;
			return s->word;
		}
	}
	return NULL;
}

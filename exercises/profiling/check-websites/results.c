/* results.c: the url -> up map of results.h (instructor file).
 *
 * An array of entries searched in order, grown by doubling: plenty for the
 * few dozen urls the tests check, and, like a Go map, no lock anywhere.
 * Like a Go map it notices some concurrent writes: a write sets a plain
 * (not atomic) writing flag, and a write that finds it set is a fatal
 * error ("concurrent map writes"). So that two goroutines writing the map
 * overlap even on one thread, a write holds the flag across a yield, or,
 * in the tests, across a sleep of results_hold (the benchmark leaves it 0). */
#include <stdlib.h>
#include <string.h>

#include <go.h>

#include "results.h"

struct entry {
	const char *url;        /* the caller's string */
	bool up;
};

struct results {
	struct entry *e;
	int len, cap;
	bool writing;           /* a results_set is under way */
};

struct results *results_new(void)
{
	return calloc(1, sizeof(struct results));
}

static struct entry *find(const struct results *r, const char *url)
{
	for (int i = 0; i < r->len; i++)
		if (strcmp(r->e[i].url, url) == 0)
			return &r->e[i];
	return NULL;
}

/* How long a results_set holds the map, in ns (set by the tests only). */
int64_t results_hold;

static int set(struct results *r, const char *url, bool up)
{
	struct entry *e = find(r, url);

	if (e) {
		e->up = up;
		return 0;
	}
	if (r->len == r->cap) {
		int cap = r->cap ? 2 * r->cap : 8;
		struct entry *grown = realloc(r->e, (size_t)cap * sizeof(*grown));

		if (!grown)
			return -1;
		r->e = grown;
		r->cap = cap;
	}
	r->e[r->len] = (struct entry){ url, up };
	r->len++;
	return 0;
}

int results_set(struct results *r, const char *url, bool up)
{
	int err;

	if (r->writing)
		go_panic("concurrent map writes: results_set was called by two goroutines at once");
	r->writing = true;
	if (results_hold > 0)
		go_sleep(results_hold);
	else
		go_yield();
	err = set(r, url, up);
	r->writing = false;
	return err;
}

bool results_get(const struct results *r, const char *url, bool *up)
{
	const struct entry *e = find(r, url);

	if (e && up)
		*up = e->up;
	return e != NULL;
}

int results_len(const struct results *r)
{
	return r->len;
}

void results_free(struct results *r)
{
	if (r)
		free(r->e);
	free(r);
}

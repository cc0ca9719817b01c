/* Wrong: retain and release read the count, then store the new value:
 * each is atomic, the pair is not, and two holders that do it at once
 * lose one change, so the snapshot is freed early or never. */
#include <stdlib.h>
#include <string.h>

#include <go.h>

#include "snap.h"

struct snap {
	go_atomic_int64 refs;   /* holders; the last to release frees */
	int version;
	char *name;
	int *limits;
	int nlimits;
};

struct snap *snap_new(int version, const char *name, const int *limits, int nlimits)
{
	struct snap *s = malloc(sizeof(*s));

	if (!s)
		abort();
	go_atomic_int64_store(&s->refs, 1);
	s->version = version;
	s->name = strdup(name);
	s->limits = malloc((size_t)nlimits * sizeof(*s->limits) + 1);
	if (!s->name || !s->limits)
		abort();
	memcpy(s->limits, limits, (size_t)nlimits * sizeof(*s->limits));
	s->nlimits = nlimits;
	return s;
}

struct snap *snap_retain(struct snap *s)
{
	go_atomic_int64_store(&s->refs, go_atomic_int64_load(&s->refs) + 1); /* wrong: sanitizer or test anywhere */
	return s;
}

void snap_release(struct snap *s)
{
	int64_t left = go_atomic_int64_load(&s->refs) - 1;

	go_atomic_int64_store(&s->refs, left);
	if (left == 0) {
		snap_freed(s);
		free(s->name);
		free(s->limits);
		free(s);
	}
}

int snap_version(const struct snap *s)
{
	return s->version;
}

const char *snap_name(const struct snap *s)
{
	return s->name;
}

int snap_limit(const struct snap *s, int i)
{
	return s->limits[i];
}

int snap_nlimits(const struct snap *s)
{
	return s->nlimits;
}

struct reader {
	struct snap *s;
	void (*read)(struct snap *s, void *arg);
	void *arg;
};

static void run_reader(void *p)
{
	struct reader r = *(struct reader *)p;

	free(p);
	r.read(r.s, r.arg);
	snap_release(r.s);      /* the reader's own reference */
}

void snap_share(struct snap *s, int n, void (*read)(struct snap *s, void *arg), void *arg)
{
	for (int i = 0; i < n; i++) {
		struct reader *r = malloc(sizeof(*r));

		if (!r)
			abort();
		/* retain before go_spawn, while the caller's reference still
		 * keeps s alive: the reader may start after the caller let go */
		*r = (struct reader){ snap_retain(s), read, arg };
		go_spawn(run_reader, r);
	}
}

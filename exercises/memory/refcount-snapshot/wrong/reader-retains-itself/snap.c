/* Wrong: each reader takes its reference when it starts running, not
 * before go_spawn: by then the caller may have released the last one,
 * and the reader retains a freed snapshot. */
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
	go_atomic_int64_add(&s->refs, 1);
	return s;
}

void snap_release(struct snap *s)
{
	/* one atomic step: whoever takes the count to zero was the last */
	if (go_atomic_int64_add(&s->refs, -1) == 0) {
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
	snap_retain(r.s); /* wrong: sanitizer */
	r.read(r.s, r.arg);
	snap_release(r.s);      /* the reader's own reference */
}

void snap_share(struct snap *s, int n, void (*read)(struct snap *s, void *arg), void *arg)
{
	for (int i = 0; i < n; i++) {
		struct reader *r = malloc(sizeof(*r));

		if (!r)
			abort();
		/* the reader takes its own reference when it starts */
		*r = (struct reader){ s, read, arg };
		go_spawn(run_reader, r);
	}
}

/*
 * profile — read a pprof profile (profile.proto, gzipped or not) and
 * answer what graders and the shell ask of it: pprof's top table and
 * folded stacks.
 *
 * The file comes from a learner's program, so it is hostile input: the
 * reader bounds its size before and after inflating, checks every index
 * and id, and refuses what does not parse with a message, never a crash.
 */
#ifndef CHECKER_PROFILE_H
#define CHECKER_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct profile_func {
	const char *name, *file;    /* never NULL; "" if unknown */
};

struct profile_frame {
	size_t func;                /* index into funcs */
	int64_t line;
};

/* A location: its frames, innermost (inlined) first. */
struct profile_loc {
	uint64_t id;
	size_t first, n;            /* frames[first .. first + n) */
};

struct profile_sample {
	size_t first, n;            /* stack[first .. first + n): location indexes, leaf first */
	int64_t *values;            /* one per sample type */
	const char *goroutine;      /* the "goroutine" label, or NULL */
};

struct profile {
	size_t ntypes;
	const char **types, **units;    /* sample types, e.g. "cpu", "nanoseconds" */
	int64_t period, duration_ns;
	struct profile_func *funcs;
	size_t nfuncs;
	struct profile_frame *frames;
	size_t nframes;
	struct profile_loc *locs;
	size_t nlocs;
	size_t *stack;
	size_t nstack;
	struct profile_sample *samples;
	size_t nsamples;
	/* storage */
	char **strs;
	size_t nstrs;
	int64_t *values;
};

/* Reads path (at most max_bytes, inflated too). 0, or -1 and err_msg.
 * Release with profile_release either way. */
int profile_read(struct profile *p, const char *path, size_t max_bytes);
/* The same from memory. */
int profile_parse(struct profile *p, const void *data, size_t len, size_t max_bytes);
void profile_release(struct profile *p);

/* The index of the sample type named type ("cpu", "alloc_space", ...), or -1. */
int profile_type(const struct profile *p, const char *type);

/* One row of the top table: a function, what it did itself (flat: it was
 * the innermost frame) and with its callees (cum: anywhere on the stack,
 * counted once per sample), and its hottest line. */
struct profile_row {
	size_t func;
	int64_t flat, cum;
	int64_t line;               /* the line with the most flat (else cum) value */
};

/* The rows of sample type t, by flat then cum, descending; *total is the
 * sum of t over all samples. -1 when out of memory. Free *rows. */
int profile_top(const struct profile *p, int t, struct profile_row **rows, size_t *nrows, int64_t *total);

/* Folded stacks of sample type t, one line per distinct stack: frames root
 * first, separated by ';', a space, the value. With by_goroutine, each
 * stack starts with its goroutine label. */
void profile_folded(const struct profile *p, int t, bool by_goroutine, struct buf *out);

#endif

/*
 * kind — the one vocabulary of failure kinds.
 *
 * Every failed test in a verdict has one kind (the verdict JSON's
 * tests[].hint_on), a hint's `on` names one, and both front ends pick the
 * hint for a failure by it (pack_hint_for). The kinds live in one const
 * table in kind.c, each with a line that explains it to a learner: adding a
 * kind is one row there and one enum value here (docs/results.md and
 * docs/authoring.md name the same set).
 */
#ifndef CHECKER_KIND_H
#define CHECKER_KIND_H

#include <stdbool.h>

#include "base/buf.h"

enum kind {
	KIND_BUILD,              /* the code does not compile */
	KIND_TEST,               /* a test or expectation failed; also any failure naming no kind */
	KIND_CRASH,              /* a program crashed or exited badly */
	KIND_TIMEOUT,            /* a program was stopped at its time limit */
	KIND_DEADLOCK,           /* the runtime reported a deadlock */
	KIND_SANITIZER,          /* an ASan, LSan, UBSan or TSan report */
	KIND_BENCHMARK,          /* a benchmark over its budget */
	KIND_LEAK,               /* goroutines still alive after the work was done */
	/* what a sanitizer found, when it is one of these: each is also a
	 * "sanitizer" failure (kind_family), so a hint or a wrong solution's
	 * marker aimed at "sanitizer" answers all of them */
	KIND_USE_AFTER_FREE,     /* a freed block, or a local whose scope ended, was used */
	KIND_OVERFLOW,           /* past the end of an array or a block */
	KIND_BAD_FREE,           /* a block freed twice, or a pointer malloc never returned */
	KIND_MEMORY_LEAK,        /* memory allocated and never freed */
	KIND_DATA_RACE,          /* two threads at the same memory, one writing, unsynchronised */
	KIND_UNDEFINED,          /* UBSan: overflow of a signed integer, a bad shift, ... */
	KIND_COUNT
};

/* The kind's name as the JSON and the hints spell it ("build", ...); k must
 * be a kind (asserted). */
const char *kind_name(enum kind k);

/* One plain line for a learner: what this kind of failure means. */
const char *kind_explain(enum kind k);

/* The kind called name; -1 when name is NULL or names none. */
int kind_lookup(const char *name);

/* The broader kind k belongs to (KIND_SANITIZER for a use after free, ...),
 * or k itself. */
enum kind kind_family(enum kind k);

/* Whether a hint or a marker aimed at kind `aimed` answers a failure of
 * kind `kind` (both names): the same kind, or aimed is kind's family.
 * NULL kind is "test". */
bool kind_answers(const char *aimed, const char *kind);

/* Whether name is a kind's name. */
bool kind_known(const char *name);

/* Appends every kind's name in table order, separated by ", ". */
void kind_names(struct buf *out);

#endif

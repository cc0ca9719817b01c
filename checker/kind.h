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
	KIND_COUNT
};

/* The kind's name as the JSON and the hints spell it ("build", ...); k must
 * be a kind (asserted). */
const char *kind_name(enum kind k);

/* One plain line for a learner: what this kind of failure means. */
const char *kind_explain(enum kind k);

/* The kind called name; -1 when name is NULL or names none. */
int kind_lookup(const char *name);

/* Whether name is a kind's name. */
bool kind_known(const char *name);

/* Appends every kind's name in table order, separated by ", ". */
void kind_names(struct buf *out);

#endif

/*
 * flame — one call tree merged from any number of profiles of one kind:
 * what the shell draws as a flame graph and what `chanlab profile` prints
 * as pprof's top table.
 *
 * A harness program runs each test case in a process of its own, so one
 * check of an exercise leaves several profiles; the learner wants one
 * picture. Every sample's stack (its locations' frames, inlined ones
 * included) becomes a path from the root, and its value is added to each
 * node on the path (total) and to the last (self). Functions are the same
 * function when name and file are. A path starts at its outermost frame
 * outside the runtime (a file under runtime/): the goroutine entry frames
 * every stack has are left out.
 */
#ifndef CHECKER_FLAME_H
#define CHECKER_FLAME_H

#include <stddef.h>
#include <stdint.h>

#include "checker/profile.h"

struct flame_fn {
	char *name, *file;           /* file as the profile has it ("" if unknown) */
};

/* A node of the tree. nodes[0] is the root (fn is FLAME_ROOT); links are
 * indexes into nodes, 0 meaning none (the root is nobody's child). */
struct flame_node {
	size_t fn;
	size_t parent, child, next;  /* first child, next sibling; by total, descending, after flame_finish */
	int64_t total, self;
	int64_t line;                /* the line of the heaviest sample through it */
	int depth;
};

#define FLAME_ROOT ((size_t)-1)

struct flame {
	struct flame_fn *fns;
	size_t nfns, capfns;
	struct flame_node *nodes;
	size_t nnodes, capnodes;
	int64_t total;               /* the root's total: every sample's value */
	int64_t samples;             /* samples merged (their count, not their value) */
	int maxdepth;
	size_t *hash;                /* function interning: open addressing, indexes + 1 */
	size_t hashcap;
};

#define FLAME_INIT { 0 }

/* Merges the samples of p's sample type t into f. 0, or -1 (out of memory). */
int flame_add(struct flame *f, const struct profile *p, int t);

/* Sorts every node's children heaviest first. Call once, after the adds. */
void flame_finish(struct flame *f);

void flame_release(struct flame *f);

/* A row of pprof's top table: a function's own value (flat: it was the
 * innermost frame), its value with its callees (cum: counted once per path
 * however often it recurs), and its heaviest line. */
struct flame_row {
	size_t fn;
	int64_t flat, cum, line;
};

/* The rows, by flat then cum, descending. 0, or -1 (out of memory). Free *rows. */
int flame_top(const struct flame *f, struct flame_row **rows, size_t *nrows);

/* An edge of the call graph seen from one function: the function at its
 * other end, and the value that went through it. */
struct flame_edge {
	size_t fn;
	int64_t value;
};

/* Who calls function fn and whom it calls (pprof's -peek), each summed
 * over every path through fn, heaviest first; a recursive call counts at
 * its outermost occurrence only, and a call from the root (no caller in
 * the program) is no caller. *cum is fn's value with its callees. 0, or
 * -1 (out of memory). Free *callers and *callees. */
int flame_peek(const struct flame *f, size_t fn, struct flame_edge **callers, size_t *ncallers,
	       struct flame_edge **callees, size_t *ncallees, int64_t *cum);

#endif

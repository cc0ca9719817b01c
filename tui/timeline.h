/*
 * timeline — the scheduler timeline of a trace (checker/trace.h) as a grid
 * of characters: one row per P, time across, each cell the goroutine that
 * ran most of its stretch of time (a letter per goroutine, in the order
 * they first ran; '.' idle), and a row of how many goroutines waited for
 * a P. The shell's trace view colours it; `chanlab trace` prints it.
 */
#ifndef TUI_TIMELINE_H
#define TUI_TIMELINE_H

#include <stdint.h>
#include <stdio.h>

#include "checker/trace.h"

struct timeline_grid {
	int procs, width;
	int64_t from, to;           /* the time shown, ns */
	char *cells;                /* procs rows of width: 'A'.. (the goroutine that ran most), ':' (a
				       little), '.' (none), '+' (the 53rd goroutine on) */
	char *runnable;             /* width: goroutines waiting for a P on average, '1'..'9', '+', '.' */
	uint64_t letters[52];       /* the goroutine of 'A'..'Z', 'a'..'z' */
	int nletters;
};

/* Lays tl out over [from, to) in width columns (procs rows). 0 or -1. */
int timeline_layout(struct timeline_grid *g, const struct trace_timeline *tl, int procs, int64_t from,
		    int64_t to, int width);
void timeline_grid_release(struct timeline_grid *g);

/* The goroutine a cell's letter stands for, or 0. */
uint64_t timeline_goroutine(const struct timeline_grid *g, char c);

/* The grid as text: "P0  AAAB..", ..., "run 0012..", then the letters' goroutines. */
void timeline_print(FILE *out, const struct timeline_grid *g);

/* "12.5ms", "1.20s", "350us" into buf. */
void timeline_time(char *buf, size_t size, int64_t ns);

#endif

/*
 * sym.h — program counters to functions, files and lines, for profiles
 * (sym.c; libbacktrace, inlined frames included). Not for signal handlers:
 * it allocates and reads the program's debug information.
 */
#ifndef GO_SYM_H
#define GO_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pprof.h"

typedef struct go__sym go__sym;

go__sym *go__sym_new(void);
void go__sym_free(go__sym *sym);

/* Adds the one mapping every location of pp names (mapping 1). */
void go__sym_mapping(go__sym *sym, go__pp *pp);

/* The id in pp of the location at pc, added with its lines on first use.
 * pc is a return address unless leaf (the interrupted instruction): a
 * return address is looked up at pc - 1, inside the call. */
uint64_t go__sym_location(go__sym *sym, go__pp *pp, uintptr_t pc, bool leaf);

/* The name of the function at pc into buf ("?" if unknown); returns buf. */
const char *go__sym_name(go__sym *sym, uintptr_t pc, char *buf, size_t size);

/* The frames at pc (leaf as above), innermost first, into *lines: valid
 * until the next call on sym. Returns how many (at least one: an unknown
 * pc is named by its address). */
int go__sym_frames(go__sym *sym, uintptr_t pc, bool leaf, const struct go__pp_line **lines);

/* The return addresses of the calling goroutine's frames, innermost
 * first, skipping `skip` of them (the caller's own is the first), by a
 * walk of frame pointers bounded by its stack (or g0's). Safe anywhere
 * but a signal handler. Returns how many (at most max). */
int go__callers(uintptr_t *pc, int max, int skip);

#endif

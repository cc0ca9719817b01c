/*
 * sym.c — symbolization for profiles; see sym.h.
 *
 * Data model. One libbacktrace state reads the program's DWARF (and the
 * symbol tables of the libraries it loaded) on first use. A lookup fills a
 * small context: the frames of one PC, innermost first, with copies of
 * the strings libbacktrace lent (they must outlive the callback until the
 * pprof builder has interned them), released after each lookup.
 *
 * libbacktrace reads the program only (traceback.c gives it a
 * dl_iterate_phdr that lists no library: libc's separate debug
 * information is slow to load); a pc in a shared library is named by the
 * library (dladdr), "libc.so.6".
 *
 * go__callers walks the calling goroutine's frame pointers: each frame
 * holds the caller's frame pointer and the return address above it; the
 * walk stays within the stack the runtime gave the goroutine.
 */
#define _GNU_SOURCE
#include <backtrace.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sym.h"

#define MAX_LINES 16
#define MAX_OWNED 40

struct go__sym {
	struct backtrace_state *bt;
	struct go__pp_line lines[MAX_LINES];
	char *owned[MAX_OWNED];
	int nlines, nowned;
	const char *symname;
};

static void on_error(void *data, const char *msg, int errnum)
{
	(void)data, (void)msg, (void)errnum;     /* no debug information: names fall back */
}

go__sym *go__sym_new(void)
{
	go__sym *sym = calloc(1, sizeof(*sym));

	if (sym)
		sym->bt = backtrace_create_state(NULL, 0, on_error, NULL);
	return sym;
}

void go__sym_free(go__sym *sym)
{
	free(sym);          /* libbacktrace's state is never freed: it has no call for it */
}

static const char *keep(go__sym *sym, const char *s)
{
	char *copy;

	if (!s || sym->nowned == MAX_OWNED || !(copy = strdup(s)))
		return "";
	sym->owned[sym->nowned++] = copy;
	return copy;
}

static void release(go__sym *sym)
{
	for (int i = 0; i < sym->nowned; i++)
		free(sym->owned[i]);
	sym->nowned = sym->nlines = 0;
	sym->symname = NULL;
}

static int on_pcinfo(void *data, uintptr_t pc, const char *file, int line, const char *fn)
{
	go__sym *sym = data;

	(void)pc;
	if (fn && sym->nlines < MAX_LINES)
		sym->lines[sym->nlines++] = (struct go__pp_line){ keep(sym, fn), keep(sym, file), line };
	return 0;
}

static void on_syminfo(void *data, uintptr_t pc, const char *name, uintptr_t val, uintptr_t size)
{
	go__sym *sym = data;

	(void)pc, (void)val, (void)size;
	sym->symname = name ? keep(sym, name) : NULL;
}

void go__sym_mapping(go__sym *sym, go__pp *pp)
{
	go__pp_mapping(pp, 0, UINTPTR_MAX, 0, "", sym->bt != NULL);
}

int go__sym_frames(go__sym *sym, uintptr_t pc, bool leaf, const struct go__pp_line **lines)
{
	uintptr_t at = leaf ? pc : pc - 1;
	char name[32];

	release(sym);
	if (sym->bt)
		backtrace_pcinfo(sym->bt, at, on_pcinfo, on_error, sym);
	if (!sym->nlines) {
		Dl_info info;

		if (sym->bt)
			backtrace_syminfo(sym->bt, at, on_syminfo, on_error, sym);
		if (!sym->symname && dladdr((void *)at, &info) && info.dli_fname && *info.dli_fname) {
			/* a shared library's code (libc's strlen): named by the
			 * library, as pprof names what it cannot symbolize */
			const char *base = strrchr(info.dli_fname, '/');

			sym->symname = keep(sym, base ? base + 1 : info.dli_fname);
		}
		if (!sym->symname)
			snprintf(name, sizeof(name), "0x%lx", (unsigned long)pc);
		sym->lines[sym->nlines++] = (struct go__pp_line){ sym->symname ? sym->symname : keep(sym, name), "", 0 };
	}
	*lines = sym->lines;
	return sym->nlines;
}

uint64_t go__sym_location(go__sym *sym, go__pp *pp, uintptr_t pc, bool leaf)
{
	const struct go__pp_line *lines;
	uint64_t id = go__pp_location_find(pp, pc);
	int n;

	if (id)
		return id;
	n = go__sym_frames(sym, pc, leaf, &lines);
	id = go__pp_location(pp, pc, 1, lines, n);
	release(sym);
	return id;
}

int go__callers(uintptr_t *pc, int max, int skip)
{
	go__m *m = go__getm();
	go__g *g = m ? m->curg : NULL;
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0), lo, hi;
	int n = 0;

	if (!m)
		return 0;
	if (g) {
		lo = (uintptr_t)g->stack_lo;
		hi = lo + g->stack_size;
	} else {
		lo = (uintptr_t)m->g0_stack_bottom;
		hi = lo + m->g0_stack_size;
	}
	while (n < max && fp >= lo && fp + 2 * sizeof(uintptr_t) <= hi && fp % sizeof(uintptr_t) == 0) {
		uintptr_t ret = ((const uintptr_t *)fp)[1], next = ((const uintptr_t *)fp)[0];

		if (!ret)
			break;
		if (skip > 0)
			skip--;
		else
			pc[n++] = ret;
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

const char *go__sym_name(go__sym *sym, uintptr_t pc, char *buf, size_t size)
{
	if (sym->bt && pc)
		backtrace_syminfo(sym->bt, pc, on_syminfo, on_error, sym);
	snprintf(buf, size, "%s", sym->symname ? sym->symname : "?");
	release(sym);
	return buf;
}

/*
 * sym.c — symbolization for profiles; see sym.h.
 *
 * Data model. One libbacktrace state reads the program's DWARF (and the
 * symbol tables of the libraries it loaded) on first use. A lookup fills a
 * small context: the frames of one PC, innermost first, with copies of
 * the strings libbacktrace lent (they must outlive the callback until the
 * pprof builder has interned them), released after each lookup.
 */
#define _GNU_SOURCE
#include <backtrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

uint64_t go__sym_location(go__sym *sym, go__pp *pp, uintptr_t pc, bool leaf)
{
	uint64_t id = go__pp_location_find(pp, pc);
	uintptr_t at = leaf ? pc : pc - 1;
	char name[32];

	if (id)
		return id;
	if (sym->bt)
		backtrace_pcinfo(sym->bt, at, on_pcinfo, on_error, sym);
	if (!sym->nlines) {
		if (sym->bt)
			backtrace_syminfo(sym->bt, at, on_syminfo, on_error, sym);
		if (!sym->symname)
			snprintf(name, sizeof(name), "0x%lx", (unsigned long)pc);
		sym->lines[sym->nlines++] = (struct go__pp_line){ sym->symname ? sym->symname : keep(sym, name), "", 0 };
	}
	id = go__pp_location(pp, pc, 1, sym->lines, sym->nlines);
	release(sym);
	return id;
}

const char *go__sym_name(go__sym *sym, uintptr_t pc, char *buf, size_t size)
{
	if (sym->bt && pc)
		backtrace_syminfo(sym->bt, pc, on_syminfo, on_error, sym);
	snprintf(buf, size, "%s", sym->symname ? sym->symname : "?");
	release(sym);
	return buf;
}

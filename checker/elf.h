/*
 * elf — what chanlab needs to know of the objects it builds, read from
 * their ELF headers (ELF64 little-endian, as x86-64 makes).
 *
 * The reader maps the file and checks every offset against its size before
 * it follows it, so a damaged or hostile object file is an error, never a
 * crash. It does not execute anything.
 */
#ifndef CHECKER_ELF_H
#define CHECKER_ELF_H

#include <stdbool.h>

struct elf_sym {
	const char *name;
	bool global;             /* STB_GLOBAL or STB_WEAK */
	bool defined;            /* not SHN_UNDEF */
	bool function;           /* STT_FUNC or STT_GNU_IFUNC */
};

/* Calls fn for every symbol in path's symbol table (.symtab, or .dynsym
 * when dynamic is true) until fn returns non-zero. The name is valid only
 * during the call. Returns fn's non-zero value, 0 when every symbol was
 * seen, or -1 (err_msg) when path is not a readable ELF64 file. */
int elf_symbols(const char *path, bool dynamic, int (*fn)(const struct elf_sym *sym, void *payload),
		void *payload);

/* How many functions path asks to run before main: the entries of its
 * .init_array, .preinit_array and .ctors sections (also their numbered
 * forms, .init_array.00099 ...); *fini gets those of .fini_array and .dtors,
 * after main. A sanitizer adds its own (a module constructor per object, a
 * destructor where it has globals): compare with an object built the same
 * way from next to nothing. -1 (err_msg) if path is unreadable. */
int elf_constructors(const char *path, int *fini);

#endif

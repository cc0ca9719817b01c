/*
 * elf — section and symbol tables of ELF64 files; see elf.h.
 *
 * Data model: the file is mapped read-only once per call (struct image);
 * section headers are an array at e_shoff, each symbol table's names live
 * in the string section its sh_link names. Every (offset, size) pair read
 * from the file goes through in_bounds() before it is used.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "checker/elf.h"

struct image {
	void *map;
	const unsigned char *p;
	size_t size;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;     /* eh->e_shnum entries */
};

static bool in_bounds(const struct image *im, uint64_t off, uint64_t len)
{
	return off <= im->size && len <= im->size - off;
}

static int image_open(struct image *im, const char *path)
{
	struct stat st;
	void *p;
	int fd;

	memset(im, 0, sizeof(*im));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys("cannot read '%s'", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		return err_set("'%s' is not an ELF file", path);
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return err_sys("cannot map '%s'", path);
	im->map = p;
	im->p = p;
	im->size = (size_t)st.st_size;
	im->eh = (const Elf64_Ehdr *)im->p;
	if (memcmp(im->eh->e_ident, ELFMAG, SELFMAG) != 0 || im->eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    im->eh->e_ident[EI_DATA] != ELFDATA2LSB || im->eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_bounds(im, im->eh->e_shoff, (uint64_t)im->eh->e_shnum * sizeof(Elf64_Shdr))) {
		munmap(p, im->size);
		return err_set("'%s' is not an ELF64 file chanlab can read", path);
	}
	im->sh = (const Elf64_Shdr *)(im->p + im->eh->e_shoff);
	return 0;
}

static void image_close(struct image *im)
{
	if (im->map)
		munmap(im->map, im->size);
}

/* The NUL-terminated string at off in string section idx, or NULL. */
static const char *str_at(const struct image *im, size_t idx, uint64_t off)
{
	const Elf64_Shdr *s;
	const char *str;

	if (idx >= im->eh->e_shnum)
		return NULL;
	s = &im->sh[idx];
	if (s->sh_type != SHT_STRTAB || !in_bounds(im, s->sh_offset, s->sh_size) || off >= s->sh_size)
		return NULL;
	str = (const char *)im->p + s->sh_offset + off;
	return memchr(str, '\0', s->sh_size - off) ? str : NULL;
}

int elf_symbols(const char *path, bool dynamic, int (*fn)(const struct elf_sym *sym, void *payload),
		void *payload)
{
	uint32_t want = dynamic ? SHT_DYNSYM : SHT_SYMTAB;
	struct image im;
	int rc = 0;

	if (image_open(&im, path) < 0)
		return -1;
	for (size_t i = 0; i < im.eh->e_shnum && rc == 0; i++) {
		const Elf64_Shdr *s = &im.sh[i];
		const Elf64_Sym *sym;
		size_t n;

		if (s->sh_type != want)
			continue;
		if (s->sh_entsize != sizeof(Elf64_Sym) || !in_bounds(&im, s->sh_offset, s->sh_size)) {
			rc = err_set("'%s' has a damaged symbol table", path);
			break;
		}
		sym = (const Elf64_Sym *)(im.p + s->sh_offset);
		n = s->sh_size / sizeof(Elf64_Sym);
		for (size_t k = 1; k < n && rc == 0; k++) {
			unsigned bind = ELF64_ST_BIND(sym[k].st_info);
			struct elf_sym e = {
				.name = str_at(&im, s->sh_link, sym[k].st_name),
				.global = bind == STB_GLOBAL || bind == STB_WEAK,
				.defined = sym[k].st_shndx != SHN_UNDEF,
				.function = ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC ||
					    ELF64_ST_TYPE(sym[k].st_info) == STT_GNU_IFUNC,
			};

			if (e.name && *e.name)
				rc = fn(&e, payload);
		}
	}
	image_close(&im);
	return rc;
}

/* 1 for a section of functions run before main, 2 after, 0 neither. */
static int runs_around_main(const Elf64_Shdr *s, const char *name)
{
	static const struct { const char *prefix; int when; } kinds[] = {
		{ ".init_array", 1 }, { ".preinit_array", 1 }, { ".ctors", 1 },
		{ ".fini_array", 2 }, { ".dtors", 2 },
	};

	if (s->sh_type == SHT_INIT_ARRAY || s->sh_type == SHT_PREINIT_ARRAY)
		return 1;
	if (s->sh_type == SHT_FINI_ARRAY)
		return 2;
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (strncmp(name, kinds[i].prefix, n) == 0 && (name[n] == '\0' || name[n] == '.'))
			return kinds[i].when;
	}
	return 0;
}

int elf_constructors(const char *path, int *fini)
{
	uint64_t n[3] = { 0 };
	struct image im;

	if (image_open(&im, path) < 0)
		return -1;
	for (size_t i = 0; i < im.eh->e_shnum; i++) {
		const Elf64_Shdr *s = &im.sh[i];

		n[runs_around_main(s, str_at(&im, im.eh->e_shstrndx, s->sh_name))] += s->sh_size / sizeof(Elf64_Addr);
	}
	image_close(&im);
	*fini = n[2] > 1000000 ? 1000000 : (int)n[2];
	return n[1] > 1000000 ? 1000000 : (int)n[1];
}

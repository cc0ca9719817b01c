/*
 * pprof.c — a profile.proto writer; see pprof.h.
 *
 * Data model. Protocol buffers are written by hand: a field is a key
 * (number << 3 | wire type) then a varint (type 0) or a length and bytes
 * (type 2). Each repeated message of the Profile (samples, mappings,
 * locations, functions) is encoded into its own buffer as it is added,
 * already wrapped as a field of the Profile, so writing is concatenation.
 * Strings are interned into a table (open addressing on an FNV-1a hash);
 * functions by (name, file) the same way; locations by address. The
 * string table is written last, when every string has its index.
 *
 * gzip without zlib: RFC 1952's header, the bytes as RFC 1951 "stored"
 * blocks of at most 65535 bytes, then the CRC-32 and the length. pprof
 * reads it like any gzip file; profiles are small enough that compressing
 * them is not worth a dependency.
 *
 * Field numbers (google/pprof proto/profile.proto):
 *   Profile  1 sample_type  2 sample  3 mapping  4 location  5 function
 *            6 string_table  9 time_nanos  10 duration_nanos
 *            11 period_type  12 period  13 comment
 *   ValueType 1 type  2 unit        Sample 1 location_id  2 value  3 label
 *   Label    1 key  2 str  3 num  4 num_unit
 *   Mapping  1 id  2 memory_start  3 memory_limit  4 file_offset
 *            5 filename  7 has_functions  8 has_filenames  9 has_line_numbers
 *            10 has_inline_frames
 *   Location 1 id  2 mapping_id  3 address  4 line      Line 1 function_id  2 line
 *   Function 1 id  2 name  3 system_name  4 filename
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pprof.h"

enum { WT_VARINT = 0, WT_BYTES = 2 };

struct ppbuf {
	uint8_t *p;
	size_t n, cap;
};

/* An open-addressing table from a key to an id; keys are owned elsewhere. */
struct slot {
	uint64_t hash;
	uint64_t id;                /* 0: empty */
	uint64_t key;               /* an address, or an index into strs */
	uint64_t key2;              /* functions: the file's string index */
};

struct table {
	struct slot *slots;
	size_t cap, n;              /* cap a power of two */
};

struct go__pp {
	bool oom;
	struct ppbuf head;          /* sample types, period, times, comments */
	struct ppbuf samples, mappings, locations, functions;
	char **strs;                /* the string table, strs[0] = "" */
	size_t nstrs, capstrs;
	struct table strtab, functab, loctab;
	uint64_t nmappings, nlocations, nfunctions;
	int ntypes;
};

/* --- bytes and varints ---------------------------------------------------- */

static void put(go__pp *pp, struct ppbuf *b, const void *data, size_t n)
{
	if (pp->oom)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *p;

		while (cap < b->n + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			pp->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, n);
	b->n += n;
}

static size_t varint_encode(uint8_t *out, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		out[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (uint8_t)v;
	return n;
}

static void varint(go__pp *pp, struct ppbuf *b, uint64_t v)
{
	uint8_t tmp[10];

	put(pp, b, tmp, varint_encode(tmp, v));
}

static void key(go__pp *pp, struct ppbuf *b, unsigned field, unsigned wt)
{
	varint(pp, b, (uint64_t)field << 3 | wt);
}

/* A varint field; zero is the default and is left out. */
static void field_u(go__pp *pp, struct ppbuf *b, unsigned field, uint64_t v)
{
	if (!v)
		return;
	key(pp, b, field, WT_VARINT);
	varint(pp, b, v);
}

static void field_bytes(go__pp *pp, struct ppbuf *b, unsigned field, const void *data, size_t n)
{
	key(pp, b, field, WT_BYTES);
	varint(pp, b, n);
	put(pp, b, data, n);
}

/* Wraps msg as field `field` of b, and empties msg for reuse. */
static void field_msg(go__pp *pp, struct ppbuf *b, unsigned field, struct ppbuf *msg)
{
	field_bytes(pp, b, field, msg->p, msg->n);
	msg->n = 0;
}

/* --- interning ------------------------------------------------------------ */

static uint64_t fnv(const void *data, size_t n, uint64_t h)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x | 1;               /* never 0 */
}

static bool table_grow(go__pp *pp, struct table *t)
{
	struct table nt = { 0 };

	if (t->n * 2 < t->cap)
		return true;
	nt.cap = t->cap ? t->cap * 2 : 64;
	nt.slots = calloc(nt.cap, sizeof(*nt.slots));
	if (!nt.slots) {
		pp->oom = true;
		return false;
	}
	for (size_t i = 0; i < t->cap; i++) {
		struct slot *s = &t->slots[i];
		size_t j;

		if (!s->id)
			continue;
		for (j = s->hash & (nt.cap - 1); nt.slots[j].id; j = (j + 1) & (nt.cap - 1))
			;
		nt.slots[j] = *s;
	}
	nt.n = t->n;
	free(t->slots);
	*t = nt;
	return true;
}

/* The slot for (hash, key, key2), found or empty; NULL when out of memory. */
static struct slot *table_slot(go__pp *pp, struct table *t, uint64_t hash,
			       bool (*same)(go__pp *, const struct slot *, const void *), const void *k)
{
	size_t j;

	if (!table_grow(pp, t))
		return NULL;
	for (j = hash & (t->cap - 1); t->slots[j].id; j = (j + 1) & (t->cap - 1))
		if (t->slots[j].hash == hash && same(pp, &t->slots[j], k))
			break;
	return &t->slots[j];
}

static bool same_string(go__pp *pp, const struct slot *s, const void *k)
{
	return strcmp(pp->strs[s->key], k) == 0;
}

/* The string table index of s (NULL is ""). */
static uint64_t intern(go__pp *pp, const char *s)
{
	struct slot *slot;
	uint64_t hash;
	char *copy;

	if (!s || !*s)
		return 0;
	hash = mix(fnv(s, strlen(s), 0xcbf29ce484222325ULL));
	slot = table_slot(pp, &pp->strtab, hash, same_string, s);
	if (!slot)
		return 0;
	if (slot->id)
		return slot->key;
	if (pp->nstrs == pp->capstrs) {
		size_t cap = pp->capstrs * 2;
		char **strs = realloc(pp->strs, cap * sizeof(*strs));

		if (!strs) {
			pp->oom = true;
			return 0;
		}
		pp->strs = strs;
		pp->capstrs = cap;
	}
	copy = strdup(s);
	if (!copy) {
		pp->oom = true;
		return 0;
	}
	pp->strs[pp->nstrs] = copy;
	*slot = (struct slot){ .hash = hash, .id = 1, .key = pp->nstrs };
	pp->strtab.n++;
	return pp->nstrs++;
}

struct funckey {
	uint64_t name, file;
};

static bool same_function(go__pp *pp, const struct slot *s, const void *k)
{
	const struct funckey *fk = k;

	(void)pp;
	return s->key == fk->name && s->key2 == fk->file;
}

static uint64_t function_id(go__pp *pp, const char *name, const char *file)
{
	struct funckey fk = { intern(pp, name), intern(pp, file) };
	struct ppbuf msg = { 0 };
	struct slot *slot;
	uint64_t hash = mix(fk.name * 0x9e3779b97f4a7c15ULL ^ fk.file);

	slot = table_slot(pp, &pp->functab, hash, same_function, &fk);
	if (!slot)
		return 0;
	if (slot->id)
		return slot->id;
	*slot = (struct slot){ .hash = hash, .id = ++pp->nfunctions, .key = fk.name, .key2 = fk.file };
	pp->functab.n++;
	field_u(pp, &msg, 1, slot->id);
	field_u(pp, &msg, 2, fk.name);
	field_u(pp, &msg, 3, fk.name);
	field_u(pp, &msg, 4, fk.file);
	field_msg(pp, &pp->functions, 5, &msg);
	free(msg.p);
	return slot->id;
}

static bool same_addr(go__pp *pp, const struct slot *s, const void *k)
{
	(void)pp;
	return s->key == *(const uint64_t *)k;
}

/* --- the builder ---------------------------------------------------------- */

go__pp *go__pp_new(void)
{
	go__pp *pp = calloc(1, sizeof(*pp));

	if (!pp)
		return NULL;
	pp->capstrs = 64;
	pp->strs = malloc(pp->capstrs * sizeof(*pp->strs));
	if (!pp->strs || !(pp->strs[0] = strdup(""))) {
		free(pp->strs);
		free(pp);
		return NULL;
	}
	pp->nstrs = 1;
	return pp;
}

void go__pp_free(go__pp *pp)
{
	if (!pp)
		return;
	for (size_t i = 0; i < pp->nstrs; i++)
		free(pp->strs[i]);
	free(pp->strs);
	free(pp->head.p);
	free(pp->samples.p);
	free(pp->mappings.p);
	free(pp->locations.p);
	free(pp->functions.p);
	free(pp->strtab.slots);
	free(pp->functab.slots);
	free(pp->loctab.slots);
	free(pp);
}

static void value_type(go__pp *pp, unsigned field, const char *type, const char *unit)
{
	struct ppbuf msg = { 0 };

	field_u(pp, &msg, 1, intern(pp, type));
	field_u(pp, &msg, 2, intern(pp, unit));
	field_msg(pp, &pp->head, field, &msg);
	free(msg.p);
}

void go__pp_sample_type(go__pp *pp, const char *type, const char *unit)
{
	pp->ntypes++;
	value_type(pp, 1, type, unit);
}

void go__pp_period(go__pp *pp, const char *type, const char *unit, int64_t period)
{
	value_type(pp, 11, type, unit);
	field_u(pp, &pp->head, 12, (uint64_t)period);
}

void go__pp_time(go__pp *pp, int64_t time_nanos, int64_t duration_nanos)
{
	field_u(pp, &pp->head, 9, (uint64_t)time_nanos);
	field_u(pp, &pp->head, 10, (uint64_t)duration_nanos);
}

void go__pp_comment(go__pp *pp, const char *text)
{
	key(pp, &pp->head, 13, WT_VARINT);
	varint(pp, &pp->head, intern(pp, text));
}

uint64_t go__pp_mapping(go__pp *pp, uint64_t start, uint64_t limit, uint64_t offset,
			const char *file, bool symbolized)
{
	struct ppbuf msg = { 0 };
	uint64_t id = ++pp->nmappings;

	field_u(pp, &msg, 1, id);
	field_u(pp, &msg, 2, start);
	field_u(pp, &msg, 3, limit);
	field_u(pp, &msg, 4, offset);
	field_u(pp, &msg, 5, intern(pp, file));
	field_u(pp, &msg, 7, symbolized);
	field_u(pp, &msg, 8, symbolized);
	field_u(pp, &msg, 9, symbolized);
	field_u(pp, &msg, 10, symbolized);
	field_msg(pp, &pp->mappings, 3, &msg);
	free(msg.p);
	return id;
}

uint64_t go__pp_location_find(go__pp *pp, uint64_t addr)
{
	struct table *t = &pp->loctab;
	uint64_t hash = mix(addr);

	if (!t->cap)
		return 0;
	for (size_t j = hash & (t->cap - 1); t->slots[j].id; j = (j + 1) & (t->cap - 1))
		if (t->slots[j].key == addr)
			return t->slots[j].id;
	return 0;
}

uint64_t go__pp_location(go__pp *pp, uint64_t addr, uint64_t mapping,
			 const struct go__pp_line *lines, int nlines)
{
	struct ppbuf msg = { 0 }, line = { 0 };
	struct slot *slot;
	uint64_t hash = mix(addr);

	slot = table_slot(pp, &pp->loctab, hash, same_addr, &addr);
	if (!slot)
		return 0;
	if (slot->id)
		return slot->id;
	*slot = (struct slot){ .hash = hash, .id = ++pp->nlocations, .key = addr };
	pp->loctab.n++;
	field_u(pp, &msg, 1, slot->id);
	field_u(pp, &msg, 2, mapping);
	field_u(pp, &msg, 3, addr);
	for (int i = 0; i < nlines; i++) {
		field_u(pp, &line, 1, function_id(pp, lines[i].function, lines[i].file));
		field_u(pp, &line, 2, (uint64_t)lines[i].line);
		field_msg(pp, &msg, 4, &line);
	}
	field_msg(pp, &pp->locations, 4, &msg);
	free(line.p);
	free(msg.p);
	return slot->id;
}

void go__pp_sample(go__pp *pp, const uint64_t *locs, int nlocs, const int64_t *values,
		   const struct go__pp_label *labels, int nlabels)
{
	struct ppbuf msg = { 0 }, packed = { 0 }, label = { 0 };

	for (int i = 0; i < nlocs; i++)
		varint(pp, &packed, locs[i]);
	field_msg(pp, &msg, 1, &packed);
	for (int i = 0; i < pp->ntypes; i++)
		varint(pp, &packed, (uint64_t)values[i]);
	field_msg(pp, &msg, 2, &packed);
	for (int i = 0; i < nlabels; i++) {
		field_u(pp, &label, 1, intern(pp, labels[i].key));
		if (labels[i].str) {
			field_u(pp, &label, 2, intern(pp, labels[i].str));
		} else {
			field_u(pp, &label, 3, (uint64_t)labels[i].num);
			field_u(pp, &label, 4, intern(pp, labels[i].unit));
		}
		field_msg(pp, &msg, 3, &label);
	}
	field_msg(pp, &pp->samples, 2, &msg);
	free(label.p);
	free(packed.p);
	free(msg.p);
}

/* --- writing -------------------------------------------------------------- */

int go__pp_encode(go__pp *pp, uint8_t **out, size_t *len)
{
	struct ppbuf all = { 0 };

	put(pp, &all, pp->head.p, pp->head.n);
	put(pp, &all, pp->samples.p, pp->samples.n);
	put(pp, &all, pp->mappings.p, pp->mappings.n);
	put(pp, &all, pp->locations.p, pp->locations.n);
	put(pp, &all, pp->functions.p, pp->functions.n);
	for (size_t i = 0; i < pp->nstrs; i++)
		field_bytes(pp, &all, 6, pp->strs[i], strlen(pp->strs[i]));
	if (pp->oom) {
		free(all.p);
		errno = ENOMEM;
		return -1;
	}
	*out = all.p;
	*len = all.n;
	return 0;
}

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	static uint32_t table[256];

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static int write_all(int fd, const void *data, size_t n)
{
	const uint8_t *p = data;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int go__pp_write(go__pp *pp, int fd)
{
	static const uint8_t header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
	uint8_t *data, trailer[8];
	size_t len, off = 0;
	uint32_t crc;
	int rc = -1;

	if (go__pp_encode(pp, &data, &len) < 0)
		return -1;
	crc = crc32_update(0, data, len);
	if (write_all(fd, header, sizeof(header)) < 0)
		goto out;
	do {
		size_t n = len - off > 65535 ? 65535 : len - off;
		uint8_t block[5] = { off + n == len, (uint8_t)n, (uint8_t)(n >> 8),
				     (uint8_t)~n, (uint8_t)(~n >> 8) };

		if (write_all(fd, block, sizeof(block)) < 0 || write_all(fd, data + off, n) < 0)
			goto out;
		off += n;
	} while (off < len);
	for (int i = 0; i < 4; i++) {
		trailer[i] = (uint8_t)(crc >> (8 * i));
		trailer[4 + i] = (uint8_t)((uint32_t)len >> (8 * i));
	}
	rc = write_all(fd, trailer, sizeof(trailer));
out:
	free(data);
	return rc;
}

int go__pp_write_file(go__pp *pp, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc;

	if (fd < 0)
		return -1;
	rc = go__pp_write(pp, fd);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

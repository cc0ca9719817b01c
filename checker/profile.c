/*
 * profile — a pprof profile reader; see profile.h.
 *
 * Data model. The file is a Profile message (google/pprof
 * proto/profile.proto), maybe gzipped. Strings are referred to by their
 * index in the string table, which writers put last, and samples refer to
 * locations, and locations to functions, by ids that may come later in the
 * file. So the reader makes two passes over the top-level fields: the
 * first keeps the string table, the second decodes the rest with ids as
 * they are; then ids are turned into indexes (locations and functions
 * sorted by id, looked up by binary search) and anything that points
 * nowhere is refused. Everything lives in arrays owned by the profile:
 * frames of all locations in one, location indexes of all stacks in one.
 *
 * Wire format: a key (field << 3 | type), then a varint (type 0), 8 bytes
 * (1), a length and bytes (2) or 4 bytes (5). Repeated numbers come packed
 * (one type-2 field) or one by one; both are read.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/err.h"
#include "base/varint.h"
#include "base/fs.h"
#include "checker/profile.h"

struct field {
	unsigned num, type;
	uint64_t v;                 /* types 0, 1, 5 */
	struct varint_cur sub;             /* type 2 */
};

/* Raw ids as read, before they become indexes. */
struct raw_loc {
	uint64_t id;
	size_t first, n;            /* in the raw function-id frames */
};

struct reader {
	struct profile *p;
	uint64_t *frame_fn;         /* function id of each frame, then its index */
	size_t cap_frames, cap_locs, cap_funcs, cap_stack, cap_samples, cap_values;
	uint64_t *func_ids;         /* parallel to p->funcs */
	uint64_t *stack_ids;        /* parallel to p->stack */
	size_t *sample_nvalues;
	size_t nvalues;
	int goroutine_key;
};

/* The next field of c into *f; false at the end or on damage (c->bad). */
static bool next(struct varint_cur *c, struct field *f)
{
	uint64_t key, len;

	if (c->bad || c->p >= c->end)
		return false;
	key = varint_next(c);
	f->num = (unsigned)(key >> 3);
	f->type = key & 7;
	switch (f->type) {
	case 0:
		f->v = varint_next(c);
		break;
	case 1:
	case 5:
		len = f->type == 1 ? 8 : 4;
		if ((size_t)(c->end - c->p) < len) {
			c->bad = true;
			return false;
		}
		f->v = 0;
		memcpy(&f->v, c->p, len);
		c->p += len;
		break;
	case 2:
		len = varint_next(c);
		if (c->bad || len > (size_t)(c->end - c->p)) {
			c->bad = true;
			return false;
		}
		f->sub = (struct varint_cur){ c->p, c->p + len, false };
		c->p += len;
		break;
	default:
		c->bad = true;
	}
	return !c->bad;
}

#define GROW(arr, n, cap)                                                       \
	((n) < (cap) ? 0 : grow((void **)&(arr), &(cap), sizeof(*(arr))))

static int grow(void **arr, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = ncap > SIZE_MAX / size ? NULL : realloc(*arr, ncap * size);

	if (!p)
		return err_set("out of memory reading a profile");
	*arr = p;
	*cap = ncap;
	return 0;
}

static const char *str(const struct profile *p, uint64_t i, bool *bad)
{
	if (i >= p->nstrs) {
		*bad = true;
		return "";
	}
	return p->strs[i];
}

/* --- the two passes ------------------------------------------------------- */

static int read_strings(struct profile *p, struct varint_cur c)
{
	struct field f;
	size_t cap = 0;

	while (next(&c, &f)) {
		char *s;

		if (f.num != 6 || f.type != 2)
			continue;
		if (GROW(p->strs, p->nstrs, cap) < 0)
			return -1;
		s = malloc((size_t)(f.sub.end - f.sub.p) + 1);
		if (!s)
			return err_set("out of memory reading a profile");
		memcpy(s, f.sub.p, (size_t)(f.sub.end - f.sub.p));
		s[f.sub.end - f.sub.p] = '\0';
		p->strs[p->nstrs++] = s;
	}
	if (c.bad)
		return err_set("the profile is damaged");
	if (!p->nstrs || *p->strs[0])
		return err_set("the profile's string table does not start with \"\"");
	return 0;
}

static int read_value_type(struct reader *r, struct varint_cur c)
{
	struct profile *p = r->p;
	struct field f;
	uint64_t type = 0, unit = 0;
	bool bad = false;
	size_t cap = p->ntypes;

	while (next(&c, &f))
		if (f.num == 1)
			type = f.v;
		else if (f.num == 2)
			unit = f.v;
	if (p->ntypes >= 16)
		return err_set("the profile has too many sample types");
	if (GROW(p->types, p->ntypes, cap) < 0)
		return -1;
	cap = p->ntypes;
	if (GROW(p->units, p->ntypes, cap) < 0)
		return -1;
	p->types[p->ntypes] = str(p, type, &bad);
	p->units[p->ntypes++] = str(p, unit, &bad);
	return bad || c.bad ? err_set("the profile's sample types are damaged") : 0;
}

/* Appends the numbers of field f (packed or not) to *arr. */
static int numbers(struct field *f, uint64_t **arr, size_t *n, size_t *cap)
{
	if (f->type == 0) {
		if (GROW(*arr, *n, *cap) < 0)
			return -1;
		(*arr)[(*n)++] = f->v;
		return 0;
	}
	while (f->type == 2 && f->sub.p < f->sub.end) {
		uint64_t v = varint_next(&f->sub);

		if (f->sub.bad)
			return err_set("the profile is damaged");
		if (GROW(*arr, *n, *cap) < 0)
			return -1;
		(*arr)[(*n)++] = v;
	}
	return 0;
}

static int read_sample(struct reader *r, struct varint_cur c)
{
	struct profile *p = r->p;
	struct profile_sample *s;
	struct field f;
	uint64_t *values = (uint64_t *)p->values;
	size_t nvalues = 0;

	size_t cap = r->cap_samples;

	if (GROW(p->samples, p->nsamples, r->cap_samples) < 0 || GROW(r->sample_nvalues, p->nsamples, cap) < 0)
		return -1;
	s = &p->samples[p->nsamples];
	*s = (struct profile_sample){ .first = p->nstack };
	while (next(&c, &f)) {
		if (f.num == 1 && numbers(&f, &r->stack_ids, &p->nstack, &r->cap_stack) < 0)
			return -1;
		if (f.num == 2) {
			size_t before = r->nvalues;
			int nrc = numbers(&f, &values, &r->nvalues, &r->cap_values);

			p->values = (int64_t *)values;
			if (nrc < 0)
				return -1;
			nvalues += r->nvalues - before;
		}
		if (f.num == 3 && f.type == 2) {
			struct field lf;
			uint64_t key = 0, sval = 0;

			while (next(&f.sub, &lf))
				if (lf.num == 1)
					key = lf.v;
				else if (lf.num == 2)
					sval = lf.v;
			if (key && key < p->nstrs && strcmp(p->strs[key], "goroutine") == 0 && sval < p->nstrs)
				s->goroutine = p->strs[sval];
		}
	}
	if (c.bad)
		return err_set("the profile's samples are damaged");
	s->n = p->nstack - s->first;
	r->sample_nvalues[p->nsamples++] = nvalues;
	return 0;
}

static int read_function(struct reader *r, struct varint_cur c)
{
	struct profile *p = r->p;
	struct field f;
	uint64_t id = 0, name = 0, file = 0;
	bool bad = false;
	size_t cap = r->cap_funcs;

	while (next(&c, &f))
		if (f.num == 1)
			id = f.v;
		else if (f.num == 2)
			name = f.v;
		else if (f.num == 4)
			file = f.v;
	if (GROW(p->funcs, p->nfuncs, r->cap_funcs) < 0 || GROW(r->func_ids, p->nfuncs, cap) < 0)
		return -1;
	p->funcs[p->nfuncs] = (struct profile_func){ str(p, name, &bad), str(p, file, &bad) };
	r->func_ids[p->nfuncs++] = id;
	return bad || c.bad || !id ? err_set("the profile's functions are damaged") : 0;
}

static int read_location(struct reader *r, struct varint_cur c)
{
	struct profile *p = r->p;
	struct profile_loc *l;
	struct field f;

	if (GROW(p->locs, p->nlocs, r->cap_locs) < 0)
		return -1;
	l = &p->locs[p->nlocs];
	*l = (struct profile_loc){ .first = p->nframes };
	while (next(&c, &f)) {
		if (f.num == 1)
			l->id = f.v;
		if (f.num == 4 && f.type == 2) {
			struct field lf;
			size_t cap = r->cap_frames;

			if (GROW(p->frames, p->nframes, r->cap_frames) < 0 || GROW(r->frame_fn, p->nframes, cap) < 0)
				return -1;
			p->frames[p->nframes] = (struct profile_frame){ 0, 0 };
			r->frame_fn[p->nframes] = 0;
			while (next(&f.sub, &lf))
				if (lf.num == 1)
					r->frame_fn[p->nframes] = lf.v;
				else if (lf.num == 2)
					p->frames[p->nframes].line = (int64_t)lf.v;
			p->nframes++;
		}
	}
	l->n = p->nframes - l->first;
	p->nlocs++;
	return c.bad || !l->id ? err_set("the profile's locations are damaged") : 0;
}

/* --- ids to indexes ------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct idx { uint64_t id; size_t i; };

static int cmp_idx(const void *a, const void *b)
{
	return cmp_u64(&((const struct idx *)a)->id, &((const struct idx *)b)->id);
}

static struct idx *index_of(const uint64_t *ids, size_t n, size_t stride)
{
	struct idx *x = malloc((n ? n : 1) * sizeof(*x));

	if (!x)
		return NULL;
	for (size_t i = 0; i < n; i++)
		x[i] = (struct idx){ *(const uint64_t *)((const char *)ids + i * stride), i };
	qsort(x, n, sizeof(*x), cmp_idx);
	return x;
}

static bool lookup(const struct idx *x, size_t n, uint64_t id, size_t *out)
{
	struct idx key = { id, 0 };
	const struct idx *hit = bsearch(&key, x, n, sizeof(*x), cmp_idx);

	if (!hit)
		return false;
	*out = hit->i;
	return true;
}

static int resolve(struct reader *r)
{
	struct profile *p = r->p;
	struct idx *funcs = index_of(r->func_ids, p->nfuncs, sizeof(uint64_t));
	struct idx *locs = index_of(p->locs ? &p->locs[0].id : NULL, p->nlocs, sizeof(struct profile_loc));
	int rc = -1;

	if (!funcs || !locs) {
		err_set("out of memory reading a profile");
		goto out;
	}
	for (size_t i = 0; i < p->nframes; i++)
		if (!lookup(funcs, p->nfuncs, r->frame_fn[i], &p->frames[i].func)) {
			err_set("a location of the profile names a function it does not have");
			goto out;
		}
	p->stack = malloc((p->nstack ? p->nstack : 1) * sizeof(*p->stack));
	if (!p->stack) {
		err_set("out of memory reading a profile");
		goto out;
	}
	for (size_t i = 0; i < p->nstack; i++)
		if (!lookup(locs, p->nlocs, r->stack_ids[i], &p->stack[i])) {
			err_set("a sample of the profile names a location it does not have");
			goto out;
		}
	for (size_t i = 0, v = 0; i < p->nsamples; i++) {
		if (r->sample_nvalues[i] != p->ntypes) {
			err_set("a sample of the profile has %zu values for %zu sample types",
				r->sample_nvalues[i], p->ntypes);
			goto out;
		}
		p->samples[i].values = p->values + v;
		v += p->ntypes;
	}
	rc = 0;
out:
	free(funcs);
	free(locs);
	return rc;
}

/* --- reading -------------------------------------------------------------- */

static int inflate_all(const uint8_t *in, size_t len, size_t max, uint8_t **out, size_t *outlen)
{
	z_stream z = { 0 };
	size_t cap = len * 4 < max ? len * 4 + 1024 : max + 1;
	uint8_t *buf = malloc(cap);
	int zr;

	if (!buf)
		return err_set("out of memory reading a profile");
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		return err_set("zlib cannot inflate the profile");
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	do {
		if (z.total_out == cap) {
			uint8_t *bigger;

			if (cap > max)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			bigger = realloc(buf, cap);
			if (!bigger)
				break;
			buf = bigger;
		}
		z.next_out = buf + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		zr = inflate(&z, Z_NO_FLUSH);
	} while (zr == Z_OK);
	*outlen = z.total_out;
	inflateEnd(&z);
	if (zr != Z_STREAM_END) {
		free(buf);
		return err_set(*outlen > max ? "the profile is larger than %zu bytes" : "the profile's gzip data is damaged",
			       max);
	}
	*out = buf;
	return 0;
}

int profile_parse(struct profile *p, const void *data, size_t len, size_t max_bytes)
{
	const uint8_t *bytes = data;
	uint8_t *plain = NULL;
	struct reader r = { .p = p };
	struct varint_cur c;
	struct field f;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (len >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) {
		if (inflate_all(bytes, len, max_bytes, &plain, &len) < 0)
			return -1;
		bytes = plain;
	} else if (len > max_bytes) {
		return err_set("the profile is larger than %zu bytes", max_bytes);
	}
	c = (struct varint_cur){ bytes, bytes + len, false };
	if (read_strings(p, c) < 0)
		goto out;
	while (next(&c, &f)) {
		int frc = 0;

		if (f.type == 2 && (f.num == 1 || f.num == 2 || f.num == 4 || f.num == 5)) {
			if (f.num == 1)
				frc = read_value_type(&r, f.sub);
			else if (f.num == 2)
				frc = read_sample(&r, f.sub);
			else if (f.num == 4)
				frc = read_location(&r, f.sub);
			else
				frc = read_function(&r, f.sub);
		} else if (f.type == 0 && f.num == 10) {
			p->duration_ns = (int64_t)f.v;
		} else if (f.type == 0 && f.num == 12) {
			p->period = (int64_t)f.v;
		}
		if (frc < 0)
			goto out;
	}
	if (c.bad) {
		err_set("the profile is damaged");
		goto out;
	}
	rc = resolve(&r);
out:
	free(r.frame_fn);
	free(r.func_ids);
	free(r.stack_ids);
	free(r.sample_nvalues);
	free(plain);
	return rc;
}

int profile_read(struct profile *p, const char *path, size_t max_bytes)
{
	size_t len;
	char *data = fs_read_at(AT_FDCWD, path, max_bytes, &len);
	int rc;

	memset(p, 0, sizeof(*p));
	if (!data)
		return -1;
	rc = profile_parse(p, data, len, max_bytes);
	free(data);
	return rc;
}

void profile_release(struct profile *p)
{
	for (size_t i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	free(p->strs);
	free(p->types);
	free(p->units);
	free(p->funcs);
	free(p->frames);
	free(p->locs);
	free(p->stack);
	free(p->samples);
	free(p->values);
	memset(p, 0, sizeof(*p));
}

int profile_type(const struct profile *p, const char *type)
{
	for (size_t i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i], type) == 0)
			return (int)i;
	return -1;
}

/* --- views ---------------------------------------------------------------- */

static int cmp_row(const void *a, const void *b)
{
	const struct profile_row *x = a, *y = b;

	if (x->flat != y->flat)
		return x->flat < y->flat ? 1 : -1;
	if (x->cum != y->cum)
		return x->cum < y->cum ? 1 : -1;
	return x->func < y->func ? -1 : x->func > y->func;
}

int profile_top(const struct profile *p, int t, struct profile_row **rows, size_t *nrows, int64_t *total)
{
	struct profile_row *all = calloc(p->nfuncs ? p->nfuncs : 1, sizeof(*all));
	size_t *seen = calloc(p->nfuncs ? p->nfuncs : 1, sizeof(*seen));
	int64_t *best = calloc(p->nfuncs ? p->nfuncs : 1, sizeof(*best));
	size_t n = 0;

	*rows = NULL;
	*nrows = 0;
	*total = 0;
	if (!all || !seen || !best || t < 0 || (size_t)t >= p->ntypes) {
		free(all), free(seen), free(best);
		return t < 0 || (size_t)t >= p->ntypes ? err_set("no such sample type") : err_set("out of memory");
	}
	for (size_t i = 0; i < p->nfuncs; i++)
		all[i].func = i;
	for (size_t s = 0; s < p->nsamples; s++) {
		const struct profile_sample *sm = &p->samples[s];
		int64_t v = sm->values[t];

		*total += v;
		for (size_t k = 0; k < sm->n; k++) {
			const struct profile_loc *l = &p->locs[p->stack[sm->first + k]];

			for (size_t fi = 0; fi < l->n; fi++) {
				const struct profile_frame *fr = &p->frames[l->first + fi];
				struct profile_row *row = &all[fr->func];
				bool leaf = k == 0 && fi == 0;

				if (leaf)
					row->flat += v;
				if (seen[fr->func] != s + 1) {
					seen[fr->func] = s + 1;
					row->cum += v;
					/* the line of the heaviest sample, preferring flat ones */
					if (v > best[fr->func] || (leaf && row->flat == v)) {
						best[fr->func] = v;
						row->line = fr->line;
					}
				}
			}
		}
	}
	for (size_t i = 0; i < p->nfuncs; i++)
		if (all[i].cum)
			all[n++] = all[i];
	qsort(all, n, sizeof(*all), cmp_row);
	free(seen);
	free(best);
	*rows = all;
	*nrows = n;
	return 0;
}

struct folded { char *stack; int64_t v; };

static int cmp_folded(const void *a, const void *b)
{
	return strcmp(((const struct folded *)a)->stack, ((const struct folded *)b)->stack);
}

void profile_folded(const struct profile *p, int t, bool by_goroutine, struct buf *out)
{
	struct folded *lines = calloc(p->nsamples ? p->nsamples : 1, sizeof(*lines));
	size_t n = 0;

	if (!lines || t < 0 || (size_t)t >= p->ntypes) {
		out->oom = out->oom || !lines;
		free(lines);
		return;
	}
	for (size_t s = 0; s < p->nsamples; s++) {
		const struct profile_sample *sm = &p->samples[s];
		struct buf b = BUF_INIT;

		if (!sm->values[t])
			continue;
		if (by_goroutine && sm->goroutine)
			buf_printf(&b, "%s", sm->goroutine);
		for (size_t k = sm->n; k-- > 0;) {
			const struct profile_loc *l = &p->locs[p->stack[sm->first + k]];

			for (size_t fi = l->n; fi-- > 0;)
				buf_printf(&b, "%s%s", b.len ? ";" : "", p->funcs[p->frames[l->first + fi].func].name);
		}
		if (b.oom) {
			out->oom = true;
			buf_release(&b);
			continue;
		}
		lines[n++] = (struct folded){ buf_detach(&b), sm->values[t] };
	}
	qsort(lines, n, sizeof(*lines), cmp_folded);
	for (size_t i = 0; i < n; i++) {
		int64_t v = lines[i].v;

		while (i + 1 < n && strcmp(lines[i].stack, lines[i + 1].stack) == 0)
			v += lines[++i].v;
		buf_printf(out, "%s %lld\n", lines[i].stack, (long long)v);
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i].stack);
	free(lines);
}

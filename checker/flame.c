/*
 * flame — a call tree merged from profiles; see flame.h.
 *
 * Data model: functions interned in an open-addressed table keyed by name
 * and file; nodes in one growing array, linked parent / first child / next
 * sibling. A sample walks its stack from the outermost frame in: at each
 * level the child with the frame's function is found by a scan of the
 * siblings (a call tree's fan-out is small) or added. Since nodes move when
 * the array grows, links are indexes, never pointers. The runtime's own
 * outermost frames (a goroutine's entry) are left out of every path.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "checker/flame.h"

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int grow_hash(struct flame *f)
{
	size_t cap = f->hashcap ? f->hashcap * 2 : 256;
	size_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return -1;
	for (size_t i = 0; i < f->nfns; i++) {
		size_t k = hash_str(hash_str(14695981039346656037u, f->fns[i].name), f->fns[i].file) & (cap - 1);

		while (h[k])
			k = (k + 1) & (cap - 1);
		h[k] = i + 1;
	}
	free(f->hash);
	f->hash = h;
	f->hashcap = cap;
	return 0;
}

/* The index of function name in file, added if new; (size_t)-1 when out of memory. */
static size_t intern(struct flame *f, const char *name, const char *file)
{
	size_t k;

	if ((f->nfns + 1) * 2 > f->hashcap && grow_hash(f) < 0)
		return (size_t)-1;
	k = hash_str(hash_str(14695981039346656037u, name), file) & (f->hashcap - 1);
	for (; f->hash[k]; k = (k + 1) & (f->hashcap - 1)) {
		const struct flame_fn *fn = &f->fns[f->hash[k] - 1];

		if (strcmp(fn->name, name) == 0 && strcmp(fn->file, file) == 0)
			return f->hash[k] - 1;
	}
	if (f->nfns == f->capfns) {
		size_t cap = f->capfns ? f->capfns * 2 : 64;
		struct flame_fn *fns = realloc(f->fns, cap * sizeof(*fns));

		if (!fns)
			return (size_t)-1;
		f->fns = fns;
		f->capfns = cap;
	}
	f->fns[f->nfns].name = strdup(name);
	f->fns[f->nfns].file = strdup(file);
	if (!f->fns[f->nfns].name || !f->fns[f->nfns].file) {
		free(f->fns[f->nfns].name);
		free(f->fns[f->nfns].file);
		return (size_t)-1;
	}
	f->hash[k] = f->nfns + 1;
	return f->nfns++;
}

/* The child of node with function fn, added if new; 0 when out of memory. */
static size_t child_of(struct flame *f, size_t node, size_t fn)
{
	size_t c;

	for (c = f->nodes[node].child; c; c = f->nodes[c].next)
		if (f->nodes[c].fn == fn)
			return c;
	if (f->nnodes == f->capnodes) {
		size_t cap = f->capnodes * 2;
		struct flame_node *n = realloc(f->nodes, cap * sizeof(*n));

		if (!n)
			return 0;
		f->nodes = n;
		f->capnodes = cap;
	}
	c = f->nnodes++;
	f->nodes[c] = (struct flame_node){
		.fn = fn, .parent = node, .next = f->nodes[node].child, .depth = f->nodes[node].depth + 1,
	};
	f->nodes[node].child = c;
	if (f->nodes[c].depth > f->maxdepth)
		f->maxdepth = f->nodes[c].depth;
	return c;
}

int flame_add(struct flame *f, const struct profile *p, int t)
{
	size_t *fns = NULL, cap = 0;

	if (t < 0 || (size_t)t >= p->ntypes)
		return err_set("no such sample type");
	if (!f->nodes) {
		f->nodes = calloc(256, sizeof(*f->nodes));
		if (!f->nodes)
			return err_set("out of memory");
		f->capnodes = 256;
		f->nnodes = 1;
		f->nodes[0].fn = FLAME_ROOT;
	}
	for (size_t s = 0; s < p->nsamples; s++) {
		const struct profile_sample *sm = &p->samples[s];
		int64_t v = sm->values[t];
		size_t n = 0, node = 0;
		int64_t line = 0;

		if (v == 0)
			continue;
		/* the sample's functions, outermost first */
		for (size_t k = sm->n; k-- > 0;) {
			const struct profile_loc *l = &p->locs[p->stack[sm->first + k]];

			for (size_t fi = l->n; fi-- > 0;) {
				const struct profile_frame *fr = &p->frames[l->first + fi];

				if (n == cap) {
					size_t *m = realloc(fns, (cap = cap ? cap * 2 : 64) * 2 * sizeof(*m));

					if (!m)
						goto oom;
					fns = m;
				}
				fns[2 * n] = intern(f, p->funcs[fr->func].name, p->funcs[fr->func].file);
				fns[2 * n + 1] = (size_t)fr->line;
				if (fns[2 * n] == (size_t)-1)
					goto oom;
				n++;
			}
		}
		f->nodes[0].total += v;
		/* the runtime's frames below the program's (goroutine entry,
		 * the main goroutine) say nothing: a path starts at the first
		 * frame outside runtime/, unless it has none */
		size_t from = 0;

		while (from < n && strncmp(f->fns[fns[2 * from]].file, "runtime/", 8) == 0)
			from++;
		if (from == n)
			from = 0;
		for (size_t i = from; i < n; i++) {
			if (!(node = child_of(f, node, fns[2 * i])))
				goto oom;
			line = (int64_t)fns[2 * i + 1];
			f->nodes[node].total += v;
			if (!f->nodes[node].line || v > f->nodes[node].self)
				f->nodes[node].line = line;
		}
		f->nodes[node].self += v;
		f->samples++;
	}
	f->total = f->nodes[0].total;
	free(fns);
	return 0;
oom:
	free(fns);
	return err_set("out of memory");
}

static int cmp_total(const void *a, const void *b, void *arg)
{
	const struct flame_node *n = arg;
	int64_t x = n[*(const size_t *)a].total, y = n[*(const size_t *)b].total;

	return (x < y) - (x > y);
}

void flame_finish(struct flame *f)
{
	size_t *kids = NULL, cap = 0;

	for (size_t i = 0; i < f->nnodes; i++) {
		size_t n = 0;

		for (size_t c = f->nodes[i].child; c; c = f->nodes[c].next) {
			if (n == cap) {
				size_t *m = realloc(kids, (cap = cap ? cap * 2 : 16) * sizeof(*m));

				if (!m) {
					free(kids);
					return;     /* left in insertion order: still a tree */
				}
				kids = m;
			}
			kids[n++] = c;
		}
		if (n < 2)
			continue;
		qsort_r(kids, n, sizeof(*kids), cmp_total, f->nodes);
		f->nodes[i].child = kids[0];
		for (size_t k = 0; k < n; k++)
			f->nodes[kids[k]].next = k + 1 < n ? kids[k + 1] : 0;
	}
	free(kids);
}

void flame_release(struct flame *f)
{
	for (size_t i = 0; i < f->nfns; i++) {
		free(f->fns[i].name);
		free(f->fns[i].file);
	}
	free(f->fns);
	free(f->nodes);
	free(f->hash);
	memset(f, 0, sizeof(*f));
}

static int cmp_row(const void *a, const void *b)
{
	const struct flame_row *x = a, *y = b;

	if (x->flat != y->flat)
		return (x->flat < y->flat) - (x->flat > y->flat);
	return (x->cum < y->cum) - (x->cum > y->cum);
}

int flame_top(const struct flame *f, struct flame_row **rows, size_t *nrows)
{
	struct flame_row *all = calloc(f->nfns ? f->nfns : 1, sizeof(*all));
	int64_t *best = calloc(f->nfns ? f->nfns : 1, sizeof(*best));
	int *onpath = calloc(f->nfns ? f->nfns : 1, sizeof(*onpath));
	size_t n = 0, node;

	*rows = NULL;
	*nrows = 0;
	if (!all || !best || !onpath) {
		free(all), free(best), free(onpath);
		return err_set("out of memory");
	}
	for (size_t i = 0; i < f->nfns; i++)
		all[i].fn = i;
	/* depth first, without a stack: down to the first child, else across
	 * to the next sibling, else back up until a parent has one */
	node = f->nnodes > 1 ? f->nodes[0].child : 0;
	while (node) {
		const struct flame_node *nd = &f->nodes[node];
		struct flame_row *r = &all[nd->fn];

		r->flat += nd->self;
		if (onpath[nd->fn]++ == 0)
			r->cum += nd->total;
		if (nd->self > best[nd->fn] || (!r->line && nd->total > best[nd->fn])) {
			best[nd->fn] = nd->self ? nd->self : nd->total;
			r->line = nd->line;
		}
		if (nd->child) {
			node = nd->child;
			continue;
		}
		while (node) {
			onpath[f->nodes[node].fn]--;
			if (f->nodes[node].next) {
				node = f->nodes[node].next;
				break;
			}
			node = f->nodes[node].parent;
		}
	}
	for (size_t i = 0; i < f->nfns; i++)
		if (all[i].cum)
			all[n++] = all[i];
	qsort(all, n, sizeof(*all), cmp_row);
	free(best);
	free(onpath);
	*rows = all;
	*nrows = n;
	return 0;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct flame_edge *x = a, *y = b;

	return (x->value < y->value) - (x->value > y->value);
}

/* The non-zero values of by (one per function) as edges, heaviest first. */
static int edges(const struct flame *f, const int64_t *by, struct flame_edge **out, size_t *n)
{
	*n = 0;
	*out = calloc(f->nfns ? f->nfns : 1, sizeof(**out));
	if (!*out)
		return err_set("out of memory");
	for (size_t i = 0; i < f->nfns; i++)
		if (by[i])
			(*out)[(*n)++] = (struct flame_edge){ i, by[i] };
	qsort(*out, *n, sizeof(**out), cmp_edge);
	return 0;
}

int flame_peek(const struct flame *f, size_t fn, struct flame_edge **callers, size_t *ncallers,
	       struct flame_edge **callees, size_t *ncallees, int64_t *cum)
{
	int64_t *in = calloc(f->nfns ? f->nfns : 1, sizeof(*in)), *out = calloc(f->nfns ? f->nfns : 1, sizeof(*out));
	int rc = -1;

	*callers = *callees = NULL;
	*ncallers = *ncallees = 0;
	*cum = 0;
	if (!in || !out) {
		err_set("out of memory");
		goto done;
	}
	for (size_t i = 1; i < f->nnodes; i++) {
		const struct flame_node *nd = &f->nodes[i];
		size_t up = nd->parent;

		if (nd->fn != fn)
			continue;
		while (up && f->nodes[up].fn != fn)
			up = f->nodes[up].parent;
		if (up)
			continue;       /* inside an outer call of fn: counted there */
		*cum += nd->total;
		if (nd->parent)
			in[f->nodes[nd->parent].fn] += nd->total;
		for (size_t c = nd->child; c; c = f->nodes[c].next)
			out[f->nodes[c].fn] += f->nodes[c].total;
	}
	if (edges(f, in, callers, ncallers) == 0 && edges(f, out, callees, ncallees) == 0)
		rc = 0;
done:
	free(in);
	free(out);
	return rc;
}

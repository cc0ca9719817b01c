/* checker/flame: call trees merged from profiles, on profiles built by hand
 * (known stacks and values), and pprof's top table read off the tree. */
#include <stdlib.h>
#include <string.h>

#include "checker/flame.h"
#include "tests/tap.h"

/* Functions main, work, hash, sort, in file prog.c, lines 10, 20, 30, 40;
 * one location each (location i holds frame i). */
static struct profile_func funcs[] = {
	{ "main", "prog.c" }, { "work", "prog.c" }, { "hash", "prog.c" }, { "sort", "prog.c" },
};
static struct profile_frame frames[] = { { 0, 10 }, { 1, 20 }, { 2, 30 }, { 3, 40 } };
static struct profile_loc locs[] = { { 1, 0, 1 }, { 2, 1, 1 }, { 3, 2, 1 }, { 4, 3, 1 } };
static const char *types[] = { "samples", "cpu" }, *units[] = { "count", "nanoseconds" };

/* Stacks, leaf first: hash<-work<-main (x3 value), sort<-main, work<-main,
 * hash<-hash<-work<-main (recursion). */
static size_t stack[] = { 2, 1, 0, 3, 0, 1, 0, 2, 2, 1, 0 };
static int64_t values[][2] = { { 3, 30 }, { 2, 20 }, { 1, 10 }, { 1, 10 } };
static struct profile_sample samples[] = {
	{ 0, 3, values[0], NULL }, { 3, 2, values[1], NULL }, { 5, 2, values[2], NULL }, { 7, 4, values[3], NULL },
};

static struct profile prof(void)
{
	return (struct profile){
		.ntypes = 2, .types = types, .units = units, .funcs = funcs, .nfuncs = 4, .frames = frames,
		.nframes = 4, .locs = locs, .nlocs = 4, .stack = stack, .nstack = 11, .samples = samples,
		.nsamples = 4,
	};
}

static const struct flame_row *row(const struct flame *f, const struct flame_row *rows, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f->fns[rows[i].fn].name, name) == 0)
			return &rows[i];
	return NULL;
}

static size_t child(const struct flame *f, size_t node, const char *name)
{
	for (size_t c = f->nodes[node].child; c; c = f->nodes[c].next)
		if (strcmp(f->fns[f->nodes[c].fn].name, name) == 0)
			return c;
	return 0;
}

int main(void)
{
	struct flame f = FLAME_INIT;
	struct profile p = prof();
	struct flame_row *rows;
	const struct flame_row *r;
	size_t n, m, w, h;

	plan(21);
	ok(flame_add(&f, &p, 1) == 0, "a profile merges");
	flame_finish(&f);
	is_int(f.total, 70, "the root holds every sample's value");
	is_int(f.samples, 4, "and counts the samples");
	m = child(&f, 0, "main");
	ok(m && f.nodes[m].total == 70 && f.nodes[0].child == m, "main is the root's one child");
	w = child(&f, m, "work");
	ok(w && f.nodes[w].total == 50 && f.nodes[m].child == w, "work under main, heaviest child first (50 of 70)");
	ok(child(&f, m, "sort") && f.nodes[child(&f, m, "sort")].total == 20, "sort beside it (20)");
	h = child(&f, w, "hash");
	ok(h && f.nodes[h].total == 40 && f.nodes[h].self == 30, "hash under work: 40, 30 of it its own");
	ok(child(&f, h, "hash") && f.nodes[child(&f, h, "hash")].self == 10, "the recursive call is a node of its own");
	is_int(f.nodes[w].self, 10, "work's own value");
	is_int(f.maxdepth, 4, "the deepest path is four frames");

	ok(flame_top(&f, &rows, &n) == 0 && n == 4, "top has a row per function");
	is_str(f.fns[rows[0].fn].name, "hash", "the hottest function first");
	r = row(&f, rows, n, "hash");
	ok(r && r->flat == 40 && r->cum == 40, "hash: flat 40, cum 40 (the recursion counted once)");
	r = row(&f, rows, n, "main");
	ok(r && r->flat == 0 && r->cum == 70 && r->line == 10, "main: flat 0, cum everything, at its line");
	free(rows);

	{
		struct flame_edge *in, *out;
		size_t nin, nout;
		int64_t cum;
		size_t work = f.nodes[w].fn, hash = f.nodes[h].fn, mainfn = f.nodes[m].fn;

		ok(flame_peek(&f, work, &in, &nin, &out, &nout, &cum) == 0 && nin == 1 && in[0].fn == mainfn &&
		   in[0].value == 50 && nout == 1 && out[0].fn == hash && out[0].value == 40 && cum == 50,
		   "peek work: called by main (50), calls hash (40)");
		free(in), free(out);
		ok(flame_peek(&f, hash, &in, &nin, &out, &nout, &cum) == 0 && nin == 1 && in[0].fn == work &&
		   in[0].value == 40 && nout == 1 && out[0].fn == hash && out[0].value == 10 && cum == 40,
		   "peek hash: the recursion counted at its outermost call, and it calls itself (10)");
		free(in), free(out);
		ok(flame_peek(&f, mainfn, &in, &nin, &out, &nout, &cum) == 0 && nin == 0 && nout == 2 &&
		   out[0].fn == work && out[0].value == 50 && out[1].value == 20 && cum == 70,
		   "peek main: no caller in the program, work then sort, heaviest first");
		free(in), free(out);
		ok(flame_peek(&f, 99, &in, &nin, &out, &nout, &cum) == 0 && nin == 0 && nout == 0 && cum == 0,
		   "a function in no path has no edges");
		free(in), free(out);
	}

	/* a second profile (another test case's process) adds to the same tree */
	ok(flame_add(&f, &p, 1) == 0, "a second profile merges into the same tree");
	flame_finish(&f);
	is_int(f.nodes[child(&f, 0, "main")].total, 140, "and its values add up");
	ok(flame_add(&f, &p, 5) < 0, "an unknown sample type is refused");
	flame_release(&f);
	return done();
}

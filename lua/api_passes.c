/*
 * api_passes — the pack's default sanitizer passes of c:run_tests; see
 * check_int.h and docs/authoring.md ("Grading policy").
 *
 * Data model: an exercise's policy (lua/pack.h) may ask that every
 * harness's cases also run under ASan (+UBSan, LSan) and TSan. For one
 * c:run_tests call, api_passes_start picks the passes (each flavour of the
 * policy other than the program's, once per harness per check) and, when
 * the machine has a CPU to spare, forks one worker per pass before the
 * main pass starts: the worker builds the same program in its flavour
 * (api_build_again), runs every case (api_harness_cases), and writes what
 * it added to its copy of the verdict — the tests, the reports counted,
 * the instruments, the note, a failed build — and its summary table down
 * a pipe, encoded below (struct wire), then _exits. Build numbers are
 * handed out before the fork, so workers never share a source folder, and
 * each flavour builds into its own folder. api_passes_finish reads each
 * worker in policy order, after the main pass, and appends what it sent,
 * so the verdict reads the same as if the passes had run one after the
 * other (which is what happens on one CPU: the passes then run in
 * api_passes_finish itself).
 *
 * The handle is a to-be-closed userdata: if the main pass raises, its
 * __close kills and reaps the workers (their sandboxed programs die with
 * them: PR_SET_PDEATHSIG). A worker catches its own errors (lua_pcall) and
 * sends the message, which api_passes_finish raises in the script.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "checker/build.h"
#include "lua/check_int.h"

#define PASSES_META "chanlab.passes"

enum { MAX_PASSES = 4, WIRE_DEPTH = 8 };

/* A sanitizer pass: its flavour, and how much longer than the main
 * pass's its cases may take by default. */
static const struct pass_kind {
	const char *flavour;
	double slower;
} kinds[] = {
	{ "asan", 2 },
	{ "tsan", 2 },
};

struct pass {
	const struct pass_kind *kind;
	bool split;              /* in a worker: its cases run two at a time */
	char suffix[16];         /* in its tests' names: " (ASan)" */
	struct harness_opts opts;
	int nbuild;              /* the build number it starts from */
	pid_t pid;               /* its worker, or 0: it runs in api_passes_finish */
	int fd;                  /* the worker's results, or -1 */
};

struct passes {
	int n;
	int prog_idx;            /* the program, on the stack of c:run_tests */
	struct pass p[MAX_PASSES];
};

/* --- the wire: what a worker sends --------------------------------------------
 * Numbers are 8 bytes as they are in memory (the reader is the same
 * program on the same machine); a string is its length, then its bytes; a
 * Lua value is a tag and its content, a table its pairs and a 0 tag. */

struct wire_in {
	const char *p, *end;
	bool bad;
};

static void put_u64(struct buf *w, uint64_t v)
{
	buf_add(w, (const char *)&v, sizeof(v));
}

static void put_num(struct buf *w, double d)
{
	buf_add(w, (const char *)&d, sizeof(d));
}

static void put_str(struct buf *w, const char *s, size_t n)
{
	put_u64(w, s ? n : UINT64_MAX);
	if (s)
		buf_add(w, s, n);
}

static void put_cstr(struct buf *w, const char *s)
{
	put_str(w, s, s ? strlen(s) : 0);
}

static uint64_t get_u64(struct wire_in *r)
{
	uint64_t v = 0;

	if (r->bad || (size_t)(r->end - r->p) < sizeof(v)) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p, sizeof(v));
	r->p += sizeof(v);
	return v;
}

static double get_num(struct wire_in *r)
{
	double d = 0;

	if (r->bad || (size_t)(r->end - r->p) < sizeof(d)) {
		r->bad = true;
		return 0;
	}
	memcpy(&d, r->p, sizeof(d));
	r->p += sizeof(d);
	return d;
}

/* A string of the wire (not NUL-terminated: *n bytes), or NULL for a
 * NULL one or a damaged wire (r->bad). */
static const char *get_str(struct wire_in *r, size_t *n)
{
	uint64_t len = get_u64(r);
	const char *s = r->p;

	*n = 0;
	if (r->bad || len == UINT64_MAX)
		return NULL;
	if (len > (uint64_t)(r->end - r->p)) {
		r->bad = true;
		return NULL;
	}
	r->p += len;
	*n = (size_t)len;
	return s;
}

/* A malloc'd copy of a wire string (NULL for a NULL one). */
static char *get_dup(struct wire_in *r)
{
	size_t n;
	const char *s = get_str(r, &n);
	char *d;

	if (!s)
		return NULL;
	if ((d = malloc(n + 1))) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* The Lua value at idx: nil, booleans, numbers, strings and tables of
 * them (the summary of a pass). */
static void put_value(lua_State *L, struct buf *w, int idx, int depth)
{
	size_t n;
	const char *s;

	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		buf_puts(w, lua_toboolean(L, idx) ? "T" : "F");
		break;
	case LUA_TNUMBER:
		buf_puts(w, "n");
		put_num(w, lua_tonumber(L, idx));
		break;
	case LUA_TSTRING:
		buf_puts(w, "s");
		s = lua_tolstring(L, idx, &n);
		put_str(w, s, n);
		break;
	case LUA_TTABLE:
		if (depth >= WIRE_DEPTH || !lua_checkstack(L, 3))
			goto nil;
		buf_puts(w, "t");
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			put_value(L, w, -2, depth + 1);
			put_value(L, w, -1, depth + 1);
			lua_pop(L, 1);
		}
		buf_puts(w, "0");
		break;
	default:
nil:
		buf_puts(w, "_");
	}
}

/* Pushes the next value of the wire (nil when it is damaged). */
static void get_value(lua_State *L, struct wire_in *r, int depth)
{
	char tag = r->p < r->end && !r->bad ? *r->p++ : 0;
	const char *s;
	size_t n;

	if (!lua_checkstack(L, 3))
		r->bad = true;
	switch (r->bad ? 0 : tag) {
	case 'T':
	case 'F':
		lua_pushboolean(L, tag == 'T');
		return;
	case 'n':
		lua_pushnumber(L, get_num(r));
		return;
	case 's':
		s = get_str(r, &n);
		if (s)
			lua_pushlstring(L, s, n);
		else
			lua_pushnil(L);
		return;
	case 't':
		lua_newtable(L);
		while (!r->bad && depth < WIRE_DEPTH && r->p < r->end && *r->p != '0') {
			get_value(L, r, depth + 1);
			get_value(L, r, depth + 1);
			if (lua_isnil(L, -2))
				lua_pop(L, 2);
			else
				lua_rawset(L, -3);
		}
		if (r->p < r->end && *r->p == '0')
			r->p++;
		else
			r->bad = true;
		return;
	case '_':
		lua_pushnil(L);
		return;
	default:
		r->bad = true;
		lua_pushnil(L);
	}
}

static void put_test(struct buf *w, const struct check_test *t)
{
	const struct check_report *rep = t->report;

	put_cstr(w, t->name);
	put_u64(w, (uint64_t)t->status);
	put_cstr(w, t->message);
	put_str(w, t->output ? t->output : "", t->output ? t->output_len : 0);
	put_num(w, t->seconds);
	put_cstr(w, t->hint_on);
	put_u64(w, rep != NULL);
	if (rep) {
		put_cstr(w, rep->kind), put_cstr(w, rep->tool), put_cstr(w, rep->file);
		put_u64(w, (uint64_t)(int64_t)rep->line);
		put_cstr(w, rep->function), put_cstr(w, rep->explain), put_cstr(w, rep->goroutines);
	}
}

/* Appends the next test of the wire to the verdict. */
static void get_test(struct wire_in *r, struct check_verdict *v)
{
	char *name = get_dup(r), *message;
	uint64_t status = get_u64(r);
	const char *out;
	size_t out_len;
	double seconds;
	struct check_test *t;

	message = get_dup(r);
	out = get_str(r, &out_len);
	seconds = get_num(r);
	if (!r->bad && status <= CHECK_ERROR &&
	    (t = check_add_testn(v, name ? name : "", (enum check_status)status, message, out, out_len, seconds))) {
		t->hint_on = get_dup(r);
		if (get_u64(r) && (t->report = calloc(1, sizeof(*t->report)))) {
			t->report->kind = get_dup(r), t->report->tool = get_dup(r), t->report->file = get_dup(r);
			t->report->line = (int)(int64_t)get_u64(r);
			t->report->function = get_dup(r), t->report->explain = get_dup(r);
			t->report->goroutines = get_dup(r);
			if (!t->report->kind)
				t->report->kind = str_dup("unknown");
		}
	} else {
		r->bad = true;
	}
	free(name);
	free(message);
}

/* --- the passes ------------------------------------------------------------- */

/* "<flavour> <role> <label> <harness>": what makes two harness passes the same. */
static void pass_key(char *buf, size_t size, const struct program *prog, const char *flavour)
{
	snprintf(buf, size, "%s %d %.60s %.200s", flavour, (int)prog->role, prog->label, prog->harness_file);
}

static bool pass_done(const struct check_ctx *c, const char *key)
{
	for (int i = 0; i < c->npasses_done; i++)
		if (strcmp(c->passes_done[i], key) == 0)
			return true;
	return false;
}

static void mark_done(struct check_ctx *c, const char *key)
{
	if (c->npasses_done < (int)(sizeof(c->passes_done) / sizeof(c->passes_done[0])) && !pass_done(c, key))
		snprintf(c->passes_done[c->npasses_done++], sizeof(c->passes_done[0]), "%s", key);
}

/* Ends the workers not waited for yet. */
static int passes_close(lua_State *L)
{
	struct passes *ps = luaL_checkudata(L, 1, PASSES_META);

	for (int i = 0; i < ps->n; i++) {
		struct pass *p = &ps->p[i];

		if (p->pid > 0) {
			kill(p->pid, SIGKILL);
			while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
				;
			p->pid = 0;
		}
		if (p->fd >= 0) {
			close(p->fd);
			p->fd = -1;
		}
	}
	ps->n = 0;
	return 0;
}

static void put_result(lua_State *L, struct buf *w, const struct check_ctx *c, size_t ntests, size_t nreports,
		       bool failed);
static void write_all(int fd, const struct buf *w);
static int read_worker(struct pass *p, struct buf *in);
static void take_result(lua_State *L, struct check_ctx *c, const struct pass *p);

/* Into the summary at idx, the summary on top (of the cases after its
 * own), which is popped: the cases follow its cases, the counts add up,
 * each metric is the larger. */
static void merge_summary(lua_State *L, int idx)
{
	static const char *const counts[] = { "passed", "failed", "total" };
	int more = lua_gettop(L), mine, theirs;
	lua_Integer n;

	for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		lua_getfield(L, idx, counts[k]);
		lua_getfield(L, more, counts[k]);
		lua_pushinteger(L, lua_tointeger(L, -2) + lua_tointeger(L, -1));
		lua_setfield(L, idx, counts[k]);
		lua_settop(L, more);
	}
	mine = (lua_getfield(L, idx, "cases"), lua_gettop(L));
	theirs = (lua_getfield(L, more, "cases"), lua_gettop(L));
	n = luaL_len(L, mine);
	for (lua_Integer i = 1; lua_istable(L, theirs) && lua_rawgeti(L, theirs, i) != LUA_TNIL; i++)
		lua_rawseti(L, mine, ++n);
	lua_settop(L, more);
	mine = (lua_getfield(L, idx, "metrics"), lua_gettop(L));
	theirs = (lua_getfield(L, more, "metrics"), lua_gettop(L));
	for (lua_pushnil(L); lua_istable(L, theirs) && lua_next(L, theirs); lua_settop(L, theirs + 1)) {
		lua_pushvalue(L, -2);
		if (lua_rawget(L, mine) != LUA_TNUMBER || lua_tonumber(L, -1) < lua_tonumber(L, theirs + 2)) {
			lua_pushvalue(L, theirs + 1);
			lua_pushvalue(L, theirs + 2);
			lua_rawset(L, mine);
		}
	}
	lua_settop(L, more - 1);
}

/* Protected: api_harness_cases(c, prog, o), from light userdata. */
static int harness_cases(lua_State *L)
{
	return api_harness_cases(L, lua_touserdata(L, 1), lua_touserdata(L, 2), lua_touserdata(L, 3));
}

/* Where the case called name comes in the harness's listing, name
 * without its first front and last back bytes (a test's name is the
 * pass's prefix, the case's name and the pass's suffix). */
static int case_rank(const char *listing, const char *name, size_t front, size_t back)
{
	size_t n = strlen(name), cl = n >= front + back ? n - front - back : 0;
	int rank = 0;

	for (const char *q = listing; q && *q; q = strchr(q, '\n') ? strchr(q, '\n') + 1 : NULL, rank++)
		if (strncmp(q, "test ", 5) == 0 && strncmp(q + 5, name + front, cl) == 0 &&
		    (q[5 + cl] == '\n' || q[5 + cl] == '\0'))
			return rank;
	return rank;
}

/* The tests from ntests on, and the summary's cases (at idx), in the
 * order of the listing: two processes ran them in the order each took
 * them. A few dozen at most: each is placed once, then an insertion sort. */
static void order_cases(lua_State *L, struct check_ctx *c, int idx, size_t ntests, const char *listing,
			const struct harness_opts *o)
{
	struct check_test *t = c->v->tests + ntests;
	size_t nt = c->v->ntests - ntests, front = strlen(o->prefix), back = strlen(o->suffix);
	lua_Integer n = 0;
	int *rank;

	if (lua_getfield(L, idx, "cases") == LUA_TTABLE)
		n = luaL_len(L, -1);
	rank = malloc(((nt > (size_t)n ? nt : (size_t)n) + 1) * sizeof(*rank));
	if (!rank) {
		lua_pop(L, 1);
		return;       /* left in the order they came: nothing is lost */
	}
	for (size_t i = 0; i < nt; i++)
		rank[i] = case_rank(listing, t[i].name, front, back);
	for (size_t i = 1; i < nt; i++)
		for (size_t j = i; j > 0 && rank[j - 1] > rank[j]; j--) {
			struct check_test tmp = t[j - 1];
			int r = rank[j - 1];

			t[j - 1] = t[j], rank[j - 1] = rank[j];
			t[j] = tmp, rank[j] = r;
		}
	for (lua_Integer i = 1; i <= n; i++) {
		const char *name;

		lua_rawgeti(L, -1, i);
		lua_getfield(L, -1, "name");
		name = lua_tostring(L, -1);
		rank[i - 1] = case_rank(listing, name ? name : "", 0, 0);
		lua_pop(L, 2);
	}
	for (lua_Integer i = 2; i <= n; i++)
		for (lua_Integer j = i; j > 1 && rank[j - 2] > rank[j - 1]; j--) {
			int r = rank[j - 2];

			rank[j - 2] = rank[j - 1], rank[j - 1] = r;
			lua_rawgeti(L, -1, j - 1);
			lua_rawgeti(L, -2, j);
			lua_rawseti(L, -3, j - 1);   /* the two change places */
			lua_rawseti(L, -2, j);
		}
	free(rank);
	lua_pop(L, 1);
}

/* In a worker, a pass's cases two at a time: a child of its own and this
 * process each take the next case not taken yet (a counter they share),
 * and the child sends what it found as a worker does; then its tests and
 * its summary join ours, in the harness's order. Pushes the summary; -1
 * (nothing pushed) when the child cannot be started. */
static int run_two_at_a_time(lua_State *L, struct check_ctx *c, struct program *prog, const struct pass *p,
			     const char *listing)
{
	struct harness_opts first = p->opts, second = p->opts;
	struct pass child;
	struct buf in = BUF_INIT;
	size_t ntests = c->v->ntests, nreports = c->v->nreports;
	int fd[2], *claim;
	pid_t pid;

	claim = mmap(NULL, sizeof(*claim), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (claim == MAP_FAILED)
		return -1;
	*claim = 0;
	first.listing = second.listing = listing;
	first.listed = second.listed = prog;
	first.claim = second.claim = claim;
	if (pipe2(fd, O_CLOEXEC) < 0) {
		munmap(claim, sizeof(*claim));
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fd[0]), close(fd[1]);
		munmap(claim, sizeof(*claim));
		return -1;
	}
	if (pid == 0) {
		struct buf w = BUF_INIT;
		int rc;

		close(fd[0]);
		lua_pushcfunction(L, harness_cases);
		lua_pushlightuserdata(L, c);
		lua_pushlightuserdata(L, prog);
		lua_pushlightuserdata(L, &second);
		rc = lua_pcall(L, 3, 1, 0);
		put_result(L, &w, c, ntests, nreports, rc != LUA_OK);
		write_all(fd[1], &w);
		_exit(w.oom ? 3 : 0);
	}
	close(fd[1]);
	child = *p;
	child.pid = pid;
	child.fd = fd[0];
	lua_pushcfunction(L, harness_cases);
	lua_pushlightuserdata(L, c);
	lua_pushlightuserdata(L, prog);
	lua_pushlightuserdata(L, &first);
	if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
		kill(pid, SIGKILL);     /* its cases are of no use now */
		read_worker(&child, &in);
		buf_release(&in);
		munmap(claim, sizeof(*claim));
		lua_error(L);
	}
	read_worker(&child, &in);
	munmap(claim, sizeof(*claim));
	lua_pushlstring(L, in.s ? in.s : "", in.len);
	buf_release(&in);
	take_result(L, c, p);           /* its tests, its summary pushed */
	lua_remove(L, -2);
	merge_summary(L, lua_gettop(L) - 1);
	order_cases(L, c, lua_gettop(L), ntests, listing, &p->opts);
	return 1;
}

/* Protected, in a worker (or here, on one CPU): builds the program at 1
 * again in the pass's flavour and runs its cases, two at a time in a
 * worker with four or more (a sanitizer's cases are slow to start and
 * mostly wait: ASan's leak check alone is 20 ms at each exit). Pushes the
 * summary. */
static int run_pass(lua_State *L)
{
	struct check_ctx *c = lua_touserdata(L, 2);
	const struct pass *p = lua_touserdata(L, 3);
	struct program *prog;
	struct buf listing = BUF_INIT;

	api_build_again(L, c, 1, p->kind->flavour);
	prog = lua_isnil(L, -1) ? NULL : lua_touserdata(L, -1);
	if (prog && p->split && api_harness_wanted(L, c, prog, &p->opts, &listing) >= 4 &&
	    run_two_at_a_time(L, c, prog, p, listing.s) == 1) {
		buf_release(&listing);
		return 1;
	}
	buf_release(&listing);
	return api_harness_cases(L, c, prog, &p->opts);
}

/* What a worker added to the verdict since ntests and nreports, and the
 * summary on top of the stack (or the error message, when it failed). */
static void put_result(lua_State *L, struct buf *w, const struct check_ctx *c, size_t ntests, size_t nreports,
		       bool failed)
{
	buf_puts(w, failed ? "E" : "R");
	if (failed) {
		put_cstr(w, lua_tostring(L, -1) ? lua_tostring(L, -1) : "the pass failed");
		return;
	}
	put_u64(w, c->v->ntests - ntests);
	for (size_t i = ntests; i < c->v->ntests; i++)
		put_test(w, &c->v->tests[i]);
	put_u64(w, c->v->nreports - nreports);
	put_u64(w, c->v->instruments);
	put_cstr(w, c->note ? c->note : "");
	put_cstr(w, c->failed_build);
	put_value(L, w, -1, 0);
}

static void write_all(int fd, const struct buf *w)
{
	for (size_t off = 0; !w->oom && off < w->len;) {
		ssize_t n = write(fd, w->s + off, w->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
}

/* In the child: runs pass p and sends what it found down fd; never returns. */
static void worker(lua_State *L, struct check_ctx *c, int prog_idx, struct pass *p, int fd)
{
	size_t ntests = c->v->ntests, nreports = c->v->nreports;
	struct buf w = BUF_INIT;
	int rc;

	c->v->enough = NULL;    /* the pass is heard whole; the check decides */
	c->nbuilds = p->nbuild;
	p->split = true;
	lua_pushcfunction(L, run_pass);
	lua_pushvalue(L, prog_idx);
	lua_pushlightuserdata(L, c);
	lua_pushlightuserdata(L, p);
	rc = lua_pcall(L, 3, 1, 0);
	put_result(L, &w, c, ntests, nreports, rc != LUA_OK);
	write_all(fd, &w);
	_exit(w.oom ? 3 : 0);
}

int api_passes_start(lua_State *L, struct check_ctx *c, int prog_idx, int opts_idx, const struct harness_opts *main)
{
	struct passes *ps = lua_newuserdatauv(L, sizeof(*ps), 0);
	const struct program *prog = prog_idx ? lua_touserdata(L, prog_idx) : NULL;
	char *const *want = c->ex->policy.sanitizers;
	int handle = lua_gettop(L);
	char key[400];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(ps, 0, sizeof(*ps));
	ps->prog_idx = prog_idx;
	if (luaL_newmetatable(L, PASSES_META)) {
		lua_pushcfunction(L, passes_close);
		lua_setfield(L, -2, "__close");
		lua_pushcfunction(L, passes_close);
		lua_setfield(L, -2, "__gc");
		lua_pushliteral(L, "chanlab passes");
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);
	lua_toclose(L, handle);
	if (!prog)
		return handle;
	/* a run of a sanitizer build is that flavour's pass over this harness */
	pass_key(key, sizeof(key), prog, prog->flavour);
	mark_done(c, key);
	if (c->env->flavour || c->env->no_passes)
		return handle;
	for (size_t i = 0; want && want[i] && ps->n < MAX_PASSES; i++) {
		const struct pass_kind *k = NULL;
		struct pass *p;
		int t;

		for (size_t j = 0; j < sizeof(kinds) / sizeof(kinds[0]); j++)
			if (strcmp(kinds[j].flavour, want[i]) == 0)
				k = &kinds[j];
		if (!k || strcmp(k->flavour, prog->flavour) == 0)
			continue;
		pass_key(key, sizeof(key), prog, k->flavour);
		t = opts_idx ? lua_getfield(L, opts_idx, k->flavour) : LUA_TNIL;
		if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
			lua_pop(L, 1);
			continue;   /* `tsan = false`: not for this call */
		}
		if (t != LUA_TNIL && t != LUA_TTABLE && t != LUA_TBOOLEAN)
			luaL_error(L, "'%s' must be a table of options for that pass, or false", k->flavour);
		if (pass_done(c, key)) {
			lua_pop(L, opts_idx ? 1 : 0);
			continue;
		}
		mark_done(c, key);
		p = &ps->p[ps->n++];
		p->kind = k;
		p->fd = -1;
		p->opts = *main;
		snprintf(p->suffix, sizeof(p->suffix), " (%s)", build_flavour_find(k->flavour)->label);
		p->opts.suffix = p->suffix;
		p->opts.sc.n = 0;       /* sanitizers watch one free run, not many schedules */
		p->opts.timeout = main->timeout * k->slower;
		if (t == LUA_TTABLE)
			api_harness_opts(L, c, lua_gettop(L), &p->opts);   /* its lists stay on the stack */
		else if (opts_idx)
			lua_pop(L, 1);
	}
	/* Each pass gets build numbers of its own; then, side by side. */
	for (int i = 0; i < ps->n; i++)
		ps->p[i].nbuild = c->nbuilds + 2 * i;
	c->nbuilds += 2 * ps->n;
	if (cpus < 2)
		return handle;
	fflush(NULL);
	for (int i = 0; i < ps->n; i++) {
		struct pass *p = &ps->p[i];
		int fd[2];

		if (pipe2(fd, O_CLOEXEC) < 0)
			continue;       /* it runs here, after the main pass */
		p->pid = fork();
		if (p->pid == 0) {
			close(fd[0]);
			c->v->on_test = NULL;   /* its tests reach the parent through the pipe */
			c->v->on_pass = NULL;
			worker(L, c, prog_idx, p, fd[1]);
		}
		close(fd[1]);
		if (p->pid < 0) {
			p->pid = 0;
			close(fd[0]);
			continue;
		}
		p->fd = fd[0];
		check_pass_event(c->v, p->kind->flavour, true);
	}
	return handle;
}

/* Reads all a worker sent, then reaps it. */
static int read_worker(struct pass *p, struct buf *in)
{
	char chunk[65536];
	ssize_t n;
	int status = 0;

	while ((n = read(p->fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		buf_add(in, chunk, (size_t)n);
	}
	close(p->fd);
	p->fd = -1;
	while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
		;
	p->pid = 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 && !in->oom ? 0 : -1;
}

/* Takes in what a worker sent (the string on top): its tests into the
 * verdict, its summary pushed. Raises the worker's error, or says the
 * wire was damaged. */
static void take_result(lua_State *L, struct check_ctx *c, const struct pass *p)
{
	static char note[400];   /* c->note points at static text, as proc's does */
	size_t len;
	const char *in = lua_tolstring(L, -1, &len);
	struct wire_in r = { in, in + len, false };
	char kind = len ? *r.p++ : 0;
	uint64_t ntests;
	char *s;

	if (kind == 'E') {
		s = get_dup(&r);
		lua_pushfstring(L, "%s", s ? s : "the pass failed");
		free(s);
		lua_error(L);
	}
	ntests = kind == 'R' ? get_u64(&r) : 0;
	for (uint64_t i = 0; kind == 'R' && i < ntests && !r.bad; i++)
		get_test(&r, c->v);
	c->v->nreports += (size_t)get_u64(&r);
	c->v->instruments |= (unsigned)get_u64(&r);
	s = get_dup(&r);
	if (s && *s && (!c->note || !*c->note)) {
		snprintf(note, sizeof(note), "%s", s);
		c->note = note;
	}
	free(s);
	s = get_dup(&r);
	if (s && *s && !c->failed_build[0])
		snprintf(c->failed_build, sizeof(c->failed_build), "%s", s);
	free(s);
	get_value(L, &r, 0);
	if (kind != 'R' || r.bad)
		luaL_error(L, "the %s pass over the tests stopped before it said what it found", p->kind->flavour);
}

void api_passes_finish(lua_State *L, struct check_ctx *c, int idx, int summary)
{
	struct passes *ps = luaL_checkudata(L, idx, PASSES_META);
	static const char *const counts[] = { "passed", "failed", "total" };

	for (int i = 0; i < ps->n; i++) {
		struct pass *p = &ps->p[i];
		int top = lua_gettop(L);

		if (p->pid > 0) {
			struct buf in = BUF_INIT;
			bool ok = read_worker(p, &in) == 0 || in.len;

			/* into Lua's hands before anything can raise */
			lua_pushlstring(L, in.s ? in.s : "", in.len);
			buf_release(&in);
			if (!ok)
				luaL_error(L, "the %s pass over the tests could not finish", p->kind->flavour);
			take_result(L, c, p);
		} else {
			int nbuilds = c->nbuilds;

			check_pass_event(c->v, p->kind->flavour, true);
			lua_pushcfunction(L, run_pass);
			lua_pushvalue(L, ps->prog_idx);
			lua_pushlightuserdata(L, c);
			lua_pushlightuserdata(L, p);
			c->nbuilds = p->nbuild;
			lua_call(L, 3, 1);
			c->nbuilds = nbuilds;
		}
		check_enough(L, c);     /* the passes after it end unheard */
		check_pass_event(c->v, p->kind->flavour, false);
		/* summary.passes[flavour] = it; the counts add up */
		if (lua_getfield(L, summary, "passes") != LUA_TTABLE) {
			lua_pop(L, 1);
			lua_newtable(L);
			lua_pushvalue(L, -1);
			lua_setfield(L, summary, "passes");
		}
		lua_pushvalue(L, -2);
		lua_setfield(L, -2, p->kind->flavour);
		lua_pop(L, 1);
		for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
			lua_getfield(L, summary, counts[k]);
			lua_getfield(L, -2, counts[k]);
			lua_pushinteger(L, lua_tointeger(L, -2) + lua_tointeger(L, -1));
			lua_setfield(L, summary, counts[k]);
			lua_pop(L, 2);
		}
		lua_settop(L, top);
	}
	lua_closeslot(L, idx);   /* every worker is done: nothing left to kill */
}

/*
 * pack — reads pack.lua and every <track>/<slug>/exercise.lua; see pack.h.
 *
 * A script is run, and the table it returns read, in one protected call
 * under the sandbox's limits (load_script), as lua.c's pmain does: any
 * read of that table may run the script (its __index, its __len). What is
 * copied goes straight into the struct pack it belongs to, so a script
 * stopped halfway leaves nothing that pack_free does not free.
 *
 * Each script runs in its own fresh sandbox and returns a table; only plain
 * data is copied out of it (strings and numbers), so no Lua state outlives
 * the load. The check function is not kept: check.c loads the script again
 * in a fresh state for every check. Hints keep the script's order, each with
 * the failure kind it answers (checked against checker/kind.h's table)
 * and/or the test it answers (a name: only a check can say which tests
 * exist, so only its form is checked here), or neither; pack_hint_for
 * picks among them for both front ends.
 *
 * Finding packs, merging several into one and finding an exercise among
 * them is lua/pack_path.c's job.
 *
 * The grading policy and the pack libraries an exercise uses are
 * lua/pack_policy.c's to read (pack.lua's defaults before any exercise
 * loads, each exercise's own fields as it loads).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "checker/build.h"
#include "checker/kind.h"
#include "lua/pack.h"
#include "lua/pack_int.h"
#include "lua/sandbox.h"

enum { MAX_LIST = 1000 };   /* entries in a list field (files, hints, tracks) */

/* One script to run and read: read copies what the script's table says
 * into out, or returns -1 (err_msg) if the table is not what it must be. */
struct reading {
	const char *path;
	int (*read)(lua_State *L, const char *path, void *out);
	void *out;
	int rc;
};

/* Protected: runs the chunk (argument 1) and reads the table it returns. */
static int run_and_read(lua_State *L)
{
	struct reading *r = lua_touserdata(L, 2);

	lua_settop(L, 1);
	lua_call(L, 0, 1);
	if (!lua_istable(L, -1))
		r->rc = err_set("%s: the script must return a table (got %s)", r->path, luaL_typename(L, -1));
	else
		r->rc = r->read(L, r->path, r->out);
	return 0;
}

/* Runs the script at path in a fresh sandbox and reads its table. 0, or
 * -1 (err_msg says why, with the script's file:line where it has one). */
static int load_script(const char *path, int (*read)(lua_State *, const char *, void *), void *out)
{
	struct sandbox_limits lim = SANDBOX_LIMITS_INIT;
	struct reading r = { .path = path, .read = read, .out = out, .rc = -1 };
	lua_State *L = sandbox_new(&lim);
	int rc = -1;

	if (!L)
		return -1;
	if (sandbox_load(L, path) == 0) {
		lua_pushcfunction(L, run_and_read);
		lua_insert(L, -2);
		lua_pushlightuserdata(L, &r);
		if (sandbox_call(L, 2, 0) == 0)
			rc = r.rc;
	}
	sandbox_free(L);
	return rc;
}

/* The length of the list on top, which must be a sane one. */
static int list_len(lua_State *L, const char *path, const char *key, lua_Integer *n)
{
	*n = luaL_len(L, -1);
	if (*n < 0 || *n > MAX_LIST)
		return err_set("%s: field '%s' has %lld entries (at most %d)", path, key, (long long)*n, MAX_LIST);
	return 0;
}

/* Field key of the table on top as a string copy; NULL if absent. A
 * non-string value is an error naming the file. */
static int field_str(lua_State *L, const char *path, const char *key, char **out)
{
	int t = lua_getfield(L, -1, key);

	*out = NULL;
	if (t == LUA_TSTRING)
		*out = str_dup(lua_tostring(L, -1));
	lua_pop(L, 1);
	if (t != LUA_TNIL && t != LUA_TSTRING)
		return err_set("%s: field '%s' must be a string", path, key);
	return 0;
}

static int field_strv(lua_State *L, const char *path, const char *key, char ***out)
{
	lua_Integer n;

	*out = NULL;
	if (lua_getfield(L, -1, key) == LUA_TNIL) {
		lua_pop(L, 1);
		*out = calloc(1, sizeof(char *));
		return 0;
	}
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		return err_set("%s: field '%s' must be a list of strings", path, key);
	}
	if (list_len(L, path, key, &n) < 0) {
		lua_pop(L, 1);
		return -1;
	}
	*out = calloc((size_t)n + 1, sizeof(char *));
	if (!*out)
		return err_set("out of memory");
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_geti(L, -1, i) != LUA_TSTRING) {
			lua_pop(L, 2);
			return err_set("%s: field '%s' must be a list of strings", path, key);
		}
		(*out)[i - 1] = strdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return 0;
}

static int read_hints(lua_State *L, const char *path, struct pack_exercise *e)
{
	lua_Integer n;

	if (lua_getfield(L, -1, "hints") == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	if (!lua_istable(L, -1))
		goto bad;
	if (list_len(L, path, "hints", &n) < 0 ||
	    !(e->hints = calloc((size_t)n + 1, sizeof(*e->hints)))) {
		lua_pop(L, 1);
		return -1;
	}
	for (lua_Integer i = 1; i <= n; i++) {
		struct pack_hint *h = &e->hints[e->nhints];
		int t = lua_geti(L, -1, i);

		if (t == LUA_TSTRING) {
			h->text = strdup(lua_tostring(L, -1));
		} else if (t == LUA_TTABLE) {
			if (field_str(L, path, "text", &h->text) < 0 || !h->text ||
			    field_str(L, path, "on", &h->on) < 0 || field_str(L, path, "test", &h->test) < 0) {
				lua_pop(L, 2);
				goto bad;
			}
			if (h->test && !*h->test) {
				err_set("%s: hint %d: 'test' must name a test (it is empty)", path, (int)i);
				e->nhints++;
				lua_pop(L, 2);
				return -1;
			}
			if (h->on && !kind_known(h->on)) {
				struct buf kinds = BUF_INIT;

				kind_names(&kinds);
				err_set("%s: hint %d: 'on' must be one of %s (not '%s')", path, (int)i,
					kinds.s ? kinds.s : "the failure kinds", h->on);
				buf_release(&kinds);
				e->nhints++;
				lua_pop(L, 2);
				return -1;
			}
		} else {
			lua_pop(L, 1);
			goto bad;
		}
		e->nhints++;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return 0;
bad:
	lua_pop(L, 1);
	return err_set("%s: 'hints' must be a list of strings or { text = ..., on = ..., test = ... } tables", path);
}

/* A name of a file in the exercise's folder: no '/', not "." or "..". */
static bool plain_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/* The metadata fields: topics, after, time, learn, starter_compiles, headers. */
static int read_meta(lua_State *L, const char *path, struct pack_exercise *e)
{
	int t, isnum;

	if (field_strv(L, path, "topics", &e->topics) < 0 ||
	    field_strv(L, path, "after", &e->after) < 0 ||
	    field_strv(L, path, "learn", &e->learn) < 0 ||
	    field_strv(L, path, "headers", &e->headers) < 0)
		return -1;
	for (size_t i = 0; e->headers[i]; i++)
		if (!plain_name(e->headers[i]))
			return err_set("%s: header '%s' must be a file name in the exercise's folder", path,
				       e->headers[i]);
	lua_getfield(L, -1, "time");
	e->time = (int)lua_tointegerx(L, -1, &isnum);
	t = lua_type(L, -1);
	lua_pop(L, 1);
	if (t != LUA_TNIL && (!isnum || e->time < 1 || e->time > 1000))
		return err_set("%s: field 'time' must be a whole number of minutes from 1 to 1000", path);
	if (t == LUA_TNIL)
		e->time = 0;
	t = lua_getfield(L, -1, "starter_compiles");
	e->starter_compiles = t == LUA_TNIL || lua_toboolean(L, -1);
	lua_pop(L, 1);
	if (t != LUA_TNIL && t != LUA_TBOOLEAN)
		return err_set("%s: field 'starter_compiles' must be true or false", path);
	return 0;
}

/* For lua/pack_policy.c, which reads lists as the fields above are read. */
int pack_read_strv(lua_State *L, const char *path, const char *key, char ***out)
{
	return field_strv(L, path, key, out);
}

/* Fills e from the table the exercise script returned (protected). */
static int read_exercise(lua_State *L, const char *path, void *out)
{
	struct pack_exercise *e = out;
	char *track = NULL;
	int isnum;

	if (field_str(L, path, "title", &e->title) < 0 ||
	    field_str(L, path, "text", &e->text) < 0 ||
	    field_str(L, path, "track", &track) < 0 ||
	    field_strv(L, path, "files", &e->files) < 0 ||
	    read_hints(L, path, e) < 0 ||
	    read_meta(L, path, e) < 0 ||
	    pack_policy_read_exercise(L, path, e) < 0)
		goto fail;
	if (!e->title) {
		err_set("%s: field 'title' is missing", path);
		goto fail;
	}
	if (track && strcmp(track, e->track) != 0) {
		err_set("%s: track '%s' does not match its folder '%s'", path, track, e->track);
		goto fail;
	}
	if (!e->files[0]) {
		err_set("%s: field 'files' must name at least one file the learner edits", path);
		goto fail;
	}
	lua_getfield(L, -1, "difficulty");
	e->difficulty = (int)lua_tointegerx(L, -1, &isnum);
	lua_pop(L, 1);
	if (!isnum)
		e->difficulty = 1;
	if (lua_getfield(L, -1, "check") != LUA_TFUNCTION) {
		lua_pop(L, 1);
		err_set("%s: field 'check' must be a function", path);
		goto fail;
	}
	lua_pop(L, 1);
	if (!e->text)
		e->text = strdup("");
	free(track);
	return 0;
fail:
	free(track);
	return -1;
}

static void load_exercise(struct pack_exercise *e)
{
	e->starter_compiles = true;
	e->policy.leakcheck = -1;
	if (load_script(e->script, read_exercise, e) < 0)
		e->error = strdup(err_msg());
	if (!e->title)
		e->title = strdup(e->id);
	if (!e->text)
		e->text = strdup("");
	if (!e->files)
		e->files = calloc(1, sizeof(char *));
	if (!e->topics)
		e->topics = calloc(1, sizeof(char *));
	if (!e->after)
		e->after = calloc(1, sizeof(char *));
	if (!e->learn)
		e->learn = calloc(1, sizeof(char *));
	if (!e->headers)
		e->headers = calloc(1, sizeof(char *));
	if (!e->uses)
		e->uses = calloc(1, sizeof(char *));
	pack_policy_resolve(e);
}

static int track_index(const struct pack *p, const char *track)
{
	for (int i = 0; p->tracks[i]; i++)
		if (strcmp(p->tracks[i], track) == 0)
			return i;
	return -1;
}

static const struct pack *sort_pack;

static int cmp_exercise(const void *a, const void *b)
{
	const struct pack_exercise *x = a, *y = b;
	int tx = track_index(sort_pack, x->track), ty = track_index(sort_pack, y->track);

	if (tx != ty)
		return tx - ty;
	if (x->difficulty != y->difficulty)
		return x->difficulty - y->difficulty;
	return strcmp(x->id, y->id);
}

/* Whether every exercise that ex[i]'s `after` names among ex[lo..hi) (its
 * track) is placed already. */
static bool predecessors_placed(const struct pack *p, size_t lo, size_t hi, const bool *placed, size_t i)
{
	for (char **a = p->ex[i].after; a && *a; a++)
		for (size_t j = lo; j < hi; j++)
			if (!placed[j] && strcmp(p->ex[j].id, *a) == 0)
				return false;
	return true;
}

/* Within a track (the exercises sorted by difficulty, then id), an
 * exercise comes after those of the track its `after` names: of the ones
 * whose predecessors are placed, the first in that order goes next. A
 * cycle, which verify reports, keeps the sorted order where it bites. */
static void order_by_after(struct pack *p)
{
	struct pack_exercise *out = malloc(p->nex * sizeof(*out));
	bool *placed = calloc(p->nex, sizeof(*placed));
	size_t n = 0;

	if (!out || !placed) {          /* left in the sorted order */
		free(out), free(placed);
		return;
	}
	for (size_t lo = 0, hi; lo < p->nex; lo = hi) {
		for (hi = lo; hi < p->nex && track_index(p, p->ex[hi].track) == track_index(p, p->ex[lo].track); hi++)
			;
		for (size_t k = lo; k < hi; k++) {
			size_t pick = hi;

			for (size_t i = lo; i < hi && pick == hi; i++)
				if (!placed[i] && predecessors_placed(p, lo, hi, placed, i))
					pick = i;
			for (size_t i = lo; i < hi && pick == hi; i++)
				if (!placed[i])
					pick = i;
			placed[pick] = true;
			out[n++] = p->ex[pick];
		}
	}
	memcpy(p->ex, out, p->nex * sizeof(*out));
	free(out), free(placed);
}

static int scan_track(struct pack *p, const char *track)
{
	char dir[4096];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", p->dir, track);
	d = opendir(dir);
	if (!d)
		return 0;       /* a track with no exercises yet */
	while ((de = readdir(d))) {
		char script[8192];
		struct stat st;
		struct pack_exercise *ex, *e;

		if (de->d_name[0] == '.')
			continue;
		snprintf(script, sizeof(script), "%s/%s/exercise.lua", dir, de->d_name);
		if (stat(script, &st) < 0)
			continue;
		ex = realloc(p->ex, (p->nex + 1) * sizeof(*p->ex));
		if (!ex) {
			closedir(d);
			return err_set("out of memory");
		}
		p->ex = ex;
		e = &p->ex[p->nex++];
		memset(e, 0, sizeof(*e));
		e->id = strdup(de->d_name);
		e->key = strdup(de->d_name);
		e->pack = p;
		e->track = strdup(track);
		snprintf(script, sizeof(script), "%s/%s", dir, de->d_name);
		e->dir = strdup(script);
		snprintf(script, sizeof(script), "%s/%s/exercise.lua", dir, de->d_name);
		e->script = strdup(script);
		load_exercise(e);
	}
	closedir(d);
	return 0;
}

/* Fills p from the table pack.lua returned (protected). */
static int read_pack(lua_State *L, const char *path, void *out)
{
	struct pack *p = out;
	int isnum;

	if (field_str(L, path, "name", &p->name) < 0 ||
	    field_str(L, path, "version", &p->version) < 0 ||
	    field_strv(L, path, "tracks", &p->tracks) < 0)
		return -1;
	if (!p->name || !p->tracks[0])
		return err_set("%s: 'name' and 'tracks' are required", path);
	lua_getfield(L, -1, "format");
	p->format = (int)lua_tointegerx(L, -1, &isnum);
	lua_pop(L, 1);
	if (!isnum || p->format != 1)
		return err_set("%s: 'format' must be 1 (this chanlab reads pack format 1)", path);
	if (pack_policy_read_defaults(L, path, p) < 0)
		return -1;
	if (!(p->slug = strdup(p->name)))
		return err_set("out of memory");
	for (char *c = p->slug; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("._-", *c))
			*c = '-';
	return 0;
}

int pack_load(struct pack **out, const char *dir)
{
	struct pack *p = calloc(1, sizeof(*p));
	char path[4096];

	*out = NULL;
	if (!p)
		return err_set("out of memory");
	p->dir = strdup(dir);
	snprintf(path, sizeof(path), "%s/pack.lua", dir);
	if (load_script(path, read_pack, p) < 0)
		goto fail;
	for (size_t i = 0; p->tracks[i]; i++)
		if (scan_track(p, p->tracks[i]) < 0)
			goto fail;
	sort_pack = p;
	if (p->nex > 1) {   /* an empty pack has no array at all */
		qsort(p->ex, p->nex, sizeof(*p->ex), cmp_exercise);
		order_by_after(p);
	}
	*out = p;
	return 0;
fail:
	pack_free(p);
	return -1;
}

void pack_free(struct pack *p)
{
	if (!p)
		return;
	pack_free(p->more);
	for (size_t i = 0; i < p->nex; i++) {
		struct pack_exercise *e = &p->ex[i];

		free(e->id), free(e->key), free(e->track), free(e->title), free(e->text);
		free(e->dir), free(e->script), free(e->error);
		str_list_free(e->files);
		str_list_free(e->topics), str_list_free(e->after);
		str_list_free(e->learn), str_list_free(e->headers);
		str_list_free(e->uses);
		pack_policy_release(&e->policy);
		for (size_t h = 0; h < e->nhints; h++)
			free(e->hints[h].text), free(e->hints[h].on), free(e->hints[h].test);
		free(e->hints);
	}
	free(p->ex);
	pack_policy_release(&p->defaults);
	for (size_t i = 0; i < p->ntrack_defaults; i++)
		free(p->track_defaults[i].track), pack_policy_release(&p->track_defaults[i].policy);
	free(p->track_defaults);
	str_list_free(p->tracks);
	free(p->dir), free(p->name), free(p->slug), free(p->version);
	free(p);
}

static bool hint_shown(const int *shown, size_t nshown, size_t i)
{
	for (size_t s = 0; s < nshown; s++)
		if (shown[s] >= 0 && (size_t)shown[s] == i)
			return true;
	return false;
}

bool pack_same_test(const char *aimed, const char *test)
{
	size_t n = strlen(aimed), rest;

	if (!test || strncmp(aimed, test, n) != 0)
		return false;
	if (test[n] == '\0')
		return true;
	/* or the same test in a sanitizer's pass: "name (ASan)" */
	test += n;
	rest = strlen(test);
	return rest > 3 && strncmp(test, " (", 2) == 0 && test[rest - 1] == ')' &&
	       build_flavour_labelled(test + 2, rest - 3);
}

/* Whether hint h answers failure f: aimed at its test, or at its kind (and
 * then at its test too, if the hint names one). */
enum aim { AIM_TEST, AIM_KIND, AIM_FAMILY };

/* Whether hint h answers failure f as aimed: at its test; at its very
 * kind (and then at its test too, if the hint names one); or at its kind's
 * family ("sanitizer" for a use after free). */
static bool hint_answers(const struct pack_hint *h, const struct pack_failure *f, enum aim aim)
{
	const char *kind = f->kind ? f->kind : kind_name(KIND_TEST);

	if (aim == AIM_TEST)
		return h->test && pack_same_test(h->test, f->test) && !h->on;
	if (!h->on || (h->test && !pack_same_test(h->test, f->test)))
		return false;
	return aim == AIM_KIND ? strcmp(h->on, kind) == 0 : kind_answers(h->on, kind);
}

int pack_hint_for(const struct pack_exercise *ex, const struct pack_failure *fails, size_t nfails,
		  const int *shown, size_t nshown, bool *matched)
{
	*matched = true;
	for (size_t f = 0; f < nfails; f++)
		for (enum aim aim = AIM_TEST; aim <= AIM_FAMILY; aim++)
			for (size_t i = 0; i < ex->nhints; i++)
				if (hint_answers(&ex->hints[i], &fails[f], aim) && !hint_shown(shown, nshown, i))
					return (int)i;
	*matched = false;
	for (size_t i = 0; i < ex->nhints; i++)
		if (!ex->hints[i].on && !ex->hints[i].test && !hint_shown(shown, nshown, i))
			return (int)i;
	return -1;
}

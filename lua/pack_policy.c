/*
 * pack_policy — the grading policy and the pack libraries of a pack's
 * exercises, as lua/pack.c loads them; see pack_int.h and
 * docs/authoring.md ("Grading policy", "A pack library").
 *
 * Data model: pack.lua's `defaults` (struct pack_policy, and one more per
 * track in its `tracks` table) is read before any exercise loads; each
 * exercise's own policy fields are read as it loads, then resolved, fully
 * said, into its struct pack_exercise: its own fields over its track's
 * defaults over the pack's over chanlab's (no sanitizer passes, the leak
 * check on, five failures listed). Every read happens inside the loader's
 * protected call, on the table on top of the stack. `uses` names pack
 * libraries, each checked against the pack's lib/ folder: lib/NAME/ (a
 * folder), or lib/NAME.c and/or lib/NAME.h.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>

#include "base/err.h"
#include "base/str.h"
#include "lua/pack.h"
#include "lua/pack_int.h"

enum { DEFAULT_MAX_FAILURES = 5 };

static bool known_sanitizer(const char *s)
{
	return strcmp(s, "asan") == 0 || strcmp(s, "tsan") == 0;
}

/* The policy fields of the table on top (pack.lua's defaults, one of its
 * tracks, or an exercise): sanitizers, leakcheck, max_failures; what is
 * not there stays "not said". what names the table in messages. */
static int read_policy(lua_State *L, const char *path, const char *what, struct pack_policy *pol)
{
	int t, isnum;
	lua_Integer n;

	pol->leakcheck = -1;
	if (lua_getfield(L, -1, "sanitizers") != LUA_TNIL) {
		lua_pop(L, 1);
		if (pack_read_strv(L, path, "sanitizers", &pol->sanitizers) < 0)
			return -1;
		for (size_t i = 0; pol->sanitizers[i]; i++) {
			if (!known_sanitizer(pol->sanitizers[i]))
				return err_set("%s: %s'sanitizers' may hold \"asan\" and \"tsan\" (not '%s')", path,
					       what, pol->sanitizers[i]);
			for (size_t k = 0; k < i; k++)
				if (strcmp(pol->sanitizers[k], pol->sanitizers[i]) == 0)
					return err_set("%s: %s'sanitizers' names '%s' twice", path, what,
						       pol->sanitizers[i]);
		}
	} else {
		lua_pop(L, 1);
	}
	t = lua_getfield(L, -1, "leakcheck");
	if (t != LUA_TNIL)
		pol->leakcheck = lua_toboolean(L, -1);
	lua_pop(L, 1);
	if (t != LUA_TNIL && t != LUA_TBOOLEAN)
		return err_set("%s: %s'leakcheck' must be true or false", path, what);
	t = lua_getfield(L, -1, "max_failures");
	n = lua_tointegerx(L, -1, &isnum);
	lua_pop(L, 1);
	if (t != LUA_TNIL && (!isnum || n < 1 || n > 1000))
		return err_set("%s: %s'max_failures' must be a whole number from 1 to 1000", path, what);
	pol->max_failures = t == LUA_TNIL ? 0 : (int)n;
	return 0;
}

/* A copy of the string list v (NULL out of memory). */
static char **list_copy(char *const *v)
{
	size_t n = str_list_len(v);
	char **c = calloc(n + 1, sizeof(*c));

	for (size_t i = 0; c && i < n; i++)
		if (!(c[i] = strdup(v[i]))) {
			str_list_free(c);
			return NULL;
		}
	return c;
}

void pack_policy_release(struct pack_policy *pol)
{
	str_list_free(pol->sanitizers);
	pol->sanitizers = NULL;
}

int pack_policy_read_defaults(lua_State *L, const char *path, struct pack *p)
{
	int t = lua_getfield(L, -1, "defaults");

	p->defaults.leakcheck = -1;
	if (t == LUA_TNIL)
		goto out;
	if (t != LUA_TTABLE) {
		lua_pop(L, 1);
		return err_set("%s: 'defaults' must be a table", path);
	}
	if (read_policy(L, path, "defaults: ", &p->defaults) < 0)
		goto fail;
	t = lua_getfield(L, -1, "tracks");
	if (t != LUA_TNIL && t != LUA_TTABLE) {
		lua_pop(L, 2);
		return err_set("%s: 'defaults.tracks' must be a table of tracks", path);
	}
	for (size_t i = 0; t == LUA_TTABLE && p->tracks[i]; i++) {
		struct pack_track_policy *tp;
		char what[160];

		if (lua_getfield(L, -1, p->tracks[i]) != LUA_TTABLE) {
			lua_pop(L, 1);
			continue;
		}
		tp = realloc(p->track_defaults, (p->ntrack_defaults + 1) * sizeof(*tp));
		if (!tp) {
			lua_pop(L, 3);
			return err_set("out of memory");
		}
		p->track_defaults = tp;
		tp = &tp[p->ntrack_defaults++];
		memset(tp, 0, sizeof(*tp));
		tp->track = strdup(p->tracks[i]);
		snprintf(what, sizeof(what), "defaults.tracks.%.100s: ", p->tracks[i]);
		if (read_policy(L, path, what, &tp->policy) < 0) {
			lua_pop(L, 3);
			return -1;
		}
		lua_pop(L, 1);
	}
	/* a track the pack does not have is a typo that would silently apply to nothing */
	if (t == LUA_TTABLE) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			bool known = false;

			lua_pop(L, 1);
			for (size_t i = 0; lua_type(L, -1) == LUA_TSTRING && p->tracks[i]; i++)
				known = known || strcmp(p->tracks[i], lua_tostring(L, -1)) == 0;
			if (!known) {
				err_set("%s: 'defaults.tracks' names '%s', which is not one of the pack's tracks", path,
					lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a name)");
				lua_pop(L, 3);
				return -1;
			}
		}
	}
	lua_pop(L, 1);
out:
	lua_pop(L, 1);
	return 0;
fail:
	lua_pop(L, 1);
	return -1;
}

/* A library name: letters, digits, '_' and '-'. */
static bool lib_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

int pack_policy_read_exercise(lua_State *L, const char *path, struct pack_exercise *e)
{
	if (read_policy(L, path, "", &e->policy) < 0 || pack_read_strv(L, path, "uses", &e->uses) < 0)
		return -1;
	for (size_t i = 0; e->uses[i]; i++) {
		char dir[4200], c_file[4210], h_file[4210];
		struct stat st;

		if (!lib_name(e->uses[i]))
			return err_set("%s: 'uses' names '%s': a library name is letters, digits, '_' and '-'", path,
				       e->uses[i]);
		if (!e->pack)
			continue;
		snprintf(dir, sizeof(dir), "%s/lib/%s", e->pack->dir, e->uses[i]);
		snprintf(c_file, sizeof(c_file), "%s.c", dir);
		snprintf(h_file, sizeof(h_file), "%s.h", dir);
		if (!(stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) && stat(c_file, &st) < 0 && stat(h_file, &st) < 0)
			return err_set("%s: 'uses' names '%s', but the pack has no lib/%s/, lib/%s.c or lib/%s.h", path,
				       e->uses[i], e->uses[i], e->uses[i], e->uses[i]);
	}
	return 0;
}

void pack_policy_resolve(struct pack_exercise *e)
{
	const struct pack_policy *layers[3] = { NULL, NULL, NULL };
	struct pack_policy *pol = &e->policy;

	if (e->pack) {
		for (size_t i = 0; i < e->pack->ntrack_defaults; i++)
			if (strcmp(e->pack->track_defaults[i].track, e->track) == 0)
				layers[0] = &e->pack->track_defaults[i].policy;
		layers[1] = &e->pack->defaults;
	}
	for (size_t i = 0; i < 2; i++) {
		if (!layers[i])
			continue;
		if (!pol->sanitizers && layers[i]->sanitizers)
			pol->sanitizers = list_copy(layers[i]->sanitizers);
		if (pol->leakcheck < 0)
			pol->leakcheck = layers[i]->leakcheck;
		if (!pol->max_failures)
			pol->max_failures = layers[i]->max_failures;
	}
	if (!pol->sanitizers)
		pol->sanitizers = calloc(1, sizeof(char *));
	if (pol->leakcheck < 0)
		pol->leakcheck = 1;
	if (!pol->max_failures)
		pol->max_failures = DEFAULT_MAX_FAILURES;
}

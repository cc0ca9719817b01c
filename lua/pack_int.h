/*
 * pack_int — what the files of the pack loader share; private to lua/.
 *
 *   lua/pack.c         pack.lua and every exercise.lua, read in the sandbox
 *   lua/pack_policy.c  the grading policy (pack.lua's defaults, an exercise's
 *                      own fields) and the pack libraries an exercise uses
 *   lua/pack_path.c    finding packs and exercises among several
 *
 * Each function reads the table on top of the stack, inside the loader's
 * protected call (it may raise), and returns 0 or -1 with err_msg naming
 * path.
 */
#ifndef LUA_PACK_INT_H
#define LUA_PACK_INT_H

#include <lua.h>

#include "lua/pack.h"

/* Field key as a NULL-terminated list of string copies ({} when absent). */
int pack_read_strv(lua_State *L, const char *path, const char *key, char ***out);

/* pack.lua's defaults = { <policy>, tracks = { TRACK = { <policy> } } }
 * into p->defaults and p->track_defaults (p->tracks must be read). */
int pack_policy_read_defaults(lua_State *L, const char *path, struct pack *p);

/* An exercise's own policy fields and `uses` (each library checked against
 * the pack's lib/ folder, e->pack must be set). */
int pack_policy_read_exercise(lua_State *L, const char *path, struct pack_exercise *e);

/* Fills in what the exercise did not say: its track's defaults, the
 * pack's, then chanlab's. Never fails (out of memory, an empty list). */
void pack_policy_resolve(struct pack_exercise *e);

void pack_policy_release(struct pack_policy *pol);

#endif

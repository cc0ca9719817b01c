/*
 * api_test — the author functions that declare tests: c:test, c:same,
 * c:skip and c:clean; see check_int.h and docs/authoring.md.
 *
 * Data model: each call appends one struct check_test to the verdict
 * (ctx->v), which owns its strings. A failing test says what failed in its
 * message, keeps what is worth showing (the output, the report's text) and
 * names the failure class a hint may answer in hint_on. After a failed
 * build (ctx->failed_build), a test that would fail is declared skipped
 * instead: "not run: build (normal) failed". Output is kept with its
 * length, byte for byte (NULs too); c:same compares lengths and bytes, and
 * quotes the lines that differ escaped (buf_add_shown). Nothing here holds
 * C memory across a call that can raise: c:same's message is released
 * first.
 */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "base/buf.h"
#include "checker/kind.h"
#include "lua/check_int.h"

/* --- declaring tests -------------------------------------------------------- */

/* c:test(name, ok, message [, output [, hint_on]])
 * Declares a test: passed when ok is true; message says why it failed. After
 * a failed build, a failing test is recorded as skipped. */
static int api_test(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	const char *name = luaL_checkstring(L, 2);
	bool ok = lua_toboolean(L, 3);
	const char *msg = luaL_optstring(L, 4, "");
	size_t olen;
	const char *out = luaL_optlstring(L, 5, "", &olen);
	const char *on = luaL_optstring(L, 6, NULL);
	struct check_test *t;

	if (!ok && c->failed_build[0]) {
		t = check_add_not_run(c, name);
	} else {
		t = check_add_testn(c->v, name, ok ? CHECK_PASS : CHECK_FAIL, ok ? "" : msg, ok ? "" : out,
				    ok ? 0 : olen, 0);
		if (t && !ok)
			t->hint_on = strdup(on ? on : kind_name(KIND_TEST));
	}
	if (!t)
		return luaL_error(L, "out of memory");
	lua_pushboolean(L, ok);
	return 1;
}

/* Appends the first 120 bytes of line s (n bytes) to m in quotes, as a
 * terminal may show them: the output is the learner's and may hold anything. */
static void quote(struct buf *m, const char *s, size_t n)
{
	if (n > 120) {
		n = 120;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;   /* not in the middle of a UTF-8 sequence */
	}
	buf_puts(m, "'");
	buf_add_shown(m, s, n);
	buf_puts(m, "'");
}

/* Says in m which line of got first differs from want, with both versions.
 * Lines end at '\n'; NULs and every other byte are compared as they are.
 * got and want differ, so some line does. */
static void same_message(struct buf *m, const char *got, size_t glen, const char *want, size_t wlen)
{
	size_t g = 0, w = 0;
	int line = 1;

	for (;;) {
		const char *ge = memchr(got + g, '\n', glen - g), *we = memchr(want + w, '\n', wlen - w);
		size_t gl = ge ? (size_t)(ge - got) - g : glen - g, wl = we ? (size_t)(we - want) - w : wlen - w;

		if (gl != wl || memcmp(got + g, want + w, gl) != 0 || !ge != !we) {
			buf_printf(m, "line %d: ", line);
			if (gl == 0 && !ge) {
				buf_puts(m, "expected ");
				quote(m, want + w, wl);
				buf_puts(m, ", but the output ended");
			} else if (wl == 0 && !we) {
				buf_puts(m, "expected the end of the output, got ");
				quote(m, got + g, gl);
			} else {
				buf_puts(m, "expected ");
				quote(m, want + w, wl);
				buf_puts(m, ", got ");
				quote(m, got + g, gl);
			}
			return;
		}
		g += gl + 1, w += wl + 1, line++;
	}
}

/* c:same(name, got, want [, message]): declares a test that passes when the
 * two texts are equal, byte for byte; otherwise the message names the first
 * line that differs, with both versions, and the output holds what was got. */
static int api_same(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	const char *name = luaL_checkstring(L, 2);
	size_t glen, wlen;
	const char *got = luaL_checklstring(L, 3, &glen), *want = luaL_checklstring(L, 4, &wlen);
	const char *msg = luaL_optstring(L, 5, NULL);
	struct check_test *t;
	struct buf m = BUF_INIT;

	if (glen == wlen && memcmp(got, want, glen) == 0) {
		if (!check_add_test(c->v, name, CHECK_PASS, "", "", 0))
			return luaL_error(L, "out of memory");
		lua_pushboolean(L, 1);
		return 1;
	}
	if (msg)
		buf_printf(&m, "%s: ", msg);
	same_message(&m, got, glen, want, wlen);
	if (c->failed_build[0]) {
		t = check_add_not_run(c, name);
	} else {
		t = check_add_testn(c->v, name, CHECK_FAIL, m.oom ? "the output differs" : m.s, got, glen, 0);
		if (t)
			t->hint_on = strdup(kind_name(KIND_TEST));
	}
	buf_release(&m);
	if (!t)
		return luaL_error(L, "out of memory");
	lua_pushboolean(L, 0);
	return 1;
}

/* c:skip(name, reason): declares a test that was not run. */
static int api_skip(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);

	if (!check_add_test(c->v, luaL_checkstring(L, 2), CHECK_SKIP, luaL_optstring(L, 3, "not run"), "", 0))
		return luaL_error(L, "out of memory");
	return 0;
}

/* c:clean(name, result): declares a test that passes when the run ended
 * well and no sanitizer or runtime report was found; otherwise its message
 * names the first report (kind, file:line, explanation). */
static int api_clean(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	const char *name = luaL_checkstring(L, 2);
	struct check_test *t;
	bool ok, has_report, skipped;
	const char *how, *text;
	size_t len;
	double secs;

	luaL_checktype(L, 3, LUA_TTABLE);
	lua_getfield(L, 3, "ok");
	ok = lua_toboolean(L, -1);
	lua_getfield(L, 3, "report");
	has_report = !lua_isnil(L, -1);
	lua_getfield(L, 3, "skipped");
	skipped = lua_toboolean(L, -1);
	lua_getfield(L, 3, "seconds");
	secs = lua_tonumber(L, -1);
	lua_pop(L, 4);
	if (skipped) {
		check_add_not_run(c, name);
		lua_pushboolean(L, 0);
		return 1;
	}
	if (ok && !has_report) {
		check_add_test(c->v, name, CHECK_PASS, "", "", secs);
		lua_pushboolean(L, 1);
		return 1;
	}
	if (has_report) {
		int top = lua_gettop(L);

		lua_getfield(L, 3, "report");
		lua_getfield(L, -1, "describe");
		how = lua_tostring(L, -1);
		lua_getfield(L, -2, "text");
		text = lua_tolstring(L, -1, &len);
		lua_getfield(L, 3, "timed_out");
		if (lua_toboolean(L, -1)) {
			/* "timed out after 5.0 s and was stopped: <what the dump shows>" */
			lua_getfield(L, 3, "how");
			how = lua_pushfstring(L, "%s: %s", lua_tostring(L, -1), how ? how : "");
			lua_replace(L, -2);
			lua_replace(L, -2);
		} else {
			lua_pop(L, 1);
		}
		t = check_add_testn(c->v, name, CHECK_FAIL, how, text, text ? len : 0, secs);
		lua_settop(L, top);
		reports_from_table(L, 3, t);
	} else {
		lua_getfield(L, 3, "how");
		lua_getfield(L, 3, "stderr");
		lua_pushfstring(L, "your program %s", lua_tostring(L, -2));
		text = lua_tolstring(L, -2, &len);
		t = check_add_testn(c->v, name, CHECK_FAIL, lua_tostring(L, -1), text, text ? len : 0, secs);
		lua_getfield(L, 3, "timed_out");
		if (t)
			t->hint_on = strdup(kind_name(lua_toboolean(L, -1) ? KIND_TIMEOUT : KIND_CRASH));
		lua_pop(L, 4);
	}
	lua_pushboolean(L, 0);
	return 1;
}

const luaL_Reg api_test_lib[] = {
	{ "test", api_test },
	{ "same", api_same },
	{ "skip", api_skip },
	{ "clean", api_clean },
	{ NULL, NULL },
};

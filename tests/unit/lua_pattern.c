/* lua/pattern: the bounded matcher gives what Lua's own gives, on thousands of random patterns. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "base/err.h"
#include "lua/sandbox.h"
#include "tests/tap.h"

/* Runs every pattern function on (S, P, I, R) and prints what each gave,
 * errors included, into one string. The same text runs in a plain state
 * (Lua's own string library) and in a sandbox (pattern.c's). */
static const char driver[] =
	"local S, P, I, R = ...\n"
	"local function ser(ok, ...)\n"
	"  local t = { tostring(ok) }\n"
	"  for i = 1, select('#', ...) do\n"
	"    local v = select(i, ...)\n"
	"    t[#t + 1] = type(v) .. ':' .. (type(v) == 'string' and string.format('%q', v) or tostring(v))\n"
	"  end\n"
	"  return table.concat(t, '|')\n"
	"end\n"
	"local function all(...)\n"
	"  local r = {}\n"
	"  for a, b, c in string.gmatch(...) do\n"
	"    r[#r + 1] = tostring(a) .. ',' .. tostring(b) .. ',' .. tostring(c)\n"
	"    if #r > 40 then break end\n"
	"  end\n"
	"  return table.concat(r, ';')\n"
	"end\n"
	"local function f(a, b) if b then return a .. '+' .. b elseif a == 'a' then return false end return '{' .. a .. '}' end\n"
	"return table.concat({\n"
	"  ser(pcall(string.find, S, P, I)),\n"
	"  ser(pcall(string.find, S, P, I, true)),\n"
	"  ser(pcall(string.match, S, P, I)),\n"
	"  ser(pcall(all, S, P)),\n"
	"  ser(pcall(all, S, P, I)),\n"
	"  ser(pcall(string.gsub, S, P, R)),\n"
	"  ser(pcall(string.gsub, S, P, R, 2)),\n"
	"  ser(pcall(string.gsub, S, P, f)),\n"
	"  ser(pcall(string.gsub, S, P, { a = 'A', b = false, ['()'] = 7, [1] = 'one' })),\n"
	"  ser(pcall(string.gsub, S, P, 42)),\n"
	"}, '\\n')\n";

static const char *const tokens[] = {
	"a", "b", "x", ".", "%a", "%d", "%s", "%w", "%A", "%p", "[ab]", "[^a]", "[a-c]", "[%a-]", "[]]",
	"(", ")", "()", "%1", "%2", "%b()", "%f[%w]", "%f[%W]", "*", "+", "-", "?", "^", "$", "%", "[",
	"]", "%%", "%.", "%z", "\n", "1", "%f", "%b", "[^]", "(a*)", "(.-)", "%x",
};
static const char alphabet[] = "aaabbx() .-[]%1\n";
static const char *const repls[] = { "%0", "<%1>", "%%", "x%2", "%", "[%0]", "", "%a", "%1%1" };

/* Loads the driver into L (a plain state or a sandbox). */
static void load_driver(lua_State *L)
{
	if (luaL_loadbuffer(L, driver, sizeof(driver) - 1, "=driver") != LUA_OK) {
		printf("# %s\n", lua_tostring(L, -1));
		exit(1);
	}
	lua_setglobal(L, "driver");
}

/* What the driver says for one case, as a malloc'd string. */
static char *run(lua_State *L, bool sandboxed, const char *s, size_t ls, const char *p, size_t lp, long init,
		 const char *repl)
{
	char *out;

	lua_getglobal(L, "driver");
	lua_pushlstring(L, s, ls);
	lua_pushlstring(L, p, lp);
	lua_pushinteger(L, init);
	lua_pushstring(L, repl);
	if (sandboxed ? sandbox_call(L, 4, 1) < 0 : lua_pcall(L, 4, 1, 0) != LUA_OK)
		return strdup(sandboxed ? err_msg() : lua_tostring(L, -1));
	out = strdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	return out;
}

static void show(const char *what, const char *s, size_t len)
{
	printf("#   %s: '", what);
	for (size_t i = 0; i < len; i++)
		printf(s[i] == '\n' ? "\\n" : s[i] == '\0' ? "\\0" : "%c", s[i]);
	printf("'\n");
}

int main(void)
{
	struct sandbox_limits lim = SANDBOX_LIMITS_INIT;
	lua_State *plain = luaL_newstate(), *box;
	static const long inits[] = { 1, 1, 1, 0, -3, 2, 4, 30 };
	int cases = 0, differ = 0;
	char *want, *got;

	plan(4);
	lim.steps = 4000000;    /* thousands: all the cases share one budget */
	lim.seconds = 600;
	box = sandbox_new(&lim);
	luaL_openlibs(plain);
	load_driver(plain);
	load_driver(box);
	srand(20240601);
	for (int n = 0; n < 30000; n++) {
		char s[16], p[64];
		size_t ls = (size_t)(rand() % 12), lp = 0;
		int ntok = 1 + rand() % 5;
		long init = inits[rand() % 8];
		const char *repl = repls[rand() % 9];

		for (size_t i = 0; i < ls; i++)
			s[i] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		if (n % 50 == 0 && ls > 0)
			s[rand() % (int)ls] = '\0';     /* an embedded zero */
		for (int t = 0; t < ntok; t++) {
			const char *tok = tokens[rand() % (int)(sizeof(tokens) / sizeof(tokens[0]))];

			memcpy(p + lp, tok, strlen(tok));
			lp += strlen(tok);
		}
		want = run(plain, false, s, ls, p, lp, init, repl);
		got = run(box, true, s, ls, p, lp, init, repl);
		cases++;
		if (strcmp(want, got) != 0 && differ++ < 3) {
			show("subject", s, ls);
			show("pattern", p, lp);
			printf("#   init %ld, repl '%s'\n", init, repl);
			show("lua", want, strlen(want));
			show("ours", got, strlen(got));
		}
		free(want);
		free(got);
	}
	ok(differ == 0, "%d random cases give the same results and errors as Lua's own (%d differ)", cases, differ);

	{
		char deep[300], p[700] = "";

		memset(deep, 'a', sizeof(deep));
		for (int i = 0; i < 250; i++)
			strcat(p, "a?");
		want = run(plain, false, deep, sizeof(deep), p, strlen(p), 1, "%0");
		got = run(box, true, deep, sizeof(deep), p, strlen(p), 1, "%0");
		ok(strstr(want, "pattern too complex") && strcmp(want, got) == 0, "a pattern too deep is refused the same way");
		free(want);
		free(got);
	}
	{
		char big[1500];

		memset(big, 'a', sizeof(big));
		want = run(plain, false, big, sizeof(big), "(a*)%1b", 7, 1, "%1");
		got = run(box, true, big, sizeof(big), "(a*)%1b", 7, 1, "%1");
		ok(strcmp(want, got) == 0, "back-references over a long subject agree");
		free(want);
		free(got);
	}
	sandbox_free(box);
	lua_close(plain);

	/* the same backtracking, with a small budget: stopped, not hung */
	lim.steps = 20000;
	box = sandbox_new(&lim);
	luaL_loadstring(box, "local s = ('a'):rep(60)\nreturn s:find(('a-'):rep(20) .. 'b')");
	ok(sandbox_call(box, 0, 1) < 0 && strstr(err_msg(), "]:2: script stopped: it ran more than 20000 thousand"),
	   "a pattern that backtracks for ages is stopped at its line: %.80s", err_msg());
	sandbox_free(box);
	return done();
}

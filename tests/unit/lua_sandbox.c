/* lua/sandbox and lua/safelib: a script cannot get around its limits, and is named with file:line when stopped. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/fs.h"
#include "lua/sandbox.h"
#include "tests/tap.h"

static char root[256];
static struct sandbox_limits lim = { 8u << 20, 5000, 20.0 };

static void path_of(const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", root, name);
}

static void write_file(const char *name, const char *text, size_t len)
{
	char path[512];
	FILE *f;

	path_of(name, path, sizeof(path));
	f = fopen(path, "w");
	fwrite(text, 1, len, f);
	fclose(f);
}

/* Runs the script text saved as name in a fresh sandbox; 0 or -1
 * (err_msg). *secs is how long it took. */
static int run(const char *name, const char *text, double *secs)
{
	lua_State *L = sandbox_new(&lim);
	char path[512];
	double t0 = clock_now();
	int rc;

	write_file(name, text, strlen(text));
	path_of(name, path, sizeof(path));
	rc = sandbox_load(L, path);
	if (rc == 0)
		rc = sandbox_call(L, 0, 0);
	sandbox_free(L);
	if (secs)
		*secs = clock_now() - t0;
	return rc;
}

/* True if err_msg names name:line and says what. */
static bool says(const char *name, int line, const char *what)
{
	char where[128];

	snprintf(where, sizeof(where), "%s:%d: ", name, line);
	return strstr(err_msg(), where) && strstr(err_msg(), what);
}

/* A chunk returning a table, then an unprotected read of field x from it,
 * in a child process: chanlab's code doing that would reach Lua's panic.
 * Returns the child's exit status; its stderr goes to out. */
static int unprotected_read(const char *name, const char *text, char *out, size_t size)
{
	int fd[2], status;
	ssize_t n;
	pid_t pid;

	write_file(name, text, strlen(text));
	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		lua_State *L = sandbox_new(&lim);
		char path[512];

		dup2(fd[1], 2);
		path_of(name, path, sizeof(path));
		if (sandbox_load(L, path) < 0 || sandbox_call(L, 0, 1) < 0)
			_exit(10);
		lua_getfield(L, -1, "x");
		_exit(11);
	}
	close(fd[1]);
	n = read(fd[0], out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	char buf[2048];
	double secs;
	lua_State *L, *M;
	int rc;

	plan(24);
	alarm(120);     /* a hang is a failure, not a stuck test run */
	snprintf(root, sizeof(root), "/tmp/chanlab-unit-%d", (int)getpid());
	fs_mkdirs(root);

	/* a script cannot catch its own stop */
	ok(run("pcall.lua", "while true do\n  pcall(function() while true do end end)\nend\n", &secs) < 0 &&
	   says("pcall.lua", 2, "script stopped: it ran more than 5000 thousand instructions"),
	   "pcall does not keep a stopped script going: %.90s", err_msg());
	ok(secs < 10, "it ends within its limit (%.1f s)", secs);
	ok(run("xpcall.lua", "while true do\n  xpcall(function() while true do end end, function(e) return 'handled' end)\nend\n",
	       NULL) < 0 && says("xpcall.lua", 2, "script stopped"), "nor does xpcall with a handler: %.90s", err_msg());
	ok(run("nested.lua", "local function f() return pcall(f) end\nwhile true do f() end\n", NULL) < 0 &&
	   strstr(err_msg(), "script stopped"), "nor nested pcalls: %.90s", err_msg());
	ok(run("memcatch.lua", "local t = {}\nwhile true do pcall(function() for i = 1, 1e9 do t[#t + 1] = {} end end) end\n",
	       NULL) < 0 && says("memcatch.lua", 2, "script stopped: it used more than 8 MiB of memory"),
	   "nor the memory limit: %.90s", err_msg());
	ok(run("bigalloc.lua", "local ok = pcall(string.rep, 'x', 1e9)\nassert(not ok)\nlocal s = ('y'):rep(100)\n", NULL) == 0,
	   "one allocation too big fails in pcall, and the script goes on: %.90s", err_msg());

	/* the state stays stopped */
	L = sandbox_new(&lim);
	luaL_loadstring(L, "while true do end");
	sandbox_call(L, 0, 0);
	luaL_loadstring(L, "return 1");
	ok(sandbox_call(L, 0, 1) < 0 && strstr(err_msg(), "script stopped"), "a stopped state stays stopped: %.60s",
	   err_msg());
	sandbox_free(L);

	/* memory */
	lim.steps = 200000;     /* the work is not the point here (and ASan makes it slow) */
	ok(run("mem.lua", "local t = {}\nfor i = 1, 1e8 do t[i] = ('x'):rep(100) .. i end\n", NULL) < 0 &&
	   says("mem.lua", 2, "script stopped: it used more than 8 MiB of memory"),
	   "the memory limit names the line: %.90s", err_msg());
	ok(run("garbage.lua", "for i = 1, 16 do local s = ('x'):rep(1 << 20) .. i end\n", NULL) == 0,
	   "garbage does not count against the memory limit: %.60s", err_msg());
	lim.steps = 5000;

	/* work done in C counts */
	ok(run("rep.lua", "while true do\n  local s = string.rep('x', 1 << 20)\nend\n", &secs) < 0 &&
	   says("rep.lua", 2, "script stopped: it ran more than"), "a loop of string.rep is stopped: %.90s", err_msg());
	ok(secs < 10, "within its limit (%.1f s)", secs);
	ok(run("cmp.lua", "local a, b = ('x'):rep(1 << 21) .. 'a', ('x'):rep(1 << 21) .. 'b'\n"
	       "while true do\n  local c = a < b and a ~= b\nend\n", &secs) < 0 && says("cmp.lua", 3, "script stopped: it ran more than"),
	   "a loop comparing long strings is stopped: %.90s", err_msg());
	ok(secs < 10, "within its limit (%.1f s)", secs);
	ok(run("move.lua", "local t = {}\ntable.move(t, 1, math.maxinteger - 1, 1, {})\n", NULL) < 0 &&
	   says("move.lua", 2, "script stopped"), "table.move over the integer range is stopped: %.90s", err_msg());
	ok(run("insert.lua", "local t = setmetatable({}, { __len = function() return 1 << 60 end })\ntable.insert(t, 1, 'x')\n",
	       NULL) < 0 && says("insert.lua", 2, "script stopped"), "table.insert into a table that lies about its length: %.90s",
	   err_msg());
	ok(run("sort.lua", "local t = setmetatable({}, { __len = function() return 1 << 30 end, __index = function() return 1 end })\n"
	       "table.sort(t)\n", NULL) < 0 && says("sort.lua", 2, "script stopped"), "and table.sort: %.90s", err_msg());
	ok(run("concat.lua", "local t = setmetatable({}, { __index = rawlen })\nlocal s = table.concat(t, '', 1, 1 << 40)\n", NULL) < 0 &&
	   says("concat.lua", 2, "script stopped"), "and table.concat: %.90s", err_msg());
	ok(run("format.lua", "local s = string.format('%0999999d', 1)\n", NULL) < 0 && says("format.lua", 1, "invalid conversion"),
	   "string.format refuses a huge width: %.90s", err_msg());

	/* finalizers, seeds, binary chunks */
	ok(run("gc.lua", "local mt = {}\nlocal t = setmetatable({}, { __gc = function() while true do end end })\n", NULL) < 0 &&
	   says("gc.lua", 2, "__gc"), "a finalizer is refused where it is set: %.90s", err_msg());
	ok(run("gclate.lua", "local mt = {}\nlocal t = setmetatable({}, mt)\nmt.__gc = function() while true do end end\n", NULL) == 0,
	   "one added afterwards never runs (Lua did not mark the table), so closing the state ends");
	L = sandbox_new(&lim);
	M = sandbox_new(&lim);
	luaL_loadstring(L, "math.randomseed() return math.random(1, 1 << 40) + math.random(1, 1 << 40)");
	luaL_loadstring(M, "return math.random(1, 1 << 40) + math.random(1, 1 << 40)");
	ok(sandbox_call(L, 0, 1) == 0 && sandbox_call(M, 0, 1) == 0 && lua_tointeger(L, -1) == lua_tointeger(M, -1),
	   "math.random starts from the same seed every time");
	sandbox_free(L);
	sandbox_free(M);
	write_file("binary.lua", "\033LuaT\0\031\223\r\n\032\n", 12);
	L = sandbox_new(&lim);
	path_of("binary.lua", buf, sizeof(buf));
	ok(sandbox_load(L, buf) < 0 && strstr(err_msg(), "binary.lua: a binary (precompiled) chunk"),
	   "a binary chunk is refused, naming its file: %.90s", err_msg());
	sandbox_free(L);

	/* reads of script values */
	L = sandbox_new(&lim);
	{
		static const char field[] = "return setmetatable({}, { __index = function(t, k)\n  error('no ' .. k)\nend })\n";

		write_file("field.lua", field, sizeof(field) - 1);
	}
	path_of("field.lua", buf, sizeof(buf));
	sandbox_load(L, buf);
	sandbox_call(L, 0, 1);
	ok(sandbox_field(L, -1, "check") < 0 && says("field.lua", 2, "no check"),
	   "sandbox_field reads inside a protected call: %.90s", err_msg());
	sandbox_free(L);
	rc = unprotected_read("panic.lua", "return setmetatable({}, { __index = function() while true do end end })\n",
			      buf, sizeof(buf));
	ok(rc == 3 && strstr(buf, "panic.lua") && strstr(buf, "script stopped"),
	   "a read outside a protected call is still bounded, and the panic names the script (exit %d): %.150s", rc, buf);

	snprintf(buf, sizeof(buf), "rm -rf %s", root);
	if (system(buf) != 0)
		diag("could not remove the temporary folder");
	return done();
}

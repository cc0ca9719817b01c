/* lua/sandbox and lua/pack: scripts run in a limited state; broken ones are named with file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/err.h"
#include "base/fs.h"
#include "lua/pack.h"
#include "lua/sandbox.h"
#include "tests/tap.h"

static char root[256];

static void write_file(const char *rel, const char *text)
{
	char path[512], dir[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	fs_mkdirs(dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static int run_chunk(const char *name, const char *text)
{
	struct sandbox_limits lim = SANDBOX_LIMITS_INIT;
	lua_State *L;
	int rc;

	lim.memory = 8u << 20;
	lim.steps = 5000;
	lim.seconds = 2;
	write_file(name, text);
	L = sandbox_new(&lim);
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", root, name);
		rc = sandbox_load(L, path);
		if (rc == 0)
			rc = sandbox_call(L, 0, 0);
	}
	sandbox_free(L);
	return rc;
}

static const char good[] =
	"return { title = 'Good', track = 'concurrency', difficulty = 2, files = { 'a.c' },\n"
	"  text = '# Good', hints = { 'first', { on = 'timeout', text = 'second' } },\n"
	"  check = function(c) end }\n";

int main(void)
{
	struct pack *p;
	const struct pack_exercise *e;

	plan(45);
	snprintf(root, sizeof(root), "/tmp/chanlab-unit-%d", (int)getpid());

	ok(run_chunk("ok.lua", "local t = {} for i = 1, 100 do t[i] = i end") == 0, "a plain script runs");
	ok(run_chunk("io.lua", "io.open('/etc/passwd')") < 0 && strstr(err_msg(), "io"),
	   "io is not there: %.50s", err_msg());
	ok(run_chunk("os.lua", "os.execute('true')") < 0, "os is not there");
	ok(run_chunk("load.lua", "load('return 1')") < 0, "load is not there");
	ok(run_chunk("loop.lua", "\n\nwhile true do end") < 0 && strstr(err_msg(), "loop.lua:3:") &&
	   (strstr(err_msg(), "instructions") || strstr(err_msg(), "longer than")),
	   "an endless loop is stopped at its line: %.60s", err_msg());
	ok(run_chunk("mem.lua", "local t = {} for i = 1, 1e8 do t[i] = ('x'):rep(100) .. i end") < 0 &&
	   (strstr(err_msg(), "memory") || strstr(err_msg(), "script stopped")), "a memory bomb is stopped: %.60s", err_msg());
	ok(run_chunk("err.lua", "local x = nil\nreturn x.field") < 0 && strstr(err_msg(), "err.lua:2:"),
	   "a runtime error names file:line: %.60s", err_msg());
	ok(run_chunk("syntax.lua", "return {\n  title = 'x'\n  files = {}\n}") < 0 && strstr(err_msg(), "syntax.lua:3:"),
	   "a syntax error names file:line: %.60s", err_msg());

	write_file("pack/pack.lua", "return { name = 'test', version = '1', format = 1, tracks = { 'concurrency', 'memory' } }\n");
	write_file("pack/concurrency/good/exercise.lua", good);
	write_file("pack/concurrency/broken/exercise.lua", "return {\n  title = 'Broken',\n  files = { 'a.c' }\n  check = 1 }\n");
	write_file("pack/memory/nocheck/exercise.lua", "return { title = 'No check', files = { 'a.c' } }\n");
	write_file("pack/memory/typo/exercise.lua",
		   "return { title = 'Typo', files = { 'a.c' }, hints = { { on = 'timout', text = 'x' } }, check = function() end }\n");
	write_file("pack/memory/easy/exercise.lua",
		   "return { title = 'Easy', difficulty = 1, files = { 'a.c' }, check = function() end,\n"
		   "  topics = { 'lists', 'free' }, after = { 'good' }, time = 15, learn = { 'https://x' },\n"
		   "  starter_compiles = false, headers = { 'a.h' } }\n");
	write_file("pack/memory/badtime/exercise.lua",
		   "return { title = 'T', files = { 'a.c' }, check = function() end, time = 'soon' }\n");
	write_file("pack/memory/zfirst/exercise.lua",
		   "return { title = 'Z', difficulty = 3, files = { 'a.c' }, check = function() end }\n");
	write_file("pack/memory/asecond/exercise.lua",
		   "return { title = 'A', difficulty = 1, files = { 'a.c' }, check = function() end, after = { 'zfirst', 'good' } }\n");
	write_file("pack/memory/badheader/exercise.lua",
		   "return { title = 'H', files = { 'a.c' }, check = function() end, headers = { '../x.h' } }\n");

	{
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/pack", root);
		ok(pack_load(&p, dir) == 0, "a pack with broken exercises still loads");
	}
	is_int(p->nex, 9, "every exercise is listed");
	is_str(p->ex[0].id, "broken", "exercises are in track order, then difficulty");
	is_str(p->ex[2].track, "memory", "the second track follows the first");
	{
		size_t first = 0, second = 0;

		for (size_t i = 0; i < p->nex; i++) {
			if (strcmp(p->ex[i].id, "zfirst") == 0)
				first = i;
			if (strcmp(p->ex[i].id, "asecond") == 0)
				second = i;
		}
		ok(first < second && first == second - 1,
		   "an exercise comes after the one its 'after' names, though easier (%zu, %zu)", first, second);
	}
	e = pack_find(p, "good");
	ok(e && !e->error, "a good exercise loads");
	is_str(e->title, "Good", "its title is read");
	is_int(e->nhints, 2, "its hints are read");
	is_str(e->hints[1].on, "timeout", "a hint names the failure it answers");
	ok(pack_find(p, "concurrency/good") == e, "an exercise is found by track/slug too");
	e = pack_find(p, "broken");
	ok(e && e->error && strstr(e->error, "broken/exercise.lua:4:"), "a syntax error is kept with its file and line: %s",
	   e ? e->error : "");
	e = pack_find(p, "nocheck");
	ok(e && e->error && strstr(e->error, "'check' must be a function"), "a missing check function is named");
	e = pack_find(p, "easy");
	ok(e && !e->error && e->topics[1] && strcmp(e->topics[1], "free") == 0 && !e->topics[2],
	   "topics are read");
	ok(e && strcmp(e->after[0], "good") == 0 && strcmp(e->learn[0], "https://x") == 0 &&
	   strcmp(e->headers[0], "a.h") == 0, "so are after, learn and headers");
	ok(e && e->time == 15 && !e->starter_compiles, "and time and starter_compiles");
	e = pack_find(p, "good");
	ok(e && e->starter_compiles && e->time == 0 && e->topics && !e->topics[0] && e->headers && !e->headers[0],
	   "without them: the starter compiles, no time, empty lists");
	e = pack_find(p, "badtime");
	ok(e && e->error && strstr(e->error, "'time' must be a whole number"), "a time that is not minutes is named");
	e = pack_find(p, "badheader");
	ok(e && e->error && strstr(e->error, "must be a file name in the exercise's folder"),
	   "a header outside the exercise's folder is refused");
	e = pack_find(p, "typo");
	ok(e && e->error && strstr(e->error, "'on' must be one of build, test"), "a hint for an unknown failure class is named: %s",
	   e && e->error ? e->error : "");
	pack_free(p);

	/* tables that run code when read */
	write_file("pack2/pack.lua", "return setmetatable({ name = 'p2', format = 1 }, { __index = function(t, k)\n"
		   "  if k == 'tracks' then return { 'concurrency' } end end })\n");
	write_file("pack2/concurrency/good/exercise.lua", good);
	write_file("pack2/concurrency/raises/exercise.lua", "return setmetatable({ files = { 'a.c' } }, {\n"
		   "  __index = function(t, k) error('no ' .. k) end })\n");
	write_file("pack2/concurrency/lies/exercise.lua", "return { title = 'Lies', check = function() end,\n"
		   "  files = setmetatable({}, { __len = function() return 1e9 end }) }\n");
	{
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/pack2", root);
		ok(pack_load(&p, dir) == 0 && p->nex == 3, "pack.lua's own metamethods are read like its fields: %s", err_msg());
	}
	e = pack_find(p, "good");
	ok(e && !e->error, "a sound exercise beside hostile ones loads");
	e = pack_find(p, "raises");
	ok(e && e->error && strstr(e->error, "raises/exercise.lua:2: no title"),
	   "an __index that raises is named with its line: %.90s", e && e->error ? e->error : "");
	e = pack_find(p, "lies");
	ok(e && e->error && strstr(e->error, "field 'files' has 1000000000 entries (at most 1000)"),
	   "a list that lies about its length is refused: %s", e && e->error ? e->error : "");
	pack_free(p);

	/* the grading policy: pack defaults, track defaults, the exercise's own */
	write_file("pol/pack.lua", "return { name = 'pol', format = 1, tracks = { 'conc', 'mem' },\n"
		   "  defaults = { sanitizers = { 'asan' }, max_failures = 7,\n"
		   "    tracks = { conc = { sanitizers = { 'asan', 'tsan' }, leakcheck = false } } } }\n");
	write_file("pol/conc/plain/exercise.lua", "return { title = 'P', files = { 'a.c' }, check = function() end }\n");
	write_file("pol/conc/own/exercise.lua", "return { title = 'O', files = { 'a.c' }, check = function() end,\n"
		   "  sanitizers = {}, leakcheck = true, max_failures = 2, uses = { 'kit', 'one', 'hdr' } }\n");
	write_file("pol/mem/inherits/exercise.lua", "return { title = 'I', files = { 'a.c' }, check = function() end }\n");
	write_file("pol/mem/badsan/exercise.lua", "return { title = 'B', files = { 'a.c' }, check = function() end,\n"
		   "  sanitizers = { 'msan' } }\n");
	write_file("pol/mem/nolib/exercise.lua", "return { title = 'N', files = { 'a.c' }, check = function() end,\n"
		   "  uses = { 'nope' } }\n");
	write_file("pol/mem/badcap/exercise.lua", "return { title = 'C', files = { 'a.c' }, check = function() end,\n"
		   "  max_failures = 0 }\n");
	write_file("pol/lib/kit/kit.c", "int kit;\n");
	write_file("pol/lib/one.c", "int one;\n");
	write_file("pol/lib/hdr.h", "#define HDR 1\n");
	{
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/pol", root);
		ok(pack_load(&p, dir) == 0, "a pack with defaults loads: %s", err_msg());
	}
	e = pack_find(p, "plain");
	ok(e && !e->error && e->policy.sanitizers[0] && strcmp(e->policy.sanitizers[1], "tsan") == 0 &&
	   !e->policy.sanitizers[2], "a track's defaults come first (asan, tsan)");
	ok(e && e->policy.leakcheck == 0 && e->policy.max_failures == 7,
	   "a field the track does not say comes from the pack's defaults");
	e = pack_find(p, "own");
	ok(e && !e->error && !e->policy.sanitizers[0] && e->policy.leakcheck == 1 && e->policy.max_failures == 2,
	   "an exercise's own fields win: %s", e && e->error ? e->error : "");
	ok(e && e->uses[2] && strcmp(e->uses[0], "kit") == 0 && !e->uses[3],
	   "uses names a folder library, a single-file one and a header-only one");
	e = pack_find(p, "inherits");
	ok(e && strcmp(e->policy.sanitizers[0], "asan") == 0 && !e->policy.sanitizers[1] && e->policy.leakcheck == 1,
	   "another track gets the pack's defaults, and chanlab's leak check");
	e = pack_find(p, "badsan");
	ok(e && e->error && strstr(e->error, "'sanitizers' may hold \"asan\" and \"tsan\" (not 'msan')"),
	   "an unknown sanitizer is named: %s", e && e->error ? e->error : "");
	e = pack_find(p, "nolib");
	ok(e && e->error && strstr(e->error, "no lib/nope/, lib/nope.c or lib/nope.h"),
	   "a library the pack does not have is named: %s", e && e->error ? e->error : "");
	e = pack_find(p, "badcap");
	ok(e && e->error && strstr(e->error, "'max_failures' must be a whole number from 1 to 1000"),
	   "a cap out of range is named: %s", e && e->error ? e->error : "");
	pack_free(p);
	write_file("nodef/pack.lua", "return { name = 'n', format = 1, tracks = { 'a' } }\n");
	write_file("nodef/a/x/exercise.lua", "return { title = 'X', files = { 'a.c' }, check = function() end }\n");
	{
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/nodef", root);
		ok(pack_load(&p, dir) == 0 && p->nex == 1 && !p->ex[0].policy.sanitizers[0] &&
		   p->ex[0].policy.leakcheck == 1 && p->ex[0].policy.max_failures == 5,
		   "without defaults: no sanitizer passes, the leak check on, five failures listed");
		pack_free(p);
		write_file("typo/pack.lua", "return { name = 't', format = 1, tracks = { 'a' },\n"
			   "  defaults = { tracks = { concurency = { sanitizers = { 'tsan' } } } } }\n");
		snprintf(dir, sizeof(dir), "%s/typo", root);
		ok(pack_load(&p, dir) < 0 && strstr(err_msg(), "names 'concurency', which is not one of the pack's tracks"),
		   "defaults for a track the pack does not have are refused: %s", err_msg());
		write_file("typo/pack.lua", "return { name = 't', format = 1, tracks = { 'a' }, defaults = { leakcheck = 1 } }\n");
		ok(pack_load(&p, dir) < 0 && strstr(err_msg(), "defaults: 'leakcheck' must be true or false"),
		   "a default of the wrong type is named: %s", err_msg());
		write_file("typo/pack.lua", "return { name = 't', format = 1, tracks = { 'a' }, defaults = 'yes' }\n");
		ok(pack_load(&p, dir) < 0 && strstr(err_msg(), "'defaults' must be a table"),
		   "defaults that are not a table are refused: %s", err_msg());
	}

	write_file("bad/pack.lua", "return { name = 'x', format = 2, tracks = { 'a' } }\n");
	{
		char dir[512];

		snprintf(dir, sizeof(dir), "%s/bad", root);
		ok(pack_load(&p, dir) < 0 && strstr(err_msg(), "'format' must be 1"), "an unknown pack format is refused: %s",
		   err_msg());
	}
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
		if (system(cmd) != 0)
			diag("could not remove the temporary folder");
	}
	return done();
}

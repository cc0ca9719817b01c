/*
 * reports — sanitizer and runtime reports between a run, the script and the
 * verdict; see check_int.h.
 *
 * Data model: checker/report.c turns a program's stderr into a struct
 * report_list that lives only as long as the API call that ran the program.
 * From there a report goes two ways: to the script, as a plain Lua table
 * of copied strings (the script may keep it after the list is gone), and to
 * the verdict, as a struct check_report the test owns (copied with malloc,
 * freed by check_verdict_release). A report the script hands back (c:clean
 * of a c:run result) is read again from its table, never from C memory.
 * The flavour's environment (ASAN_OPTIONS, TSAN_OPTIONS) lives here too:
 * it decides what the sanitizers report and how.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "checker/kind.h"
#include "lua/check_int.h"

const char *const *reports_flavour_env(const char *flavour)
{
	/* CHANLAB_LEAKCHECK=1: the runtime's goroutine leak check is on in
	 * every graded run; an exercise's env (after these) may say 0. */
	static const char *const asan[] = {
		"CHANLAB_LEAKCHECK=1",
		"ASAN_OPTIONS=detect_leaks=1:hard_rss_limit_mb=1024:allocator_may_return_null=1:"
		"detect_stack_use_after_return=1:abort_on_error=0",
		"UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1",
		NULL,
	};
	static const char *const tsan[] = {
		"CHANLAB_LEAKCHECK=1",
		"TSAN_OPTIONS=memory_limit_mb=1024:second_deadlock_stack=1:exitcode=66:atexit_sleep_ms=0", NULL,
	};
	static const char *const none[] = { "CHANLAB_LEAKCHECK=1", NULL };

	if (strcmp(flavour, "asan") == 0)
		return asan;
	if (strcmp(flavour, "tsan") == 0)
		return tsan;
	return none;
}

void reports_parse(struct check_ctx *c, struct report_list *reps, const struct proc_result *pr)
{
	report_parse(reps, pr->err, (const char *const *)c->ex->files);
	c->v->nreports += reps->n;
}

void reports_push(lua_State *L, const struct report *r)
{
	char *d = report_describe(r);

	lua_createtable(L, 0, 9);
	check_set_str(L, "kind", r->kind);
	check_set_str(L, "tool", r->tool);
	if (r->file)
		check_set_str(L, "file", r->file);
	lua_pushinteger(L, r->line);
	lua_setfield(L, -2, "line");
	if (r->function)
		check_set_str(L, "func", r->function);
	check_set_str(L, "explain", r->explain);
	check_set_str(L, "summary", r->summary);
	check_set_str(L, "text", r->text);
	check_set_str(L, "describe", d);
	free(d);
}

const char *reports_describe_end(const struct proc_result *pr, const struct report_list *reps,
				 char *buf, size_t size)
{
	struct proc_result shown = *pr;

	if (reps && reps->n && reps->r[0].signal && !pr->signal && !pr->timed_out && pr->status == 2)
		shown.signal = reps->r[0].signal;
	return proc_describe(&shown, buf, size);
}

/* What a sanitizer's or valgrind's report kind (checker/report.c's names)
 * is as a failure, when it is one a hint may aim at more closely than
 * "sanitizer". */
static const struct {
	const char *report;
	enum kind kind;
} sanitizer_kinds[] = {
	{ "heap-use-after-free", KIND_USE_AFTER_FREE },
	{ "stack-use-after-return", KIND_USE_AFTER_FREE },
	{ "stack-use-after-scope", KIND_USE_AFTER_FREE },
	{ "heap-buffer-overflow", KIND_OVERFLOW },
	{ "stack-buffer-overflow", KIND_OVERFLOW },
	{ "global-buffer-overflow", KIND_OVERFLOW },
	{ "double-free", KIND_BAD_FREE },
	{ "bad-free", KIND_BAD_FREE },
	{ "invalid-free", KIND_BAD_FREE },
	{ "alloc-dealloc-mismatch", KIND_BAD_FREE },
	{ "memory-leak", KIND_MEMORY_LEAK },
	{ "data-race", KIND_DATA_RACE },
	{ "undefined-behaviour", KIND_UNDEFINED },
};

enum kind reports_kind(const struct report *r)
{
	if (strcmp(r->tool, "runtime") != 0) {
		for (size_t i = 0; i < sizeof(sanitizer_kinds) / sizeof(sanitizer_kinds[0]); i++)
			if (strcmp(r->kind, sanitizer_kinds[i].report) == 0)
				return sanitizer_kinds[i].kind;
		return KIND_SANITIZER;
	}
	if (strcmp(r->kind, "deadlock") == 0)
		return KIND_DEADLOCK;
	if (strcmp(r->kind, "goroutine-leak") == 0 || strcmp(r->kind, "context-leak") == 0)
		return KIND_LEAK;
	if (strcmp(r->kind, "timeout") == 0)
		return KIND_TIMEOUT;
	return KIND_CRASH;
}

void reports_attach(struct check_test *t, const struct report *r)
{
	if (!t || !r || t->report)
		return;
	t->report = calloc(1, sizeof(*t->report));
	if (!t->report)
		return;
	t->report->kind = str_dup(r->kind);
	t->report->tool = str_dup(r->tool);
	t->report->file = str_dup(r->file);
	t->report->line = r->line;
	t->report->function = str_dup(r->function);
	t->report->explain = str_dup(r->explain);
	t->report->goroutines = r->goroutines ? str_dup(r->goroutines) : NULL;
	if (!t->hint_on)
		t->hint_on = strdup(kind_name(reports_kind(r)));
}

void reports_from_table(lua_State *L, int idx, struct check_test *t)
{
	struct report r = { 0 };

	if (lua_getfield(L, idx, "report") != LUA_TTABLE) {
		lua_pop(L, 1);
		return;
	}
	lua_getfield(L, -1, "kind");
	r.kind = (char *)(uintptr_t)lua_tostring(L, -1);
	lua_getfield(L, -2, "tool");
	r.tool = lua_tostring(L, -1);
	lua_getfield(L, -3, "file");
	r.file = (char *)(uintptr_t)lua_tostring(L, -1);
	lua_getfield(L, -4, "line");
	r.line = (int)lua_tointeger(L, -1);
	lua_getfield(L, -5, "func");
	r.function = (char *)(uintptr_t)lua_tostring(L, -1);
	lua_getfield(L, -6, "explain");
	r.explain = lua_tostring(L, -1);
	if (r.kind && r.tool && r.explain)
		reports_attach(t, &r);
	lua_pop(L, 7);
}

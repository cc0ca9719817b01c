/*
 * api_harness — the harness protocol and c:run_tests; see check_int.h,
 * harness/chanlab_test.h and docs/authoring.md.
 *
 * Data model: a harness program (built with harness = "<file>.c") runs one
 * test case or benchmark per process, so a crash loses no other result:
 * `--list` names them all ("test NAME", "bench NAME", then "end list"),
 * `--run NAME` runs one test case ("start NAME", "fail FILE:LINE: ...",
 * "log ...", then "passed NAME" or "failed NAME"), `--bench NAME N` one
 * benchmark ("bench NAME N NS ALLOCS BYTES", read by lua/api_bench.c).
 * The lines come back over a socket on fd 3, each behind a fresh random
 * token that chanlab writes into that socket before the program starts and
 * the harness reads first thing in go_main: it is in no environment, file
 * or argument, and the build refused learner code that could run before
 * go_main (lua/api_run.c guards the learner's sources), so whatever the
 * learner's code prints, or writes to fd 3 without the token, cannot pass
 * for a result. The parent also counts the harness's cases in the program
 * itself (its cl_reg_ functions), so a --list that leaves cases out fails. A case passed only if
 * it said so, exited 0 and left no sanitizer or runtime report; one that
 * never finished is described by how it ended, then by what it said
 * before. Each case becomes a test in the verdict (a passed case keeps its
 * CL_LOG notes as its message; a failed one lists the first max_failures
 * failed expectations) and a row in the table c:run_tests returns, with
 * its notes and its CL_METRIC numbers ("metric NAME VALUE").
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <lauxlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "checker/elf.h"
#include "checker/kind.h"
#include "lua/check_int.h"

/* A fresh token for one run: 32 hex digits from /dev/urandom. */
static void make_token(char *tok, size_t size)
{
	unsigned char raw[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, raw, sizeof(raw)) != (ssize_t)sizeof(raw)) {
		for (size_t i = 0; i < sizeof(raw); i++)
			raw[i] = (unsigned char)(rand() ^ (int)getpid());
	}
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < sizeof(raw) && 2 * i + 2 < size; i++)
		snprintf(tok + 2 * i, 3, "%02x", raw[i]);
}

/* --- the protocol ----------------------------------------------------------- */

int api_harness_run(lua_State *L, struct check_ctx *c, const struct run_spec *s, struct proc_result *pr,
		    struct buf *lines)
{
	struct run_spec hs = *s;
	char tok[48], chunk[4096];
	struct buf raw = BUF_INIT;
	int fds[2];
	ssize_t n;
	int rc;

	make_token(tok, sizeof(tok));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		return err_sys("cannot create the results socket");
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &(int){ 1 << 20 }, sizeof(int));
	n = (ssize_t)strlen(tok);
	tok[n] = '\n';
	if (write(fds[0], tok, (size_t)n + 1) != n + 1) {
		close(fds[0]), close(fds[1]);
		return err_sys("cannot hand the harness its token");
	}
	tok[n] = '\0';
	hs.pass_fd = fds[1];
	rc = api_run_program(L, c, &hs, pr);
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0 && raw.len < (1u << 20))
		buf_add(&raw, chunk, (size_t)n);
	close(fds[0]);
	for (char *p = raw.s; p && *p;) {
		char *nl = strchr(p, '\n');
		size_t tl = strlen(tok);

		if (nl)
			*nl = '\0';
		if (strncmp(p, tok, tl) == 0 && p[tl] == ' ' && strncmp(p + tl + 1, "schedule-run ", 13) == 0) {
			/* a case run under many schedules: what the schedules
			 * before this one said (they passed) is not its story */
			lines->len = 0;
			if (lines->s)
				lines->s[0] = '\0';
		} else if (strncmp(p, tok, tl) == 0 && p[tl] == ' ') {
			buf_puts(lines, p + tl + 1);
			buf_puts(lines, "\n");
		}
		p = nl ? nl + 1 : NULL;
	}
	buf_release(&raw);
	if (!lines->s)
		buf_puts(lines, "");
	return rc;
}

static int count_case(const struct elf_sym *sym, void *payload)
{
	if (sym->function && strncmp(sym->name, "cl_reg_", 7) == 0)
		++*(int *)payload;
	return 0;
}

/* How many cases the harness program defines: each CL_TEST and CL_BENCH
 * leaves one cl_reg_ function in it. -1 if it cannot be read. */
static int cases_defined(const struct program *prog)
{
	int n = 0;

	return elf_symbols(prog->path, false, count_case, &n) < 0 ? -1 : n;
}

/* How many cases a --list answer names. */
static int cases_listed(const char *lines)
{
	int n = 0;

	for (const char *p = lines; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		n += strncmp(p, "test ", 5) == 0 || strncmp(p, "bench ", 6) == 0;
	return n;
}

/* The harness's test case or benchmark names, in declaration order: all of
 * those the program defines, or the program did not start as it should. */
static int list_cases(lua_State *L, struct check_ctx *c, const struct program *prog, struct buf *lines)
{
	struct run_spec s = RUN_SPEC_INIT;
	const char *args[] = { "--list", NULL };
	struct proc_result pr;
	int defined;

	s.prog = prog;
	s.args = args;
	s.timeout = 10;
	s.output_cap = 64u << 10;
	if (api_harness_run(L, c, &s, &pr, lines) < 0)
		return -1;
	if (!strstr(lines->s, "end list")) {
		char how[160];

		err_set("the test program did not start: it %s%s%.300s", proc_describe(&pr, how, sizeof(how)),
			pr.err_len ? "\n" : "", pr.err);
		proc_result_release(&pr);
		return -1;
	}
	proc_result_release(&pr);
	defined = cases_defined(prog);
	if (defined < 0)
		return -1;
	if (cases_listed(lines->s) < defined)
		return err_set("the test program did not start as it should: it listed %d of its %d test cases",
			       cases_listed(lines->s), defined);
	return 0;
}

/* Whether o wants the test case called name. */
static bool wanted(const struct harness_opts *o, const char *name)
{
	for (size_t i = 0; o->only && o->only[i]; i++)
		if (strcmp(o->only[i], name) == 0)
			return true;
	return !o->only;
}

/* Program prog's --list answer into *listing: o->listing when it holds for
 * prog. Asked of the program in one flavour, it holds for another build of
 * the same harness that defines as many cases: a sanitizer's program takes
 * 60 to 80 ms to start and end, on its pass's critical path. -1 and the
 * error when the program does not start as it should. */
static int harness_listing(lua_State *L, struct check_ctx *c, const struct program *prog,
			   const struct harness_opts *o, struct buf *listing)
{
	if (o->listing && (o->listed == prog || cases_defined(prog) == cases_listed(o->listing))) {
		buf_puts(listing, o->listing);
		return listing->oom ? err_set("out of memory") : 0;
	}
	if (o->list_error && o->listed == prog)
		return err_set("%s", o->list_error);
	return list_cases(L, c, prog, listing);
}

int api_harness_wanted(lua_State *L, struct check_ctx *c, const struct program *prog, const struct harness_opts *o,
		       struct buf *listing)
{
	int n = 0;

	if (harness_listing(L, c, prog, o, listing) < 0)
		return -1;
	for (const char *p = listing->s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *nl = strchr(p, '\n');
		char name[256];

		if (strncmp(p, "test ", 5) != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", nl ? (int)(nl - p - 5) : (int)strlen(p + 5), p + 5);
		n += wanted(o, name);
	}
	return n;
}

/* --- one pass over a harness's cases -------------------------------------- */

enum { MAX_NOTES = 20 };   /* notes listed in a test's message */

/* One run of one test case: what the harness said and how it ended. */
struct case_run {
	struct proc_result pr;
	struct report_list reps;
	struct buf lines, msg;
	char schedule[64];      /* the deterministic schedule that failed it, or "" */
	bool ok;
};

static void case_run_release(struct case_run *r)
{
	buf_release(&r->msg);
	buf_release(&r->lines);
	report_list_release(&r->reps);
	proc_result_release(&r->pr);
}

/* Appends to msg, in the order the harness said them, the failed
 * expectations (the first max_failures) and the notes (the first
 * MAX_NOTES) in lines, then how many of each were left out. */
static void say_lines(struct buf *msg, const char *lines, int max_failures, char *schedule, size_t ssize)
{
	int fails = 0, notes = 0, dropped_fails = 0, dropped_notes = 0;
	uint64_t said[MAX_NOTES];   /* the notes' hashes: a note said again, once */

	for (const char *q = lines; q && *q;) {
		const char *e = strchr(q, '\n');
		int len = (int)(e ? e - q : (ptrdiff_t)strlen(q));
		bool fail = strncmp(q, "fail ", 5) == 0, note = strncmp(q, "log ", 4) == 0;

		if (note) {
			uint64_t h = 1469598103934665603ull;
			int k = 0;

			for (int i = 4; i < len; i++)
				h = (h ^ (unsigned char)q[i]) * 1099511628211ull;
			while (k < notes && k < MAX_NOTES && said[k] != h)
				k++;
			if (k < notes && k < MAX_NOTES) {   /* said already */
				q = e ? e + 1 : NULL;
				continue;
			}
			if (notes < MAX_NOTES)
				said[notes] = h;
		}
		if ((fail && ++fails <= max_failures) || (note && ++notes <= MAX_NOTES)) {
			const char *text = q + (fail ? 5 : 4);

			buf_puts(msg, msg->len ? "; " : "");
			buf_printf(msg, "%.*s", len - (int)(text - q), text);
		} else if (strncmp(q, "dropped ", 8) == 0) {
			sscanf(q + 8, "%d %d", &dropped_fails, &dropped_notes);
		} else if (strncmp(q, "schedule ", 9) == 0) {
			snprintf(schedule, ssize, "%.*s", len - 9, q + 9);
		}
		q = e ? e + 1 : NULL;
	}
	dropped_fails += fails > max_failures ? fails - max_failures : 0;
	dropped_notes += notes > MAX_NOTES ? notes - MAX_NOTES : 0;
	if (dropped_fails > 0)
		buf_printf(msg, "; and %d more failed expectation%s", dropped_fails, dropped_fails == 1 ? "" : "s");
	if (dropped_notes > 0)
		buf_printf(msg, "; and %d more note%s", dropped_notes, dropped_notes == 1 ? "" : "s");
}

/* Runs case name of s->prog once (with s's environment) into *r: ok, and
 * the message: for a pass, its notes; for a failure, the failed
 * expectations and notes, after how the case ended when it did not end
 * as it should (a crash, a deadlock, a report). -1 (err_msg) if it could
 * not run. */
static int run_case(lua_State *L, struct check_ctx *c, const struct run_spec *base, const char *name,
		    int max_failures, struct case_run *r)
{
	struct run_spec s = *base;
	const char *args[] = { "--run", name, NULL };
	char passed_line[300], failed_line[300], how[160];
	bool said_pass, said_fail;
	struct buf said = BUF_INIT;

	memset(r, 0, sizeof(*r));
	r->reps = (struct report_list)REPORT_LIST_INIT;
	s.args = args;
	s.what = name;
	if (api_harness_run(L, c, &s, &r->pr, &r->lines) < 0)
		return -1;
	reports_parse(c, &r->reps, &r->pr);
	snprintf(passed_line, sizeof(passed_line), "passed %s\n", name);
	snprintf(failed_line, sizeof(failed_line), "failed %s\n", name);
	said_pass = strstr(r->lines.s, passed_line) != NULL;
	said_fail = strstr(r->lines.s, failed_line) != NULL;
	say_lines(&said, r->lines.s, max_failures, r->schedule, sizeof(r->schedule));
	r->ok = said_pass && r->pr.status == 0 && !r->pr.signal && !r->pr.timed_out;
	if (!r->ok && !said_fail) {
		/* It never finished: how it ended, with the report if any, then
		 * what it had said before. */
		if (r->reps.n) {
			char *d = report_describe(&r->reps.r[0]);

			buf_printf(&r->msg, "the test %s: %s", reports_describe_end(&r->pr, &r->reps, how, sizeof(how)), d);
			free(d);
		} else {
			buf_printf(&r->msg, "the test %s", proc_describe(&r->pr, how, sizeof(how)));
		}
		if (said.len)
			buf_printf(&r->msg, "; before that: %s", said.s);
	} else if (r->ok && r->reps.n) {
		char *d = report_describe(&r->reps.r[0]);

		r->ok = false;
		buf_printf(&r->msg, "%s", d);
		if (said.len)
			buf_printf(&r->msg, "; %s", said.s);
		free(d);
	} else if (said.len) {
		buf_add(&r->msg, said.s, said.len);
	}
	buf_release(&said);
	return 0;
}

/* Sets fields notes (a list) and metrics (name = number, the last value
 * of each name) of the table on top from what the harness said. Each
 * metric also goes into the table at merged when it is larger than what
 * is there. */
static void push_notes_metrics(lua_State *L, const char *lines, int merged)
{
	int nnotes = 0;

	lua_newtable(L);   /* notes */
	lua_newtable(L);   /* metrics */
	for (const char *q = lines; q && *q;) {
		const char *e = strchr(q, '\n');
		int len = (int)(e ? e - q : (ptrdiff_t)strlen(q));

		if (strncmp(q, "log ", 4) == 0 && nnotes < 1000) {
			lua_pushlstring(L, q + 4, (size_t)len - 4);
			lua_rawseti(L, -3, ++nnotes);
		} else if (strncmp(q, "metric ", 7) == 0) {
			const char *sp = memchr(q + 7, ' ', (size_t)len - 7);
			char *end;
			double v = sp ? strtod(sp + 1, &end) : 0;

			if (sp && sp > q + 7 && end == q + len) {
				lua_pushlstring(L, q + 7, (size_t)(sp - q - 7));
				lua_pushvalue(L, -1);
				lua_pushnumber(L, v);
				lua_rawset(L, -4);
				/* merged: the largest value any case reported */
				lua_pushvalue(L, -1);
				lua_rawget(L, merged);
				if (lua_isnil(L, -1) || lua_tonumber(L, -1) < v) {
					lua_pop(L, 1);
					lua_pushnumber(L, v);
					lua_rawset(L, merged);
				} else {
					lua_pop(L, 2);
				}
			}
		}
		q = e ? e + 1 : NULL;
	}
	lua_setfield(L, -3, "metrics");
	lua_setfield(L, -2, "notes");
}

/* "pct:7:3" or "random:7": the schedule with seed. */
static void schedule_spec(const struct harness_schedules *sc, int seed, char *buf, size_t size)
{
	if (strcmp(sc->strategy, "pct") == 0)
		snprintf(buf, size, "pct:%d:%d", seed, sc->depth);
	else
		snprintf(buf, size, "random:%d", seed);
}

int api_harness_cases(lua_State *L, struct check_ctx *c, const struct program *prog, const struct harness_opts *o)
{
	struct run_spec base = RUN_SPEC_INIT;
	const struct harness_schedules *sc = &o->sc;
	const char **env = NULL;
	struct buf list = BUF_INIT;
	int passed = 0, failed = 0, total = 0, summary, merged, index = 0,
	    mine = o->claim ? __atomic_fetch_add(o->claim, 1, __ATOMIC_RELAXED) : 0;
	size_t nenv = 0;
	char *il;

	base.output_cap = 256u << 10;
	base.timeout = o->timeout;
	base.env = o->env;
	base.prog = prog;
	if (sc->n > 0) {        /* the script's environment, and a slot for CHANLAB_SCHED */
		while (base.env && base.env[nenv])
			nenv++;
		env = lua_newuserdatauv(L, (nenv + 3) * sizeof(*env), 0);
		for (size_t i = 0; i < nenv; i++)
			env[i] = base.env[i];
		env[nenv + 2] = NULL;
		base.env = env;
		base.timeout += sc->n * 0.1;    /* the N schedules run in one process */
	}
	lua_createtable(L, 0, 6);   /* the summary */
	summary = lua_gettop(L);
	lua_newtable(L);
	lua_setfield(L, summary, "cases");
	lua_newtable(L);
	lua_setfield(L, summary, "metrics");
	lua_getfield(L, summary, "metrics");
	merged = lua_gettop(L);
	if (!prog) {
		for (size_t i = 0; o->only && o->only[i]; i++) {
			char tname[600];

			snprintf(tname, sizeof(tname), "%s%s%s", o->prefix, o->only[i], o->suffix);
			check_add_not_run(c, tname);
		}
		lua_pushboolean(L, 1);
		lua_setfield(L, summary, "skipped");
		goto out;
	}
	if (harness_listing(L, c, prog, o, &list) < 0) {
		char tname[300];
		struct check_test *t;

		snprintf(tname, sizeof(tname), "test program starts%s", o->suffix);
		t = check_add_test(c->v, tname, CHECK_FAIL, err_msg(), "", 0);
		if (t)
			t->hint_on = strdup(kind_name(KIND_CRASH));
		buf_release(&list);
		failed++;
		goto out;
	}
	for (char *p = list.s; p && *p;) {
		char *nl = strchr(p, '\n'), name[256], tname[600], spec[64] = "", sched_env[96], runs_env[48];
		struct case_run r;
		struct check_test *t;

		if (nl)
			*nl = '\0';
		if (strncmp(p, "test ", 5) != 0) {
			p = nl ? nl + 1 : NULL;
			continue;
		}
		snprintf(name, sizeof(name), "%s", p + 5);
		p = nl ? nl + 1 : NULL;
		if (!wanted(o, name) || (o->claim && index++ != mine))
			continue;       /* not wanted, or the other process's */
		snprintf(tname, sizeof(tname), "%s%s%s", o->prefix, name, o->suffix);
		if (sc->n > 0 && c->env->sched) {   /* check --sched: that one, replayed */
			snprintf(sched_env, sizeof(sched_env), "CHANLAB_SCHED=%s", c->env->sched);
			env[nenv] = sched_env;
			env[nenv + 1] = NULL;
		} else if (sc->n > 0) {   /* the harness runs the N schedules itself */
			schedule_spec(sc, 1, spec, sizeof(spec));
			snprintf(sched_env, sizeof(sched_env), "CHANLAB_SCHED=%s", spec);
			snprintf(runs_env, sizeof(runs_env), "CHANLAB_SCHED_RUNS=%d", sc->n);
			env[nenv] = sched_env;
			env[nenv + 1] = runs_env;
		}
		if (run_case(L, c, &base, name, o->max_failures, &r) < 0) {
			buf_release(&list);
			return luaL_error(L, "%s", err_msg());
		}
		il = NULL;
		if (!r.ok && sc->n > 0) {
			snprintf(spec, sizeof(spec), "%s", c->env->sched ? c->env->sched : r.schedule);
			if (*spec)
				buf_printf(&r.msg, " (under schedule %s; replay it: chanlab check %s --sched=%s)", spec,
					   c->ex->id, spec);
			/* replayed before the test is declared: a test goes to the
			 * progressive results complete, with its interleaving */
			if (*spec && !r.pr.timed_out)   /* a replay would take as long again */
				il = api_interleaving(L, c, &base, env, nenv, name, spec);
		}
		{
			const char *out = r.ok ? "" : r.reps.n ? r.reps.r[0].text : r.pr.err;
			size_t out_len = r.ok ? 0 : r.reps.n ? strlen(out) : r.pr.err_len;   /* NULs and all */
			struct buf both = BUF_INIT;

			/* A report (a crash, a timeout's dump, a leak) comes after what
			 * the case printed: keep both, the output first. */
			if (!r.ok && r.reps.n && r.pr.out_len) {
				buf_add(&both, r.pr.out, r.pr.out_len);
				buf_puts(&both, r.pr.out[r.pr.out_len - 1] == '\n' ? "" : "\n");
				buf_add(&both, out, out_len);
				if (both.s)
					out = both.s, out_len = both.len;
			}
			/* a pass keeps its notes as its message: CL_LOG is shown either way */
			t = check_add_testn(c->v, tname, r.ok ? CHECK_PASS : CHECK_FAIL,
					    r.msg.s ? r.msg.s : r.ok ? "" : "failed", out, out_len, r.pr.seconds);
			buf_release(&both);
		}
		if (t)
			t->interleaving = il;
		else
			free(il);
		if (t && !r.ok) {
			if (r.reps.n)
				reports_attach(t, &r.reps.r[0]);
			else
				t->hint_on = strdup(kind_name(r.pr.timed_out ? KIND_TIMEOUT :
							      r.pr.signal ? KIND_CRASH : KIND_TEST));
		}
		lua_getfield(L, summary, "cases");
		lua_createtable(L, 0, 6);
		check_set_str(L, "name", name);
		lua_pushboolean(L, r.ok);
		lua_setfield(L, -2, "ok");
		check_set_str(L, "message", r.msg.s);
		if (!r.ok && sc->n > 0)
			check_set_str(L, "schedule", spec);
		push_notes_metrics(L, r.lines.s, merged);
		lua_rawseti(L, -2, ++total);
		lua_pop(L, 1);
		r.ok ? passed++ : failed++;
		case_run_release(&r);
		if (o->claim)
			mine = __atomic_fetch_add(o->claim, 1, __ATOMIC_RELAXED);
		if (failed && check_said_enough(c))
			break;          /* verify has what it wanted: the rest is not run */
	}
	buf_release(&list);
out:
	lua_settop(L, summary);
	lua_pushinteger(L, passed);
	lua_setfield(L, -2, "passed");
	lua_pushinteger(L, failed);
	lua_setfield(L, -2, "failed");
	lua_pushinteger(L, total);
	lua_setfield(L, -2, "total");
	return 1;
}

/* --- c:run_tests ------------------------------------------------------------ */

void api_harness_opts(lua_State *L, struct check_ctx *c, int idx, struct harness_opts *o)
{
	struct harness_schedules *sc = &o->sc;

	o->max_failures = (int)check_opt_num(L, idx, "max_failures", o->max_failures);
	luaL_argcheck(L, o->max_failures >= 1 && o->max_failures <= 1000, 3, "max_failures must be 1 to 1000");
	o->timeout = check_opt_num(L, idx, "timeout", o->timeout);
	luaL_argcheck(L, o->timeout > 0 && o->timeout <= 300, 3, "timeout must be 0 < t <= 300 seconds");
	if (lua_getfield(L, idx, "only") != LUA_TNIL)
		o->only = (lua_pop(L, 1), check_opt_strv(L, idx, "only"));
	else
		lua_pop(L, 1);
	o->prefix = check_opt_str(L, idx, "prefix", o->prefix);
	if (lua_getfield(L, idx, "env") != LUA_TNIL)
		o->env = (lua_pop(L, 1), check_opt_strv(L, idx, "env"));
	else
		lua_pop(L, 1);
	sc->n = (int)check_opt_num(L, idx, "schedules", sc->n);
	sc->strategy = check_opt_str(L, idx, "strategy", sc->strategy);
	sc->depth = (int)check_opt_num(L, idx, "depth", sc->depth);
	luaL_argcheck(L, sc->n >= 0 && sc->n <= 100000, 3, "schedules must be 0 to 100000");
	luaL_argcheck(L, strcmp(sc->strategy, "pct") == 0 || strcmp(sc->strategy, "random") == 0, 3,
		      "strategy is \"pct\" or \"random\"");
	luaL_argcheck(L, sc->depth >= 1 && sc->depth <= 16, 3, "depth must be 1 to 16");
	(void)c;
}

/* c:run_tests(program, { timeout = 5, only = { "name", ... }, prefix = "",
 *                        env = { ... }, schedules = 0, strategy = "pct", depth = 3,
 *                        max_failures = <policy>, asan = { ... } | false,
 *                        tsan = { ... } | false })
 * Runs every test case of a harness program in its own sandboxed process
 * and declares one test per case, then the same under each sanitizer the
 * exercise's policy asks for (lua/api_passes.c), "<case> (TSan)". With
 * schedules = N each case runs under N deterministic schedules (seeds
 * 1..N of the strategy: the same code gets the same verdict every time)
 * until one fails; the failure names its schedule and how to replay it.
 * Returns { passed =, failed =, total =, metrics =, cases = { { name =, ok
 * =, message =, schedule =, notes =, metrics = }, ... }, passes = { tsan
 * = <the same for that pass> } }, the counts over every pass. */
static int api_run_tests(lua_State *L)
{
	struct check_ctx *c = check_ctx_of(L);
	struct harness_opts o = HARNESS_OPTS_INIT;
	const struct program *prog = NULL;
	int passes, summary;

	o.max_failures = c->ex->policy.max_failures > 0 ? c->ex->policy.max_failures : 5;
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		api_harness_opts(L, c, 3, &o);
	}
	if (!lua_isnil(L, 2)) {
		prog = luaL_checkudata(L, 2, PROGRAM_META);
		if (!prog->harness)
			return luaL_error(L, "run_tests needs a program built with harness = '<file>.c'");
		/* On one thread TSan takes every goroutine switch for
		 * synchronisation, so deterministic schedules show it nothing
		 * (and a fork per schedule leaves it blind to the runtime's
		 * own): a TSan program runs its cases on real threads. */
		if (strcmp(prog->flavour, "tsan") == 0)
			o.sc.n = 0;
	}
	/* the harness's cases, asked once for every pass */
	if (prog) {
		struct buf listing = BUF_INIT;
		bool started = list_cases(L, c, prog, &listing) == 0;

		lua_pushstring(L, started ? listing.s : err_msg());   /* anchored here */
		buf_release(&listing);
		if (started)
			o.listing = lua_tostring(L, -1);
		else
			o.list_error = lua_tostring(L, -1);
		o.listed = prog;
	}
	/* the sanitizer passes start first, side by side with this one */
	passes = api_passes_start(L, c, prog ? 2 : 0, lua_isnoneornil(L, 3) ? 0 : 3, &o);
	check_pass_event(c->v, prog ? prog->flavour : "normal", true);
	api_harness_cases(L, c, prog, &o);
	check_pass_event(c->v, prog ? prog->flavour : "normal", false);
	check_enough(L, c);     /* then the passes beside it end unheard */
	summary = lua_gettop(L);
	api_passes_finish(L, c, passes, summary);
	lua_pushvalue(L, summary);
	return 1;
}

const luaL_Reg api_harness_lib[] = {
	{ "run_tests", api_run_tests },
	{ NULL, NULL },
};

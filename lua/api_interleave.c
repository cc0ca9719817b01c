/*
 * api_interleave — the interleaving behind a failure found under a
 * deterministic schedule, for the learner to step through (the shell's
 * `i` view; docs/results.md, tests[].interleaving).
 *
 * When a harness case fails under schedule S, the case is run once more
 * under S alone with CHANLAB_SCHED_LOG: the runtime replays the same run
 * (runtime/det.c) and writes each scheduling decision with how the
 * goroutine that ran before it stopped — blocked on what, yielded, or
 * finished — and at which line. The log comes back from the sandbox's
 * private folder (it was written by the learner's program: read as
 * hostile input, every field bounded) and becomes JSON:
 *
 *   { "schedule": "pct:4:3", "steps": [
 *       { "g": 3, "after": 1, "what": "chan send", "file": "pool.c",
 *         "line": 41, "func": "worker" }, ... ] }
 *
 * step i says: goroutine `after` ran until it stopped (`what`, at
 * file:line in func), then goroutine `g` was chosen. The first step has
 * no `after`. A wait on a channel also has the channel as it was then,
 * `state` ("the channel made at pool.c:12 holds 1 of 1; 2 senders and 0
 * receivers wait"), and a wait on a mutex who holds it ("the mutex G3
 * locked at bank.c:20; 2 goroutines wait for it"): the log line ends
 * " | <state>".
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "lua/check_int.h"

#define LOG_FILE "chanlab-sched.log"
enum { MAX_STEPS = 5000 };

/* One log line into JSON: "12 G3 after G1 chan send at pool.c:41 worker". */
static void step_json(struct buf *b, char *line)
{
	char *p = line, *end, *what, *at, *colon, *func;
	unsigned long g, prev = 0;
	long ln = 0;

	strtoul(p, &end, 10);
	if (end == p || strncmp(end, " G", 2) != 0)
		return;
	g = strtoul(end + 2, &end, 10);
	buf_printf(b, "%s{\"g\":%lu", b->len && b->s[b->len - 1] != '[' ? "," : "", g);
	if (strncmp(end, " after G", 8) == 0) {
		char *state = strstr(end, " | ");

		if (state) {
			*state = '\0';
			state += 3;
		}
		prev = strtoul(end + 8, &what, 10);
		if (*what == ' ')
			what++;
		at = strstr(what, " at ");
		if (at)
			*at = '\0';
		buf_printf(b, ",\"after\":%lu,\"what\":", prev);
		buf_json_str(b, what);
		if (at) {
			char *loc = at + 4;

			func = strchr(loc, ' ');
			if (func)
				*func++ = '\0';
			colon = strrchr(loc, ':');
			if (colon) {
				*colon = '\0';
				ln = strtol(colon + 1, NULL, 10);
			}
			buf_puts(b, ",\"file\":");
			buf_json_str(b, loc);
			buf_printf(b, ",\"line\":%ld,\"func\":", ln);
			buf_json_str(b, func ? func : "");
		}
		if (state) {
			buf_puts(b, ",\"state\":");
			buf_json_str(b, state);
		}
	}
	buf_puts(b, "}");
}

char *api_interleaving(lua_State *L, struct check_ctx *c, const struct run_spec *base, const char **env,
		       size_t nenv, const char *name, const char *spec)
{
	struct run_spec s = *base;
	const char *args[] = { "--run", name, NULL };
	char sched_env[96], log_env[64];
	struct proc_result pr;
	struct buf lines = BUF_INIT, j = BUF_INIT;
	const char *saved[2] = { env[nenv], env[nenv + 1] };
	size_t nsteps = 0;

	snprintf(sched_env, sizeof(sched_env), "CHANLAB_SCHED=%s", spec);
	snprintf(log_env, sizeof(log_env), "CHANLAB_SCHED_LOG=%s", LOG_FILE);
	env[nenv] = sched_env;
	env[nenv + 1] = log_env;
	s.args = args;
	s.fetch = LOG_FILE;
	s.what = NULL;
	if (api_harness_run(L, c, &s, &pr, &lines) < 0) {
		env[nenv] = saved[0], env[nenv + 1] = saved[1];
		buf_release(&lines);
		return NULL;
	}
	env[nenv] = saved[0], env[nenv + 1] = saved[1];
	if (pr.fetched) {
		buf_puts(&j, "{\"schedule\":");
		buf_json_str(&j, spec);
		buf_puts(&j, ",\"steps\":[");
		for (char *p = pr.fetched; p && *p && nsteps < MAX_STEPS;) {
			char *nl = strchr(p, '\n');

			if (nl)
				*nl = '\0';
			if (*p != '#' && strlen(p) < 1024) {
				step_json(&j, p);
				nsteps++;
			}
			p = nl ? nl + 1 : NULL;
		}
		buf_puts(&j, "]}");
	}
	proc_result_release(&pr);
	buf_release(&lines);
	if (!nsteps || j.oom) {
		buf_release(&j);
		return NULL;
	}
	return buf_detach(&j);
}

/*
 * leak.c — the goroutine leak check, uber-go/goleak's idea built in.
 *
 * Data model
 *   A leak is a goroutine other than the caller that is still alive (not
 *   dead) when the caller thinks the work is done: at the end of a test
 *   case (harness/chanlab_test.h) or when go_main returns (sched.c).  As
 *   goleak does, the check looks again with backoff (1 us doubling to
 *   100 ms, 20 tries) before it believes it, so a goroutine on its way out
 *   is not reported; with no other goroutine alive it answers at once.
 *
 *   Ignore lists (fixed arrays of copied strings, set before the check
 *   runs, read without a lock): functions (any frame of the goroutine, or
 *   its start function) and creation sites ("file.c" or "file.c:42",
 *   matched on the base name of the go_spawn site).  CHANLAB_LEAKCHECK_IGNORE
 *   adds entries from the environment, once, on the first check.
 *
 *   The switch is CHANLAB_LEAKCHECK=0/1 (unset: off); the last entry in the
 *   environment wins, so an exercise's own env can override the checker's
 *   default.  `reported` remembers a report was printed, so the check at
 *   go_main's return does not print the same goroutines again.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

extern char **environ;

#define MAX_IGNORE 64
#define RETRIES 20
#define MAX_SLEEP (100 * GO_MILLISECOND)

static char *ign_func[MAX_IGNORE], *ign_site[MAX_IGNORE];
static int nign_func, nign_site;
static int env_read;            /* CHANLAB_LEAKCHECK_IGNORE taken in */
static int reported;

static const char *last_env(const char *name)
{
	size_t len = strlen(name);
	const char *v = NULL;

	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			v = *e + len + 1;
	return v;
}

bool go_leakcheck_enabled(void)
{
	const char *v = last_env("CHANLAB_LEAKCHECK");
	return v && strcmp(v, "1") == 0;
}

void go_leakcheck_ignore_function(const char *name)
{
	if (name && nign_func < MAX_IGNORE)
		ign_func[nign_func++] = strdup(name);
}

void go_leakcheck_ignore_created(const char *site)
{
	if (site && nign_site < MAX_IGNORE)
		ign_site[nign_site++] = strdup(site);
}

static void read_env(void)
{
	const char *v = last_env("CHANLAB_LEAKCHECK_IGNORE");
	char *copy, *tok, *save;

	env_read = 1;
	if (!v || !(copy = strdup(v)))
		return;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		strchr(tok, '.') ? go_leakcheck_ignore_created(tok) :
			go_leakcheck_ignore_function(tok);
	free(copy);
}

static const char *base(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static bool site_ignored(go__g *g)
{
	if (!g->create_line)
		return false;
	for (int i = 0; i < nign_site; i++) {
		const char *s = ign_site[i], *colon = strrchr(s, ':');
		size_t flen = colon ? (size_t)(colon - s) : strlen(s);
		const char *b = base(g->create_file);
		const char *sb = base(s);

		if (sb > s + flen)
			continue;
		flen -= (size_t)(sb - s);
		if (strlen(b) != flen || strncmp(b, sb, flen) != 0)
			continue;
		if (!colon || atoi(colon + 1) == g->create_line)
			return true;
	}
	return false;
}

static int func_match(void *data, const char *file, int line, const char *func)
{
	(void)file, (void)line;
	if (!func)
		return 0;
	for (int i = 0; i < nign_func; i++)
		if (strcmp(func, ign_func[i]) == 0)
			return 1;
	(void)data;
	return 0;
}

static bool func_ignored(go__g *g)
{
	uintptr_t pcs[GO__TB_MAX];
	bool exact;
	int n;

	if (!nign_func)
		return false;
	pcs[0] = (uintptr_t)g->fn;
	if (go__tb_frames(pcs, 1, true, func_match, NULL))
		return true;
	if (ld_relaxed(&g->status) != GO__G_WAITING)
		return false;
	n = go__g_frames(g, pcs, GO__TB_MAX, &exact);
	return go__tb_frames(pcs, n, exact, func_match, NULL) != 0;
}

/* The goroutines that count as leaked, into v (up to max); how many. */
static int unexpected(go__g *self, go__g **v, int max)
{
	int n = 0;

	for (go__g *g = ld_acquire(&go__sched_state.allg); g; g = g->all_link) {
		uint32_t st = ld_acquire(&g->status);
		if (g == self || st == GO__G_DEAD || st == GO__G_IDLE)
			continue;
		if (site_ignored(g) || func_ignored(g))
			continue;
		if (n < max)
			v[n] = g;
		n++;
	}
	return n;
}

static void pause_ns(go__g *self, int64_t ns)
{
	if (self) {
		go_sleep(ns);
	} else {
		struct timespec ts = { ns / GO_SECOND, ns % GO_SECOND };
		nanosleep(&ts, NULL);
	}
}

int go_leakcheck(void)
{
	go__m *m = go__tls_m;
	go__g *self = m ? m->curg : NULL;
	static go__g *v[256];
	int64_t sleep = GO_MICROSECOND;
	int n = 0;

	if (go_num_goroutine() <= (self ? 1 : 0))
		return 0;
	if (!env_read)
		read_env();
	int total = 0;
	for (int i = 0;; i++) {
		if ((n = total = unexpected(self, v, 256)) == 0)
			return 0;
		if (i == RETRIES)
			break;
		pause_ns(self, sleep);
		sleep = sleep * 2 > MAX_SLEEP ? MAX_SLEEP : sleep * 2;
	}
	if (n > 256)
		n = 256;   /* the rest are counted below */
	for (int i = 1; i < n; i++)   /* by id, as a dump is */
		for (int j = i; j > 0 && v[j - 1]->id > v[j]->id; j--) {
			go__g *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	fflush(stdout);
	go__printf("found unexpected goroutines:\n");
	for (int i = 0; i < n; i++) {
		go__printf("\n");
		go__dump_g(v[i], NULL, 0);
	}
	if (total > n)
		go__printf("\n...and %d more\n", total - n);
	go__print_flush();
	st_release(&reported, 1);
	return total;
}

bool go__leakcheck_at_exit(void)
{
	if (ld_acquire(&reported) || !go_leakcheck_enabled())
		return false;
	return go_leakcheck() > 0;
}

/*
 * verify_wrong — wrong solutions, the starter's failures and the metadata
 * checks of 'chanlab verify'; see verify.h.
 *
 * Data model: a wrong solution is the folder wrong/NAME/ of an exercise;
 * the files it holds replace the solution's, the rest come from
 * solution/. Both are copied into <cachedir>/wrong/NAME/src, which the
 * check then reads as it reads a learner's folder (env.solution false), so
 * a wrong solution is graded exactly as a learner's file would be. The
 * expectation is the marker comment in its files (the same one repeated
 * on each line the mistake may be reported at); a verdict meets it when a
 * failed test has the marker's kind and, unless `anywhere`, its report or
 * its message or output names one of the marker's file:lines. A kind
 * whose failures carry no location (a harness assertion, a benchmark)
 * takes `anywhere`: verify never pretends to have matched a line.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fs.h"
#include "checker/kind.h"
#include "tui/verify.h"

static const char marker_open[] = "/* wrong:";
static const char marker_form[] = "a marker must read /* wrong: KIND */, /* wrong: KIND anywhere */ "
				  "or /* wrong: KIND or KIND ... */";

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool is_learner_file(const struct pack_exercise *ex, const char *name)
{
	for (size_t i = 0; ex->files[i]; i++)
		if (strcmp(ex->files[i], name) == 0)
			return true;
	return false;
}

/* Parses the markers of one file's text into m[0..max); returns how many
 * it has, or -1 for a malformed one or more than max (why in buf). */
static int markers_in(const char *name, const char *text, struct verify_marker *m, int max, char *buf,
		      size_t size)
{
	int n = 0, line = 1;

	for (const char *s = text; *s; s++) {
		const char *k, *e;
		struct verify_marker *x;

		if (*s == '\n')
			line++;
		if (strncmp(s, marker_open, sizeof(marker_open) - 1) != 0)
			continue;
		if (n == max) {
			snprintf(buf, size, "%s:%d: one marker too many (a mistake is marked on at most %d lines)",
				 name, line, VERIFY_PLACES);
			return -1;
		}
		x = &m[n];
		k = s + sizeof(marker_open) - 1;
		x->nkinds = 0;
		x->anywhere = false;
		for (;;) {
			while (*k == ' ')
				k++;
			for (e = k; islower((unsigned char)*e); e++)
				;
			if (e == k || (size_t)(e - k) >= sizeof(x->kind[0]) ||
			    x->nkinds == sizeof(x->kind) / sizeof(x->kind[0])) {
				snprintf(buf, size, "%s:%d: %s", name, line, marker_form);
				return -1;
			}
			snprintf(x->kind[x->nkinds], sizeof(x->kind[0]), "%.*s", (int)(e - k), k);
			if (!kind_known(x->kind[x->nkinds])) {
				struct buf kinds = BUF_INIT;

				kind_names(&kinds);
				snprintf(buf, size, "%s:%d: '%s' is not a failure kind (%s)", name, line,
					 x->kind[x->nkinds], kinds.s ? kinds.s : "");
				buf_release(&kinds);
				return -1;
			}
			x->nkinds++;
			while (*e == ' ')
				e++;
			if (strncmp(e, "or ", 3) != 0)
				break;
			k = e + 3;
		}
		if (strncmp(e, "anywhere", 8) == 0) {
			x->anywhere = true;
			e += 8;
			while (*e == ' ')
				e++;
		}
		if (strncmp(e, "*/", 2) != 0) {
			snprintf(buf, size, "%s:%d: %s", name, line, marker_form);
			return -1;
		}
		snprintf(x->at[0].file, sizeof(x->at[0].file), "%s", name);
		x->at[0].line = line;
		x->nat = 1;
		n++;
	}
	return n;
}

/* Whether two markers name the same kinds, in the same order. */
static bool same_marker(const struct verify_marker *a, const struct verify_marker *b)
{
	if (a->nkinds != b->nkinds || a->anywhere != b->anywhere)
		return false;
	for (int i = 0; i < a->nkinds; i++)
		if (strcmp(a->kind[i], b->kind[i]) != 0)
			return false;
	return true;
}

int verify_marker_find(const struct pack_exercise *ex, const char *dir, struct verify_marker *m, char *buf,
		       size_t size)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort), found = 0, rc = -1, files = 0;

	if (n < 0) {
		snprintf(buf, size, "cannot read the folder: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX + 300], *text;
		struct verify_marker here[VERIFY_PLACES];
		size_t len;
		int c;

		if (names[i]->d_name[0] == '.')
			continue;
		if (!is_learner_file(ex, names[i]->d_name)) {
			snprintf(buf, size, "%s is not one of the exercise's files", names[i]->d_name);
			goto out;
		}
		files++;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (!(text = fs_read(path, &len))) {
			snprintf(buf, size, "%s", err_msg());
			goto out;
		}
		c = markers_in(names[i]->d_name, text, here, VERIFY_PLACES - found, buf, size);
		free(text);
		if (c < 0)
			goto out;
		for (int j = 0; j < c; j++, found++) {
			if (!found) {
				*m = here[j];
				continue;
			}
			if (!same_marker(m, &here[j]) || m->anywhere) {
				snprintf(buf, size, "%s:%d: %s", here[j].at[0].file, here[j].at[0].line,
					 m->anywhere ? "a marker `anywhere` stands alone"
						     : "its marker differs from the first: a wrong solution "
						       "is one mistake, its marker repeated on each line it may "
						       "be reported at");
				goto out;
			}
			m->at[m->nat++] = here[j].at[0];
		}
	}
	if (!files)
		snprintf(buf, size, "holds none of the exercise's files");
	else if (!found)
		snprintf(buf, size, "has no marker: a wrong solution has one /* wrong: KIND */");
	else
		rc = 0;
out:
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Whether text names file:line ("./squares.c:14:5: error", "squares.c:14"). */
static bool names_line(const char *text, const char *file, int line)
{
	size_t flen = strlen(file);

	if (!text)
		return false;
	for (const char *s = text; s && (s = strstr(s, file)); s++) {
		char *end;
		long l;

		if (s > text && (isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '-'))
			continue;
		if (s[flen] != ':' || !isdigit((unsigned char)s[flen + 1]))
			continue;
		l = strtol(s + flen + 1, &end, 10);
		if (l == line)
			return true;
	}
	return false;
}

/* The first file:line of the learner's file in text, into buf; false if none. */
static bool first_line(const char *text, const char *file, char *buf, size_t size)
{
	size_t flen = strlen(file);

	if (!text)
		return false;
	for (const char *s = text; s && (s = strstr(s, file)); s++) {
		if (s > text && (isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '-'))
			continue;
		if (s[flen] == ':' && isdigit((unsigned char)s[flen + 1])) {
			snprintf(buf, size, "%s:%ld", file, strtol(s + flen + 1, NULL, 10));
			return true;
		}
	}
	return false;
}

static const char *test_kind(const struct check_test *t)
{
	return t->hint_on ? t->hint_on : kind_name(KIND_TEST);
}

static bool test_failed(const struct check_test *t)
{
	return t->status == CHECK_FAIL || t->status == CHECK_ERROR;
}

/* Where a failed test says it failed, as "file:line", or "no location". */
static void test_where(const struct check_test *t, const char *file, char *buf, size_t size)
{
	if (t->report && t->report->file && t->report->line > 0) {
		snprintf(buf, size, "%s:%d", t->report->file, t->report->line);
		return;
	}
	if (first_line(t->message, file, buf, size) || first_line(t->output, file, buf, size))
		return;
	snprintf(buf, size, "no location");
}

/* Whether kind is one the marker names, or in the family of one
 * ("sanitizer" is met by a use after free). */
static bool marker_kind(const struct verify_marker *m, const char *kind)
{
	for (int i = 0; i < m->nkinds; i++)
		if (kind_answers(m->kind[i], kind))
			return true;
	return false;
}

/* Whether the failed test names one of the marker's file:lines. */
static bool names_a_place(const struct check_test *t, const struct check_report *r, const struct verify_marker *m)
{
	for (int i = 0; i < m->nat; i++) {
		const char *file = m->at[i].file;
		int line = m->at[i].line;

		if ((r && r->file && r->line == line && strcmp(base_name(r->file), file) == 0) ||
		    names_line(t->message, file, line) || names_line(t->output, file, line))
			return true;
	}
	return false;
}

bool verify_marker_met(const struct check_verdict *v, const struct verify_marker *m, char *buf, size_t size)
{
	struct buf got = BUF_INIT;
	bool met = false;

	if (v->status == CHECK_ERROR) {
		snprintf(buf, size, "a script error: %s", v->message);
		return false;
	}
	for (size_t i = 0; i < v->ntests && !met; i++) {
		const struct check_test *t = &v->tests[i];
		const struct check_report *r = t->report;
		char where[300];

		if (!test_failed(t))
			continue;
		if (marker_kind(m, test_kind(t)) && (m->anywhere || names_a_place(t, r, m))) {
			met = true;
			break;
		}
		test_where(t, m->at[0].file, where, sizeof(where));
		buf_printf(&got, "%s%s (%s)", got.len ? ", " : "", test_kind(t), where);
	}
	if (!met)
		snprintf(buf, size, "%s", got.len ? got.s : v->status == CHECK_PASS ? "a pass" : "no failed test");
	buf_release(&got);
	return met;
}

/* Appends a formatted line to the string in buf, as much as fits. */
static void __attribute__((format(printf, 3, 4))) add_line(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strnlen(buf, size);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

/* Copies solution/ then wrong/NAME/ over it into src. */
static int overlay(const struct pack_exercise *ex, const char *wdir, const char *src)
{
	fs_rmtree(src);
	if (fs_mkdirs(src) < 0)
		return -1;
	for (size_t i = 0; ex->files[i]; i++) {
		char from[PATH_MAX + 600], to[PATH_MAX + 600];
		struct stat st;

		snprintf(from, sizeof(from), "%s/%s", wdir, ex->files[i]);
		if (stat(from, &st) < 0)
			snprintf(from, sizeof(from), "%s/solution/%s", ex->dir, ex->files[i]);
		snprintf(to, sizeof(to), "%s/%s", src, ex->files[i]);
		if (fs_copy(from, to) < 0)
			return -1;
	}
	return 0;
}

/* check_env.enough: a wrong solution's check stops once it is caught as
 * its marker says (what else it would find is not verify's question). */
static bool caught_as_marked(const struct check_verdict *v, void *arg)
{
	char why[16];

	return verify_marker_met(v, arg, why, sizeof(why));
}

/* What one wrong solution's check came to: caught as its marker says, or
 * the line verify prints about it. */
struct wrong_res {
	bool caught;
	char line[1400];
};

/* Checks wrong/NAME of ex (in wroot): overlays it on the solution below
 * cachedir and grades it as a learner's folder. */
static void wrong_one(const struct check_env *base, const char *cachedir, const struct pack_exercise *ex,
		      const char *wroot, const char *name, struct wrong_res *out)
{
	char wdir[PATH_MAX + 300], src[PATH_MAX + 300], bdir[PATH_MAX + 300], why[1024] = "";
	struct check_env env = *base;
	struct verify_marker m;
	struct check_verdict v;
	bool met;

	memset(out, 0, sizeof(*out));
	snprintf(wdir, sizeof(wdir), "%s/%s", wroot, name);
	snprintf(src, sizeof(src), "%s/wrong/%s/src", cachedir, name);
	snprintf(bdir, sizeof(bdir), "%s/wrong/%s/build", cachedir, name);
	if (verify_marker_find(ex, wdir, &m, why, sizeof(why)) < 0) {
		snprintf(out->line, sizeof(out->line), "\n    wrong/%s: authoring error: %s", name, why);
		return;
	}
	if (overlay(ex, wdir, src) < 0) {
		snprintf(out->line, sizeof(out->line), "\n    wrong/%s: %s", name, err_msg());
		return;
	}
	env.workdir = src;
	env.builddir = bdir;
	env.solution = false;
	env.flavour = NULL;
	env.timeout_scale = 2;
	env.enough = caught_as_marked;
	env.enough_arg = &m;
	if (check_run(&v, ex, &env) < 0) {
		snprintf(out->line, sizeof(out->line), "\n    wrong/%s: %s", name, err_msg());
		return;
	}
	/* a comparison of timings that a loaded machine made inconclusive
	 * passes: a mistake caught by a benchmark gets three runs */
	met = v.status == CHECK_FAIL && verify_marker_met(&v, &m, why, sizeof(why));
	for (int again = 0; again < 2 && !met && marker_kind(&m, kind_name(KIND_BENCHMARK)); again++) {
		check_verdict_release(&v);
		if (check_run(&v, ex, &env) < 0) {
			snprintf(out->line, sizeof(out->line), "\n    wrong/%s: %s", name, err_msg());
			return;
		}
		met = v.status == CHECK_FAIL && verify_marker_met(&v, &m, why, sizeof(why));
	}
	if (met) {
		out->caught = true;
	} else {
		char at[1200] = "", kinds[128] = "";

		for (int k = 0; k < m.nkinds; k++)
			add_line(kinds, sizeof(kinds), "%s%s", k ? " or " : "", m.kind[k]);
		if (m.anywhere)
			snprintf(at, sizeof(at), "(anywhere)");
		else
			for (int a = 0; a < m.nat; a++)
				add_line(at, sizeof(at), "%s%s:%d", a ? " or " : "at ", m.at[a].file, m.at[a].line);
		if (v.status == CHECK_PASS)
			snprintf(why, sizeof(why), "it passes every test");
		else if (v.status != CHECK_FAIL)
			verify_marker_met(&v, &m, why, sizeof(why));
		snprintf(out->line, sizeof(out->line), "\n    wrong/%s: expected %s %s, got %s", name, kinds, at, why);
	}
	check_verdict_release(&v);
}

void verify_pool(size_t n, int width, void *out, size_t size, void (*work)(size_t i, void *out, void *arg),
		 void (*lost)(size_t i, void *out, const char *why, void *arg), void *arg)
{
	pid_t *pids = calloc(n + 1, sizeof(*pids));
	int *fds = calloc(n + 1, sizeof(*fds));
	size_t next = 0;
	int running = 0;
	char why[160];

	if (!pids || !fds) {
		for (size_t i = 0; i < n; i++)
			lost(i, (char *)out + i * size, "out of memory", arg);
		goto done;
	}
	fflush(stdout);     /* a child must not print what the parent has buffered */
	while (next < n || running > 0) {
		int status, p[2];
		pid_t w;

		if (next < n && running < width) {
			void *mine = (char *)out + next * size;

			if (pipe(p) < 0 || (pids[next] = fork()) < 0) {
				snprintf(why, sizeof(why), "cannot start a worker: %s", strerror(errno));
				lost(next++, mine, why, arg);
				continue;
			}
			if (pids[next] == 0) {
				close(p[0]);
				work(next, mine, arg);
				_exit(write(p[1], mine, size) == (ssize_t)size ? 0 : 3);
			}
			close(p[1]);
			fds[next++] = p[0];
			running++;
			continue;
		}
		if ((w = wait(&status)) < 0)
			break;
		for (size_t i = 0; i < next; i++) {
			if (pids[i] != w)
				continue;
			if (read(fds[i], (char *)out + i * size, size) != (ssize_t)size) {
				snprintf(why, sizeof(why), "the worker died (status %d)", status);
				lost(i, (char *)out + i * size, why, arg);
			}
			close(fds[i]);
			pids[i] = 0;
			running--;
		}
	}
done:
	free(pids);
	free(fds);
}

struct wrongs {
	const struct check_env *base;
	const char *cachedir, *wroot;
	const struct pack_exercise *ex;
	struct dirent **names;
};

static void wrong_work(size_t i, void *out, void *arg)
{
	struct wrongs *w = arg;

	wrong_one(w->base, w->cachedir, w->ex, w->wroot, w->names[i]->d_name, out);
}

static void wrong_lost(size_t i, void *out, const char *why, void *arg)
{
	struct wrongs *w = arg;
	struct wrong_res *r = out;

	memset(r, 0, sizeof(*r));
	snprintf(r->line, sizeof(r->line), "\n    wrong/%s: %s", w->names[i]->d_name, why);
}

void verify_wrong(const struct check_env *base, const char *cachedir, const struct pack_exercise *ex, int width,
		  int *total, int *caught, char *buf, size_t size)
{
	struct dirent **names = NULL;
	char wroot[PATH_MAX];
	struct wrong_res *res;
	int n;

	*total = *caught = 0;
	snprintf(wroot, sizeof(wroot), "%s/wrong", ex->dir);
	n = scandir(wroot, &names, NULL, alphasort);
	/* the wrong solutions, folders not starting with a dot */
	for (int i = 0; i < n; i++) {
		char wdir[PATH_MAX + 300];
		struct stat st;

		snprintf(wdir, sizeof(wdir), "%s/%s", wroot, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && stat(wdir, &st) == 0 && S_ISDIR(st.st_mode))
			names[(*total)++] = names[i];
		else
			free(names[i]);
	}
	/* Each is a check of its own folder: width of them at once fill the
	 * time one spends waiting on its programs' sleeps and timeouts. */
	if ((res = calloc((size_t)*total + 1, sizeof(*res))) != NULL) {
		struct wrongs w = { base, cachedir, wroot, ex, names };

		verify_pool((size_t)*total, width, res, sizeof(*res), wrong_work, wrong_lost, &w);
		for (int i = 0; i < *total; i++) {
			*caught += res[i].caught;
			add_line(buf, size, "%s", res[i].line);
		}
	} else {
		add_line(buf, size, "\n    wrong/: out of memory");
	}
	for (int i = 0; i < *total; i++)
		free(names[i]);
	free(names);
	free(res);
}

bool verify_starter(const struct check_verdict *v, const struct pack_exercise *ex, char *buf, size_t size)
{
	int tally[KIND_COUNT] = { 0 };
	size_t failed = 0;
	struct buf out = BUF_INIT;
	bool sound;

	for (size_t i = 0; i < v->ntests; i++) {
		int k;

		if (!test_failed(&v->tests[i]))
			continue;
		failed++;
		k = kind_lookup(test_kind(&v->tests[i]));
		tally[k < 0 ? KIND_TEST : k]++;
	}
	buf_printf(&out, "starter fails: %zu of %zu tests", failed, v->ntests);
	for (int k = 0, first = 1; k < KIND_COUNT; k++)
		if (tally[k]) {
			buf_printf(&out, "%s%s ×%d", first ? " — " : ", ", kind_name((enum kind)k), tally[k]);
			first = 0;
		}
	/* and which ones, by name: the lesson should be visible in them */
	for (size_t i = 0, named = 0; i < v->ntests; i++) {
		if (!test_failed(&v->tests[i]))
			continue;
		if (named++ == 4) {
			buf_printf(&out, ", and %zu more", failed - 4);
			break;
		}
		buf_printf(&out, "%s%s", named == 1 ? ": " : ", ", v->tests[i].name ? v->tests[i].name : "?");
	}
	sound = !(tally[KIND_BUILD] && ex->starter_compiles);
	if (!sound)
		buf_printf(&out, "; unsound: the starter does not compile (a learner would meet a build error, "
			       "not the lesson; say starter_compiles = false if that is the lesson)");
	snprintf(buf, size, "%s", out.s ? out.s : "");
	buf_release(&out);
	return sound;
}

/* Depth-first along `after` from exercise at, looking for start; seen
 * marks exercises already searched (each is searched once, so this is
 * linear in the pack), path holds the ids on the way. true when a cycle
 * back to start was found. */
static bool cycle_from(const struct pack *p, size_t start, size_t at, bool *seen, struct buf *path)
{
	const struct pack_exercise *ex = &p->ex[at];

	seen[at] = true;
	for (size_t i = 0; ex->after && ex->after[i]; i++) {
		const struct pack_exercise *next = pack_find(p, ex->after[i]);
		size_t len = path->len, n;

		if (!next)
			continue;
		n = (size_t)(next - p->ex);
		if (n != start && seen[n])
			continue;
		buf_printf(path, " -> %s", next->id);
		if (n == start || cycle_from(p, start, n, seen, path))
			return true;
		path->len = len;
		path->s[len] = '\0';
	}
	return false;
}

bool verify_meta(const struct pack *p, size_t i, char *buf, size_t size)
{
	const struct pack_exercise *ex = &p->ex[i];
	struct buf why = BUF_INIT, path = BUF_INIT;
	bool ok, *seen;

	for (size_t a = 0; ex->after && ex->after[a]; a++)
		if (!pack_find(p, ex->after[a]))
			buf_printf(&why, "%s'after' names '%s', which is not an exercise of the pack", why.len ? "; " : "",
				 ex->after[a]);
	buf_printf(&path, "%s", ex->id);
	seen = calloc(p->nex, sizeof(*seen));
	if (seen && cycle_from(p, i, i, seen, &path))
		buf_printf(&why, "%s'after' makes a cycle: %s", why.len ? "; " : "", path.s);
	for (size_t h = 0; ex->headers && ex->headers[h]; h++) {
		char hp[PATH_MAX + 300];
		struct stat st;

		snprintf(hp, sizeof(hp), "%s/%s", ex->dir, ex->headers[h]);
		if (stat(hp, &st) < 0 || !S_ISREG(st.st_mode))
			buf_printf(&why, "%sheader '%s' is not a file in %s", why.len ? "; " : "", ex->headers[h], ex->dir);
	}
	ok = why.len == 0;
	snprintf(buf, size, "%s", why.s ? why.s : "");
	buf_release(&why);
	buf_release(&path);
	free(seen);
	return ok;
}

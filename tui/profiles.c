/*
 * profiles — the profiles a learner's checks took, per exercise; see
 * profiles.h.
 *
 * Data model: three folders under <home>/profiles/<key>/ (new, last,
 * prev) of files named <kind>-<n>.pb.gz, read back through checker/profile
 * (they were written by the learner's program: hostile input, bounded) and
 * merged with checker/flame.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/err.h"
#include "base/fs.h"
#include "checker/profile.h"
#include "tui/profiles.h"

#define PROFILE_MAX (16u << 20)

const char *const profiles_kinds[4] = { "cpu", "alloc", "block", "mutex" };

static void folder(char *buf, size_t size, const char *home, const char *key, const char *which)
{
	snprintf(buf, size, "%s/profiles/%s/%s", home, key, which);
}

int profiles_begin(const char *home, const char *key, char *dir, size_t size)
{
	folder(dir, size, home, key, "new");
	if (fs_rmtree(dir) < 0)
		return -1;
	return fs_mkdirs(dir);
}

static bool empty_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return true;
	while (empty && (e = readdir(d)))
		empty = e->d_name[0] == '.';
	closedir(d);
	return empty;
}

int profiles_end(const char *home, const char *key)
{
	char nw[4200], last[4200], prev[4200];

	folder(nw, sizeof(nw), home, key, "new");
	folder(last, sizeof(last), home, key, "last");
	folder(prev, sizeof(prev), home, key, "prev");
	if (empty_dir(nw))
		return fs_rmtree(nw);
	if (fs_rmtree(prev) < 0)
		return -1;
	if (rename(last, prev) < 0 && errno != ENOENT)
		return err_sys("cannot move '%s' aside", last);
	if (rename(nw, last) < 0)
		return err_sys("cannot keep the profiles in '%s'", last);
	return 0;
}

/* The sample type a kind's views show. */
static const char *value_type(const char *kind)
{
	if (strcmp(kind, "cpu") == 0)
		return "cpu";
	if (strcmp(kind, "alloc") == 0)
		return "alloc_space";
	return "delay";
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **profiles_traces(const char *home, const char *key, const char *which)
{
	char dir[4200];
	char **v = calloc(1, sizeof(*v));
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	folder(dir, sizeof(dir), home, key, which);
	if (!v || !(d = opendir(dir)))
		return v;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char **m;

		if (strncmp(e->d_name, "trace-", 6) != 0 || len < 10 || strcmp(e->d_name + len - 4, ".out") != 0)
			continue;
		if (!(m = realloc(v, (n + 2) * sizeof(*v))))
			break;
		v = m;
		if (asprintf(&v[n], "%s/%s", dir, e->d_name) < 0)
			break;
		v[++n] = NULL;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_name);
	return v;
}

const char *profiles_unit(const char *kind)
{
	return strcmp(kind, "alloc") == 0 ? "bytes" : "nanoseconds";
}

int profiles_load(const char *home, const char *key, const char *which, const char *kind, struct flame *f,
		  char *files, size_t size)
{
	char dir[4200], prefix[32];
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d;
	int merged = 0;

	*files = '\0';
	folder(dir, sizeof(dir), home, key, which);
	snprintf(prefix, sizeof(prefix), "%s-", kind);
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : err_sys("cannot read '%s'", dir);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || len < 7 ||
		    strcmp(e->d_name + len - 6, ".pb.gz") != 0)
			continue;
		if (n == cap) {
			char **m = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*m));

			if (!m)
				break;
			names = m;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n && merged >= 0; i++) {
		struct profile p;
		char path[4500];
		int t;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (profile_read(&p, path, PROFILE_MAX) < 0 || (t = profile_type(&p, value_type(kind))) < 0) {
			merged = err_set("%s: %s", path, *err_msg() ? err_msg() : "not a profile of its kind");
		} else if (flame_add(f, &p, t) < 0) {
			merged = -1;
		} else {
			merged++;
		}
		profile_release(&p);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (merged > 0) {
		flame_finish(f);
		snprintf(files, size, "%s/%s-*.pb.gz", dir, kind);
	}
	return merged;
}

void profiles_value(char *buf, size_t size, int64_t v, const char *unit)
{
	double x = (double)v;

	if (strcmp(unit, "bytes") == 0) {
		if (x >= 1e9)
			snprintf(buf, size, "%.2fGB", x / 1e9);
		else if (x >= 1e6)
			snprintf(buf, size, "%.2fMB", x / 1e6);
		else if (x >= 1e3)
			snprintf(buf, size, "%.2fkB", x / 1e3);
		else
			snprintf(buf, size, "%lldB", (long long)v);
	} else if (strcmp(unit, "nanoseconds") == 0) {
		if (x >= 1e9)
			snprintf(buf, size, "%.2fs", x / 1e9);
		else if (x >= 1e6)
			snprintf(buf, size, "%.2fms", x / 1e6);
		else if (x >= 1e3)
			snprintf(buf, size, "%.2fus", x / 1e3);
		else
			snprintf(buf, size, "%lldns", (long long)v);
	} else {
		snprintf(buf, size, "%lld", (long long)v);
	}
}

void profiles_print_top(FILE *out, const struct flame *f, const char *unit, size_t max)
{
	struct flame_row *rows;
	size_t n;
	double sum = 0, total = f->total ? (double)f->total : 1;

	if (flame_top(f, &rows, &n) < 0) {
		fprintf(out, "out of memory\n");
		return;
	}
	fprintf(out, "%10s %6s %6s %10s %6s\n", "flat", "flat%", "sum%", "cum", "cum%");
	for (size_t i = 0; i < n && (!max || i < max); i++) {
		const struct flame_fn *fn = &f->fns[rows[i].fn];
		const char *file = strrchr(fn->file, '/') ? strrchr(fn->file, '/') + 1 : fn->file;
		char flat[32], cum[32];

		sum += (double)rows[i].flat;
		profiles_value(flat, sizeof(flat), rows[i].flat, unit);
		profiles_value(cum, sizeof(cum), rows[i].cum, unit);
		fprintf(out, "%10s %5.2f%% %5.2f%% %10s %5.2f%%  %s", flat, 100 * (double)rows[i].flat / total,
			100 * sum / total, cum, 100 * (double)rows[i].cum / total, fn->name);
		if (*file)
			fprintf(out, "  %s:%lld", file, (long long)rows[i].line);
		fputc('\n', out);
	}
	free(rows);
}

/*
 * pack_path — where packs come from, how several are one, and which
 * exercise a name means among them; see pack.h.
 *
 * Data model: several packs are one struct pack. pack_merge moves another
 * pack's exercises to the end of the first's array and chains that pack on
 * `more`, so a front end indexes every exercise it shows in one array (in
 * pack order, each pack sorted as it loaded) while each exercise keeps its
 * own pack (name, folder, tracks). An exercise's key is its id in the
 * bundled pack (and in the one pack --pack names) and "SLUG:id" in a pack
 * found on the way (pack_qualify): the record and the learner's folders go
 * by the key, so found packs never share them. Every folder is made
 * absolute and canonical before it is loaded (pack_resolve, realpath), so
 * a pack's exercise folders, and the include paths built from them, mean
 * the same from any working directory.
 */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "lua/pack.h"

char *pack_resolve(const char *arg)
{
	char *abs = realpath(arg, NULL), lua[PATH_MAX + 16];

	if (!abs) {
		err_sys("cannot use '%s' as a pack", arg);
		return NULL;
	}
	snprintf(lua, sizeof(lua), "%s/pack.lua", abs);
	if (access(lua, F_OK) < 0) {
		err_set("'%s' is not a pack: it has no pack.lua", arg);
		free(abs);
		return NULL;
	}
	return abs;
}

void pack_qualify(struct pack *p)
{
	for (size_t i = 0; i < p->nex; i++) {
		struct pack_exercise *e = &p->ex[i];
		size_t n = strlen(p->slug) + strlen(e->id) + 2;
		char *key = malloc(n);

		if (!key)
			continue;       /* keeps its bare id */
		snprintf(key, n, "%s:%s", p->slug, e->id);
		free(e->key);
		e->key = key;
	}
}

int pack_merge(struct pack *into, struct pack *other)
{
	struct pack_exercise *ex;
	struct pack **last = &into->more;

	if (other->nex) {
		ex = realloc(into->ex, (into->nex + other->nex) * sizeof(*ex));
		if (!ex)
			return err_set("out of memory");
		into->ex = ex;
		memcpy(into->ex + into->nex, other->ex, other->nex * sizeof(*ex));
		into->nex += other->nex;
		free(other->ex);
		other->ex = NULL;
		other->nex = 0;
	}
	while (*last)
		last = &(*last)->more;
	*last = other;
	return 0;
}

/* Whether into (or a pack merged into it) is the pack in dir or has name. */
static const struct pack *pack_known(const struct pack *into, const char *dir, const char *slug)
{
	for (const struct pack *k = into; k; k = k->more)
		if (strcmp(k->dir, dir) == 0 || strcmp(k->slug, slug) == 0)
			return k;
	return NULL;
}

/* Loads the pack in dir (absolute) and merges it, or notes why not. */
static int add_one(struct pack *into, const char *dir, struct buf *notes)
{
	struct pack *p;
	const struct pack *same;

	if (pack_load(&p, dir) < 0) {
		buf_printf(notes, "the pack in '%s' is left out: %s\n", dir, err_msg());
		return 0;
	}
	if ((same = pack_known(into, dir, p->slug))) {
		if (strcmp(same->dir, dir) != 0)
			buf_printf(notes, "the pack in '%s' is left out: the pack in '%s' has its name '%s'\n", dir,
				   same->dir, p->name);
		pack_free(p);
		return 0;
	}
	pack_qualify(p);
	if (pack_merge(into, p) < 0) {
		pack_free(p);
		return -1;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pack_add_found(struct pack *into, const char *dir, struct buf *notes)
{
	char path[PATH_MAX + 300], *abs;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (!(abs = realpath(dir, NULL)))
		return 0;       /* a folder on the path that does not exist yet */
	snprintf(path, sizeof(path), "%s/pack.lua", abs);
	if (access(path, F_OK) == 0) {
		rc = add_one(into, abs, notes);
		free(abs);
		return rc;
	}
	if (!(d = opendir(abs))) {
		free(abs);
		return 0;
	}
	while ((de = readdir(d)) && rc == 0) {
		char **more;

		snprintf(path, sizeof(path), "%s/%s/pack.lua", abs, de->d_name);
		if (de->d_name[0] == '.' || access(path, F_OK) < 0)
			continue;
		if (!(more = realloc(names, (n + 2) * sizeof(*names))) || !(more[n] = strdup(de->d_name))) {
			names = more ? more : names;
			rc = err_set("out of memory");
			break;
		}
		names = more;
		names[++n] = NULL;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *sub;

		snprintf(path, sizeof(path), "%s/%s", abs, names[i]);
		if ((sub = realpath(path, NULL))) {
			rc = add_one(into, sub, notes);
			free(sub);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(abs);
	return rc;
}

/* Whether the n bytes at s spell the pack of e (its name or slug). */
static bool names_pack(const struct pack_exercise *e, const char *s, size_t n)
{
	return (strlen(e->pack->name) == n && strncmp(e->pack->name, s, n) == 0) ||
	       (strlen(e->pack->slug) == n && strncmp(e->pack->slug, s, n) == 0);
}

/* Whether rest is "slug" or "track/slug" of e. */
static bool names_ex(const struct pack_exercise *e, const char *rest)
{
	const char *slash = strchr(rest, '/');

	if (!slash)
		return strcmp(e->id, rest) == 0;
	return strncmp(e->track, rest, (size_t)(slash - rest)) == 0 && e->track[slash - rest] == '\0' &&
	       strcmp(e->id, slash + 1) == 0;
}

const struct pack_exercise *pack_find(const struct pack *p, const char *id)
{
	const char *sep = strpbrk(id, ":/");

	for (size_t i = 0; i < p->nex; i++)
		if (strcmp(p->ex[i].key, id) == 0)
			return &p->ex[i];
	/* PACK:slug, PACK:track/slug, PACK/slug, PACK/track/slug */
	for (size_t i = 0; sep && i < p->nex; i++)
		if (names_pack(&p->ex[i], id, (size_t)(sep - id)) && names_ex(&p->ex[i], sep + 1))
			return &p->ex[i];
	for (size_t i = 0; i < p->nex; i++)
		if (names_ex(&p->ex[i], id))
			return &p->ex[i];
	return NULL;
}

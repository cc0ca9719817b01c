/*
 * repair — the rows of chanlab commits that have none, rebuilt from git;
 * see repair.h.
 *
 * Data model: an entry is a commit of work/<exercise>/ whose message
 * carries the verdict as trailers (record.c writes them), and a row in
 * attempt naming the commit (attempt.commit_id is unique). Writers take
 * <gitdir>/chanlab.lock (flock), repair, commit, then insert the row.
 * Invariant, given that order: every chanlab commit reachable from HEAD
 * that has no row is newer than every one that has, so repair walks first
 * parents from HEAD until it meets a commit with a row and rebuilds the
 * rows of those it passed. Commits the learner made by hand (no trailers)
 * are passed over.
 *
 * A progress.db that is missing or empty is rebuilt the same way (every
 * row is then missing); what was left of it is first moved aside, by
 * link and unlink so that nothing is ever replaced.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "data/record.h"
#include "data/repair.h"
#include "data/snap.h"
#include "data/store.h"

/* The chanlab commits repair found without a row, newest first. */
struct missing {
	struct store *store;
	size_t n, cap;
	struct missing_commit {
		char oid[41];
		char *message;
		long long time;
	} *c;
};

static int collect_missing(const char *oid, const char *message, long long time, void *payload)
{
	struct missing *m = payload;
	int has = store_has_commit(m->store, oid);

	if (has != 0)
		return has;      /* 1: the rest is recorded; -1: error */
	if (!strstr(message, "\nChanlab-Exercise: "))
		return 0;        /* the learner's own commit */
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		struct missing_commit *c = realloc(m->c, cap * sizeof(*c));

		if (!c)
			return err_set("out of memory");
		m->c = c;
		m->cap = cap;
	}
	snprintf(m->c[m->n].oid, 41, "%s", oid);
	m->c[m->n].message = strdup(message);
	m->c[m->n].time = time;
	if (!m->c[m->n++].message)
		return err_set("out of memory");
	return 0;
}

/* The row of a chanlab commit, rebuilt from its trailers. */
static int rebuild_row(struct store *store, const struct missing_commit *c)
{
	char ex[256], kind[16] = "check", status[16] = "error", tests[32] = "0/0", secs[32] = "0", at[32];
	struct record_bench bench[16];
	char bench_text[16][256];
	struct store_attempt a = { 0 };
	struct buf json = BUF_INIT;
	size_t nb = 0;
	int rc;

	if (!snap_trailer(c->message, "Chanlab-Exercise", 0, ex, sizeof(ex)))
		return 0;
	snap_trailer(c->message, "Chanlab-Kind", 0, kind, sizeof(kind));
	snap_trailer(c->message, "Chanlab-Status", 0, status, sizeof(status));
	snap_trailer(c->message, "Chanlab-Tests", 0, tests, sizeof(tests));
	snap_trailer(c->message, "Chanlab-Seconds", 0, secs, sizeof(secs));
	a.at = snap_trailer(c->message, "Chanlab-At", 0, at, sizeof(at)) ? atoll(at) : c->time;
	a.exercise = ex;
	a.kind = kind;
	a.status = status;
	sscanf(tests, "%d/%d", &a.passed, &a.total);
	a.seconds = atof(secs);
	a.commit_id = c->oid;
	for (; nb < 16 && snap_trailer(c->message, "Chanlab-Bench", (int)nb, bench_text[nb], 256); nb++) {
		/* "VALUE UNIT RATIO NAME", the name last as it may hold spaces */
		char *save = NULL, *value = strtok_r(bench_text[nb], " ", &save);
		char *unit = strtok_r(NULL, " ", &save), *ratio = strtok_r(NULL, " ", &save);
		char *name = strtok_r(NULL, "", &save);

		bench[nb] = (struct record_bench){ .name = name ? name : "?", .value = value ? atof(value) : 0,
						   .unit = unit ? unit : "", .ratio = ratio ? atof(ratio) : 0 };
	}
	a.bench = bench;
	a.nbench = nb;
	buf_puts(&json, "{\"version\":1,\"exercise\":");
	buf_json_str(&json, ex);
	buf_puts(&json, ",\"status\":");
	buf_json_str(&json, status);
	buf_printf(&json, ",\"message\":\"recovered from the attempts repository after chanlab stopped "
		   "before recording it\",\"seconds\":%s,\"tests\":[],\"recovered\":true}", secs);
	a.result = json.s;
	rc = json.oom ? err_set("out of memory") : store_add_attempt(store, &a, NULL);
	buf_release(&json);
	return rc;
}

int repair_rows(struct snap *snap, struct store *store, size_t *rebuilt)
{
	struct missing m = { .store = store };
	int rc = snap_walk(snap, collect_missing, &m);

	if (rebuilt)
		*rebuilt = 0;
	for (size_t i = m.n; rc >= 0 && i-- > 0; )
		if ((rc = rebuild_row(store, &m.c[i])) >= 0 && rebuilt)
			(*rebuilt)++;
	for (size_t i = 0; i < m.n; i++)
		free(m.c[i].message);
	free(m.c);
	return rc < 0 ? -1 : 0;
}

/* --- progress.db set aside ----------------------------------------------------- */

/* Renames from to to, never replacing a file. 0, 1 if there is no from,
 * -1 (err_msg). */
static int move_aside(const char *from, const char *to)
{
	if (link(from, to) == 0)
		return unlink(from) < 0 ? err_sys("cannot set '%s' aside", from) : 0;
	if (errno == ENOENT)
		return 1;
	/* a file system without hard links: rename, as nothing is there */
	if (errno != EEXIST && access(to, F_OK) < 0 && errno == ENOENT && rename(from, to) == 0)
		return 0;
	return err_sys("cannot set '%s' aside as '%s'", from, to);
}

/* The name of the file db+ext set aside for why at when (the n-th such). */
static void aside_name(char *to, size_t size, const char *db, const char *ext, bool whole,
		       const char *when, const char *why, int n)
{
	char num[16] = "";

	if (n > 1)
		snprintf(num, sizeof(num), "-%d", n);
	if (whole)      /* progress.db.set-aside-<when>-<why>-wal: SQLite finds its -wal there */
		snprintf(to, size, "%s.set-aside-%s-%s%s%s", db, when, why, num, ext);
	else
		snprintf(to, size, "%s%s.set-aside-%s-%s%s", db, ext, when, why, num);
}

int repair_set_aside_db(const char *db, const char *why, char *aside, size_t size)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	char when[32], from[4300], to[4400];
	struct stat st;
	bool whole = lstat(db, &st) == 0;
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H-%M-%S", &tm);
	*aside = '\0';
	for (int n = 1; n < 100; n++) {      /* a name not taken, for all three */
		bool taken = false;

		for (int i = 0; i < 3 && !taken; i++) {
			aside_name(to, sizeof(to), db, ext[i], whole, when, why, n);
			taken = lstat(to, &st) == 0;
		}
		if (taken)
			continue;
		for (int i = whole ? 0 : 1; i < 3; i++) {
			snprintf(from, sizeof(from), "%s%s", db, ext[i]);
			aside_name(to, sizeof(to), db, ext[i], whole, when, why, n);
			if ((rc = move_aside(from, to)) < 0)
				return -1;
			if (rc == 0 && !*aside)
				snprintf(aside, size, "%s", to);
		}
		return 0;
	}
	return err_set("cannot set '%s' aside: too many files are set aside beside it", db);
}

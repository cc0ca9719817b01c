/* data/loose: loose objects read through chanlab's guard, whole or damaged
 * every way a file can be (cut short at every length, a flipped byte, a
 * header that lies, bytes after the end): a whole one reads as libgit2
 * reads it, a damaged one fails at once with the object named, never a
 * hang (libgit2 1.5 alone loops forever on one cut short). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <zlib.h>

#include "base/clock.h"
#include "base/fs.h"
#include "data/loose.h"
#include "tests/tap.h"

static char root[256], objects[300];
static git_repository *repo;
static git_odb *odb;

static char *object_path(const git_oid *id)
{
	static char path[400];
	char hex[41];

	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(path, sizeof(path), "%s/%.2s/%s", objects, hex, hex + 2);
	return path;
}

static void put(const git_oid *id, const void *bytes, size_t len)
{
	char *path = object_path(id), dir[400];

	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
	fs_mkdirs(dir);
	unlink(path);
	fs_write(path, bytes, len);
}

/* Deflates "<header>\0<body>" (zlib, as git does) into out. */
static size_t deflated(const char *header, const char *body, size_t body_len, unsigned char *out, size_t size)
{
	unsigned char raw[1 << 16];
	size_t hl = strlen(header) + 1;
	uLongf n = (uLongf)size;

	memcpy(raw, header, hl);
	memcpy(raw + hl, body, body_len);
	compress(out, &n, raw, (uLong)(hl + body_len));
	return (size_t)n;
}

/* Reads id afresh (no cache: a new repository each time) through the
 * guard; 0 or libgit2's error code, with *secs how long it took. */
static int read_fresh(const git_oid *id, git_odb_object **obj, double *secs)
{
	git_repository *r;
	git_odb *o;
	double t0 = clock_now();
	int rc;

	*obj = NULL;
	if (git_repository_open(&r, root) < 0 || git_repository_odb(&o, r) < 0)
		return -99;
	if (loose_guard(o, objects) < 0)
		rc = -98;
	else
		rc = git_odb_read(obj, o, id);
	*secs = clock_now() - t0;
	git_odb_free(o);
	git_repository_free(r);
	return rc;
}

static int count_object(const git_oid *id, void *payload)
{
	(void)id;
	++*(int *)payload;
	return 0;
}

static bool says(const char *what)
{
	const git_error *e = git_error_last();

	return e && e->message && strstr(e->message, what);
}

int main(void)
{
	static const char text[] = "int main(void) { return 0; }\n/* some learner code */\n";
	unsigned char whole[4096], bad[4096];
	size_t len, cut_bad = 0, cut_slow = 0;
	git_odb_object *obj;
	git_oid id, big_id;
	double secs, worst = 0;
	char hex[41], *big;

	plan(18);
	git_libgit2_init();
	snprintf(root, sizeof(root), "/tmp/chanlab-loose-%d", (int)getpid());
	snprintf(objects, sizeof(objects), "%s/.git/objects", root);
	ok(git_repository_init(&repo, root, 0) == 0 && git_repository_odb(&odb, repo) == 0, "a repository");
	git_odb_hash(&id, text, sizeof(text) - 1, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &id);
	len = deflated("blob 53", text, sizeof(text) - 1, whole, sizeof(whole));
	ok(strlen(text) == 53, "the body is 53 bytes");

	put(&id, whole, len);
	ok(read_fresh(&id, &obj, &secs) == 0 && git_odb_object_size(obj) == 53 &&
	   memcmp(git_odb_object_data(obj), text, 53) == 0 && git_odb_object_type(obj) == GIT_OBJECT_BLOB,
	   "a whole object reads as it was written");
	git_odb_object_free(obj);

	/* Cut short at every length. */
	for (size_t n = 0; n < len; n++) {
		put(&id, whole, n);
		if (read_fresh(&id, &obj, &secs) == 0 || !says(hex) || !says("is damaged"))
			cut_bad++;
		if (secs > 1.0)
			cut_slow++;
		if (secs > worst)
			worst = secs;
		git_odb_object_free(obj);
	}
	is_int(cut_bad, 0, "cut short at each of %zu lengths: fails, naming the object and the damage", len);
	is_int(cut_slow, 0, "and each at once (the slowest took %.1f ms)", worst * 1e3);
	put(&id, whole, len - 8);
	read_fresh(&id, &obj, &secs);
	ok(says("the file ends before the object does (it was cut short)"), "in plain words: %s",
	   git_error_last() ? git_error_last()->message : "");

	/* A flipped byte in the compressed data. */
	memcpy(bad, whole, len);
	bad[len / 2] ^= 0x55;
	put(&id, bad, len);
	ok(read_fresh(&id, &obj, &secs) < 0 && (says("is damaged") || says("mismatch")), "a flipped byte fails: %s",
	   git_error_last() ? git_error_last()->message : "");

	/* Headers that lie, a header that is none, bytes after the end. */
	put(&id, bad, deflated("blob 999", text, 53, bad, sizeof(bad)));
	ok(read_fresh(&id, &obj, &secs) < 0 && says("holds less than its header says"), "a header naming more bytes");
	put(&id, bad, deflated("blob 20", text, 53, bad, sizeof(bad)));
	ok(read_fresh(&id, &obj, &secs) < 0 && says("does not end where its header says"), "a header naming fewer");
	put(&id, bad, deflated("blob 99999999999", text, 53, bad, sizeof(bad)));
	ok(read_fresh(&id, &obj, &secs) < 0 && says("a size its file cannot hold"), "a size no file that small holds");
	put(&id, bad, deflated("blurb 53", text, 53, bad, sizeof(bad)));
	ok(read_fresh(&id, &obj, &secs) < 0 && says("its header is unreadable"), "a header that is none");
	memcpy(bad, whole, len);
	memcpy(bad + len, "tail", 4);
	put(&id, bad, len + 4);
	ok(read_fresh(&id, &obj, &secs) < 0 && says("goes on after the object's end"), "bytes after the end");
	put(&id, "", 0);
	ok(read_fresh(&id, &obj, &secs) < 0 && says("cut short"), "an empty file");

	/* A missing object is libgit2's to report; a big one reads whole. */
	unlink(object_path(&id));
	ok(read_fresh(&id, &obj, &secs) == GIT_ENOTFOUND, "a missing object: not found, as libgit2 says");
	big = malloc(1 << 20);
	for (size_t i = 0; i < (1 << 20); i++)
		big[i] = (char)('a' + (i * 7 + i / 1000) % 26);
	ok(git_blob_create_from_buffer(&big_id, repo, big, 1 << 20) == 0, "a 1 MiB file written by libgit2");
	ok(read_fresh(&big_id, &obj, &secs) == 0 && git_odb_object_size(obj) == (1 << 20) &&
	   memcmp(git_odb_object_data(obj), big, 1 << 20) == 0, "reads whole through the guard (%.2f ms)", secs * 1e3);
	git_odb_object_free(obj);
	{
		size_t size = 0;
		git_object_t type;
		git_repository *r;
		git_odb *o;

		git_repository_open(&r, root);
		git_repository_odb(&o, r);
		loose_guard(o, objects);
		ok(git_odb_read_header(&size, &type, o, &big_id) == 0 && size == (1 << 20) && type == GIT_OBJECT_BLOB,
		   "its header alone is read too");
		git_odb_free(o);
		git_repository_free(r);
	}
	{
		git_repository *r;
		git_odb *o;
		int n = 0, rc;

		git_repository_open(&r, root);
		git_repository_odb(&o, r);
		loose_guard(o, objects);
		rc = git_odb_foreach(o, count_object, &n);

		ok(rc == 0 && n >= 1, "listing the objects still works (%d)", n);
		git_odb_free(o);
		git_repository_free(r);
	}
	free(big);
	git_odb_free(odb);
	git_repository_free(repo);
	fs_rmtree(root);
	git_libgit2_shutdown();
	return done();
}

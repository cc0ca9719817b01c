/*
 * snapcheck — the attempts repository, continued: checking the last
 * attempt before anything is built on it or shown from it; see snap.h
 * (snap_verify).
 *
 * Data model: the last attempt is HEAD's commit and the tree of folders
 * and files below it. A new snapshot names that tree's folders again (the
 * index caches them) and, in the exercise it is of, the files the learner
 * did not change, so all of those must be there: folders are read (a
 * damaged one fails in the loose object guard, loose.h), files are looked
 * up, and the exercise's files are read whole.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "base/err.h"
#include "data/snap.h"
#include "data/snap_int.h"

/* Says what is wrong with object id, the `kind` ("folder", "file") at path
 * in the last attempt, after a failed read (rc) or a failed existence check
 * (rc 0). Returns -1. */
static int object_damaged(struct snap *s, const char *kind, const char *path, const git_oid *id, int rc)
{
	const git_error *e = git_error_last();
	char hex[41];

	git_oid_tostr(hex, sizeof(hex), id);
	if (rc == 0 || rc == GIT_ENOTFOUND)
		return snap__damaged(s, "the %s '%s' of the last attempt (object %s) is missing", kind, path, hex);
	return snap__damaged(s, "the %s '%s' of the last attempt cannot be read: %s", kind, path,
			    e && e->message ? e->message : "unknown libgit2 error");
}

/* Checks the folder t at path (prefix "dir/" or "") of the last attempt:
 * each folder below read, each file there (read whole when whole). */
static int verify_tree(struct snap *s, git_odb *odb, git_tree *t, const char *prefix, bool whole, int depth)
{
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const git_oid *id = git_tree_entry_id(e);
		char path[4096];
		int rc = 0;

		if (snprintf(path, sizeof(path), "%s%s", prefix, git_tree_entry_name(e)) >= (int)sizeof(path) - 1)
			return err_set("a path in '%s' is too long: '%s...'", s->gitdir, prefix);
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;

			if (depth > 64)
				return snap__damaged(s, "the folder '%s' of the last attempt is nested too deep", path);
			if ((rc = git_tree_lookup(&sub, s->repo, id)) < 0)
				return object_damaged(s, "folder", path, id, rc);
			strcat(path, "/");
			rc = verify_tree(s, odb, sub, path, whole, depth + 1);
			git_tree_free(sub);
			if (rc < 0)
				return -1;
		} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			git_odb_object *o = NULL;

			if (whole && (rc = git_odb_read(&o, odb, id)) < 0)
				return object_damaged(s, "file", path, id, rc);
			git_odb_object_free(o);
			if (!whole && !git_odb_exists(odb, id))
				return object_damaged(s, "file", path, id, 0);
		}
	}
	return 0;
}

int snap_verify(struct snap *s, const char *exercise)
{
	git_commit *c = NULL;
	git_tree *tree = NULL, *t = NULL;
	git_odb *odb = NULL;
	git_oid id, sub;
	char hex[41], prefix[4200];
	int rc = snap_head(s, hex);

	if (rc != 0)
		return rc < 0 ? -1 : 0;        /* no attempt yet */
	git_oid_fromstr(&id, hex);
	if ((rc = git_commit_lookup(&c, s->repo, &id)) < 0) {
		const git_error *e = git_error_last();

		if (rc == GIT_ENOTFOUND)
			rc = snap__damaged(s, "the last attempt (commit %s) is missing", hex);
		else
			rc = snap__damaged(s, "the last attempt (commit %s) cannot be read: %s", hex,
					  e && e->message ? e->message : "unknown libgit2 error");
		goto out;
	}
	if ((rc = git_commit_tree(&tree, c)) < 0) {
		rc = object_damaged(s, "folder", "work", git_commit_tree_id(c), rc);
		goto out;
	}
	if (git_repository_odb(&odb, s->repo) < 0) {
		rc = snap__fail("cannot read the objects of", s->gitdir);
		goto out;
	}
	if (!exercise) {
		rc = verify_tree(s, odb, tree, "", false, 0);
	} else if (snap__subtree(tree, exercise, &sub)) {
		if ((rc = git_tree_lookup(&t, s->repo, &sub)) < 0)
			rc = object_damaged(s, "folder", exercise, &sub, rc);
		else if (snprintf(prefix, sizeof(prefix), "%s/", exercise) < (int)sizeof(prefix))
			rc = verify_tree(s, odb, t, prefix, true, 1);
	}
out:
	git_odb_free(odb);
	git_tree_free(t);
	git_tree_free(tree);
	git_commit_free(c);
	return rc < 0 ? -1 : 0;
}

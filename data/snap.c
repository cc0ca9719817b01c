/*
 * snap — libgit2 snapshots; see snap.h.
 *
 * Data model: the repository's own index is the staging area, as with git
 * itself; a snapshot updates the index for one folder, writes a tree from
 * it and commits that tree with HEAD as parent.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "checker/err.h"
#include "data/snap.h"

struct snap {
	git_repository *repo;
	char *root;
};

static int git_fail(const char *what, const char *on)
{
	const git_error *e = git_error_last();

	return err_set("%s '%s': %s", what, on, e && e->message ? e->message : "unknown libgit2 error");
}

int snap_open(struct snap **out, const char *workroot)
{
	struct snap *s = calloc(1, sizeof(*s));
	char dotgit[4096];

	*out = NULL;
	if (!s)
		return err_set("out of memory");
	git_libgit2_init();
	s->root = strdup(workroot);
	snprintf(dotgit, sizeof(dotgit), "%s/.git", workroot);
	if (access(dotgit, F_OK) == 0) {
		if (git_repository_open_ext(&s->repo, workroot, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
			git_fail("the attempts repository is damaged and was left as it is; "
				 "move it aside to start a new one:", dotgit);
			goto fail;
		}
	} else if (git_repository_init(&s->repo, workroot, 0) < 0) {
		git_fail("cannot create the attempts repository in", workroot);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	snap_free(s);
	return -1;
}

void snap_free(struct snap *s)
{
	if (!s)
		return;
	git_repository_free(s->repo);
	free(s->root);
	free(s);
	git_libgit2_shutdown();
}

int snap_commit(struct snap *s, const char *exercise, const char *message, char oid[41])
{
	char *spec[] = { (char *)(uintptr_t)exercise };
	git_strarray paths = { spec, 1 };
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_index *index = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id, head_id;
	int rc = -1;

	if (git_repository_index(&index, s->repo) < 0 ||
	    git_index_add_all(index, &paths, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
	    git_index_update_all(index, &paths, NULL, NULL) < 0 ||
	    git_index_write(index) < 0 ||
	    git_index_write_tree(&tree_id, index) < 0 ||
	    git_tree_lookup(&tree, s->repo, &tree_id) < 0) {
		git_fail("cannot snapshot your files in", s->root);
		goto out;
	}
	if (git_reference_name_to_id(&head_id, s->repo, "HEAD") == 0 &&
	    git_commit_lookup(&parent, s->repo, &head_id) < 0) {
		git_fail("cannot read the last attempt in", s->root);
		goto out;
	}
	if (git_signature_default(&sig, s->repo) < 0 &&
	    git_signature_now(&sig, "chanlab learner", "learner@chanlab.invalid") < 0) {
		git_fail("cannot make a commit signature in", s->root);
		goto out;
	}
	if (git_commit_create_v(&commit_id, s->repo, "HEAD", sig, sig, NULL, message, tree,
				parent ? 1 : 0, parent) < 0) {
		git_fail("cannot commit your files in", s->root);
		goto out;
	}
	git_oid_tostr(oid, 41, &commit_id);
	rc = 0;
out:
	git_signature_free(sig);
	git_commit_free(parent);
	git_tree_free(tree);
	git_index_free(index);
	return rc;
}

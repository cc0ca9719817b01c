/*
 * snap — libgit2 snapshots; see snap.h.
 *
 * Data model: the repository's own index is the staging area, as with git
 * itself; a snapshot updates the index for one folder, writes a tree from
 * it, writes a commit of that tree with HEAD as parent, and only then moves
 * the branch HEAD points at. A crash before the last step leaves an
 * unreferenced commit, which is harmless; one after it leaves a commit the
 * caller may not have recorded yet (record repairs that).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "base/err.h"
#include "base/fs.h"
#include "data/crash.h"
#include "data/loose.h"
#include "data/snap.h"
#include "data/snap_int.h"

int snap__fail(const char *what, const char *on)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "unknown libgit2 error";
	const char *todo = "";
	struct statvfs v;

	if (strstr(msg, "No space") || strstr(msg, "too large") ||
	    (statvfs(on, &v) == 0 && v.f_bavail == 0))
		todo = "; the disk is full: free some space and try again";
	else if (strstr(msg, "Read-only") || strstr(msg, "ermission denied"))
		todo = "; chanlab must be able to write there: make it writable, or pass --home DIR";
	else if (strstr(msg, "is damaged: "))     /* the loose object guard's word */
		todo = "; " REPO_TODO;
	else if (strstr(msg, "corrupt") || strstr(msg, "invalid") || strstr(msg, "not found") ||
		 strstr(msg, "failed to parse") || strstr(msg, "hash mismatch"))
		todo = "; the attempts repository may be damaged: " REPO_TODO;
	return err_set("%s '%s': %s%s", what, on, msg, todo);
}

int snap__damaged(const struct snap *s, const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set("the attempts repository '%s' is damaged: %s; " REPO_TODO, s->gitdir, what);
}

/* Editors' and compilers' leftovers are never snapshotted; the learner may
 * edit the list (work/.gitignore, as with git). */
static const char ignore_text[] =
	"# chanlab: files never snapshotted (editors' and compilers' leftovers)\n"
	"*~\n.*.sw?\n\\#*\\#\n.#*\n.DS_Store\n*.o\n*.a\n*.so\na.out\ncore\ncore.[0-9]*\nvgcore.*\n";

static int write_ignore(const char *workroot)
{
	char path[4200];
	FILE *f;

	if (fs_join(path, sizeof(path), workroot, ".gitignore") < 0)
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	if (!(f = fopen(path, "w")) || fputs(ignore_text, f) < 0 || fclose(f) != 0)
		return err_sys("cannot write '%s'", path);
	return 0;
}

/* Creates workroot/.git whole or not at all: initialised in a folder of
 * its own, then renamed into place, so a crash leaves no half repository.
 * If another chanlab made one meanwhile, that one is kept. */
static int create_repo(const char *workroot)
{
	char name[64], tmp[4200], from[4300], to[4300];
	git_repository *repo = NULL;
	int rc = 0;

	fs_sweep_dead(workroot, ".chanlab-init-");
	snprintf(name, sizeof(name), ".chanlab-init-%d", (int)getpid());
	if (fs_join(tmp, sizeof(tmp), workroot, name) < 0 || fs_join(from, sizeof(from), tmp, ".git") < 0 ||
	    fs_join(to, sizeof(to), workroot, ".git") < 0)
		return -1;
	if (fs_rmtree(tmp) < 0)
		return -1;
	if (git_repository_init(&repo, tmp, 0) < 0) {
		rc = snap__fail("cannot create the attempts repository in", workroot);
		goto out;
	}
	git_repository_free(repo);
	crash_point("repository: made, not yet in place");
	if (rename(from, to) < 0 && errno != EEXIST && errno != ENOTEMPTY)
		rc = err_sys("cannot create the attempts repository '%s'", to);
out:
	fs_rmtree(tmp);
	return rc;
}

static pthread_t warm_thread;
static bool warming;

static void *warm(void *unused)
{
	(void)unused;
	git_libgit2_init();     /* its reference is kept: libgit2 stays up */
	return NULL;
}

/* A fork that goes on running chanlab (a pass's worker, a verify job)
 * waits for the thread first, so that the child never inherits libgit2
 * half started. (The sandbox's clone and the compiler's exec need not.) */
void snap_warm(void)
{
	static bool registered;

	if (!registered)
		registered = pthread_atfork(snap_warm_wait, NULL, NULL) == 0;
	if (registered && !warming)
		warming = pthread_create(&warm_thread, NULL, warm, NULL) == 0;
}

void snap_warm_wait(void)
{
	if (warming)
		pthread_join(warm_thread, NULL);
	warming = false;
}

int snap_open(struct snap **out, const char *workroot)
{
	struct snap *s = calloc(1, sizeof(*s));
	char dotgit[4096], objects[4200];
	git_odb *odb;
	int guarded;

	*out = NULL;
	if (!s)
		return err_set("out of memory");
	snap_warm_wait();
	git_libgit2_init();
	/* Commits are the one copy of the learner's history: make them durable. */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	s->root = strdup(workroot);
	if (fs_join(dotgit, sizeof(dotgit), workroot, ".git") < 0)
		goto fail;
	s->gitdir = strdup(dotgit);
	if (access(dotgit, F_OK) < 0 && (create_repo(workroot) < 0 || write_ignore(workroot) < 0))
		goto fail;
	if (git_repository_open_ext(&s->repo, workroot, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		const git_error *e = git_error_last();

		if (e && e->message && strstr(e->message, "ermission denied"))
			snap__fail("cannot open the attempts repository", dotgit);
		else
			snap__damaged(s, "it cannot be opened: %s", e && e->message ? e->message : "unknown libgit2 error");
		goto fail;
	}
	/* chanlab's own read-only files beside the learner's (work.h) are
	 * never snapshotted, whatever work/.gitignore says */
	if (git_ignore_add_rule(s->repo, "/*/README.md\n/*/compile_flags.txt\n/*/compile_commands.json\n"
				"/*/tests/\n") < 0) {
		snap__fail("cannot set the ignore rules of", s->root);
		goto fail;
	}
	/* Every read of a loose object goes through chanlab's own bounded
	 * reader first (loose.h): libgit2 1.5 hangs on one cut short. */
	if (fs_join(objects, sizeof(objects), dotgit, "objects") < 0)
		goto fail;
	if (git_repository_odb(&odb, s->repo) < 0) {
		snap__fail("cannot read the objects of", dotgit);
		goto fail;
	}
	guarded = loose_guard(odb, objects);
	git_odb_free(odb);
	if (guarded < 0)
		goto fail;
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
	free(s->gitdir);
	free(s);
	git_libgit2_shutdown();
}

const char *snap_gitdir(const struct snap *s)
{
	return s->gitdir;
}

bool snap__subtree(git_tree *tree, const char *exercise, git_oid *id)
{
	const git_tree_entry *e = git_tree_entry_byname(tree, exercise);

	if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return false;
	git_oid_cpy(id, git_tree_entry_id(e));
	return true;
}

static bool same_folder(struct snap *s, git_tree *tree, const char *exercise, const char *commit)
{
	git_oid cid, a, b;
	git_commit *c = NULL;
	git_tree *t = NULL;
	bool same = false, ha, hb;

	if (git_oid_fromstr(&cid, commit) < 0 || git_commit_lookup(&c, s->repo, &cid) < 0 ||
	    git_commit_tree(&t, c) < 0)
		goto out;
	ha = snap__subtree(tree, exercise, &a);
	hb = snap__subtree(t, exercise, &b);
	same = ha == hb && (!ha || git_oid_equal(&a, &b));
out:
	git_tree_free(t);
	git_commit_free(c);
	return same;
}

int snap_stage(struct snap *s, const char *exercise, char tree[41])
{
	char *spec[] = { (char *)(uintptr_t)exercise };
	git_strarray paths = { spec, 1 };
	git_index *index = NULL;
	git_oid tree_id;
	int rc = -1;

	/* Files the learner did not change are not read again: the new tree
	 * names the last attempt's copies, which must be whole. */
	if (snap_verify(s, exercise) < 0)
		return -1;
	if (git_repository_index(&index, s->repo) < 0) {
		snap__fail("cannot snapshot your files in", s->root);
		goto out;
	}
	/* An editor may be saving a file while it is read ("file changed
	 * before we could read it"): read the folder again, a few times. */
	for (int tries = 1; ; tries++) {
		struct timespec ts = { 0, 20 * 1000000L * tries };

		if (git_index_read(index, tries > 1) == 0 &&
		    git_index_add_all(index, &paths, GIT_INDEX_ADD_DEFAULT, NULL, NULL) == 0 &&
		    git_index_update_all(index, &paths, NULL, NULL) == 0)
			break;
		if (tries == 5) {
			snap__fail("cannot snapshot your files in", s->root);
			goto out;
		}
		nanosleep(&ts, NULL);
	}
	crash_point("snapshot: index updated in memory");
	if (git_index_write(index) < 0 || git_index_write_tree(&tree_id, index) < 0) {
		snap__fail("cannot snapshot your files in", s->root);
		goto out;
	}
	crash_point("snapshot: index and tree written");
	git_oid_tostr(tree, 41, &tree_id);
	rc = 0;
out:
	git_index_free(index);
	return rc;
}

int snap_commit(struct snap *s, const char *exercise, const char *tree_hex, const char *message,
		const char *same_as, char oid[41])
{
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_reference *head = NULL, *ref = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id, head_id;
	const char *branch = "HEAD";
	char staged[41];
	int rc = -1;

	if (!tree_hex) {
		if (snap_stage(s, exercise, staged) < 0)
			return -1;
		tree_hex = staged;
	}
	if (git_oid_fromstr(&tree_id, tree_hex) < 0 || git_tree_lookup(&tree, s->repo, &tree_id) < 0) {
		snap__fail("cannot read the snapshot of your files in", s->root);
		goto out;
	}
	if (same_as && same_folder(s, tree, exercise, same_as)) {
		memcpy(oid, same_as, 40);
		oid[40] = '\0';
		rc = 1;
		goto out;
	}
	if (git_reference_lookup(&head, s->repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		branch = git_reference_symbolic_target(head);
	if (git_reference_name_to_id(&head_id, s->repo, "HEAD") == 0 &&
	    git_commit_lookup(&parent, s->repo, &head_id) < 0) {
		snap__fail("cannot read the last attempt in", s->root);
		goto out;
	}
	if (git_signature_default(&sig, s->repo) < 0 &&
	    git_signature_now(&sig, "chanlab learner", "learner@chanlab.invalid") < 0) {
		snap__fail("cannot make a commit signature in", s->root);
		goto out;
	}
	if (git_commit_create_v(&commit_id, s->repo, NULL, sig, sig, NULL, message, tree,
				parent ? 1 : 0, parent) < 0) {
		snap__fail("cannot commit your files in", s->root);
		goto out;
	}
	crash_point("snapshot: commit written, branch not moved");
	if (git_reference_create_matching(&ref, s->repo, branch, &commit_id, 1,
					  parent ? &head_id : NULL, "chanlab: snapshot") < 0) {
		snap__fail("cannot move the branch to your new snapshot in", s->root);
		goto out;
	}
	crash_point("snapshot: branch moved");
	git_oid_tostr(oid, 41, &commit_id);
	rc = 0;
out:
	git_reference_free(ref);
	git_reference_free(head);
	git_signature_free(sig);
	git_commit_free(parent);
	git_tree_free(tree);
	return rc;
}

int snap_head(struct snap *s, char oid[41])
{
	git_oid id;
	int rc = git_reference_name_to_id(&id, s->repo, "HEAD");

	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH || git_repository_head_unborn(s->repo) == 1)
		return 1;
	if (rc < 0)
		return snap__fail("cannot read HEAD of", s->gitdir);
	git_oid_tostr(oid, 41, &id);
	return 0;
}

int snap_walk(struct snap *s, int (*fn)(const char *oid, const char *message, long long time, void *payload),
	      void *payload)
{
	git_oid id;
	git_commit *c = NULL;
	char hex[41];
	int rc = 0;

	if (git_reference_name_to_id(&id, s->repo, "HEAD") < 0)
		return 0;       /* no commit yet */
	for (;;) {
		if (git_commit_lookup(&c, s->repo, &id) < 0)
			return snap__fail("cannot read a commit of", s->gitdir);
		git_oid_tostr(hex, sizeof(hex), &id);
		rc = fn(hex, git_commit_message(c), (long long)git_commit_time(c), payload);
		if (rc != 0 || git_commit_parentcount(c) == 0)
			break;
		git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
		c = NULL;
	}
	git_commit_free(c);
	return rc;
}

bool snap_trailer(const char *message, const char *key, int index, char *val, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = message; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *end = strchr(p, '\n');
		size_t n;

		if (strncmp(p, key, klen) != 0 || p[klen] != ':' || p[klen + 1] != ' ')
			continue;
		if (index-- > 0)
			continue;
		p += klen + 2;
		n = end ? (size_t)(end - p) : strlen(p);
		if (n >= size)
			n = size - 1;
		memcpy(val, p, n);
		val[n] = '\0';
		return true;
	}
	return false;
}

/* --- sets of files ---------------------------------------------------------- */

void snap_files_init(struct snap_files *f)
{
	memset(f, 0, sizeof(*f));
}

void snap_files_release(struct snap_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		buf_release(&f->data[i]);
	}
	free(f->names);
	free(f->data);
	free(f->link);
	snap_files_init(f);
}

static struct buf *files_add(struct snap_files *f, const char *name)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		char **names = realloc(f->names, cap * sizeof(*names));
		struct buf *data;
		bool *link;

		if (!names)
			return NULL;
		f->names = names;
		data = realloc(f->data, cap * sizeof(*data));
		if (!data)
			return NULL;
		f->data = data;
		link = realloc(f->link, cap * sizeof(*link));
		if (!link)
			return NULL;
		f->link = link;
		f->cap = cap;
	}
	if (!(f->names[f->n] = strdup(name)))
		return NULL;
	buf_init(&f->data[f->n]);
	f->link[f->n] = false;
	return &f->data[f->n++];
}


/* Sorts by name (a simple insertion sort: exercises have a few files). */
static void files_sort(struct snap_files *f)
{
	for (size_t i = 1; i < f->n; i++)
		for (size_t j = i; j > 0 && strcmp(f->names[j - 1], f->names[j]) > 0; j--) {
			char *n = f->names[j];
			struct buf d = f->data[j];
			bool l = f->link[j];

			f->names[j] = f->names[j - 1];
			f->data[j] = f->data[j - 1];
			f->link[j] = f->link[j - 1];
			f->names[j - 1] = n;
			f->data[j - 1] = d;
			f->link[j - 1] = l;
		}
}

int snap_files_drop_ignored(struct snap *s, const char *exercise, struct snap_files *f)
{
	size_t keep = 0;

	for (size_t i = 0; i < f->n; i++) {
		char path[4400];
		int ignored = 0;

		if (fs_join(path, sizeof(path), exercise, f->names[i]) < 0)
			return -1;
		if (git_ignore_path_is_ignored(&ignored, s->repo, path) < 0)
			return snap__fail("cannot read the ignore rules of", s->root);
		if (ignored) {
			free(f->names[i]);
			buf_release(&f->data[i]);
			continue;
		}
		f->names[keep] = f->names[i];
		f->link[keep] = f->link[i];
		f->data[keep++] = f->data[i];
	}
	f->n = keep;
	return 0;
}

long snap_files_find(const struct snap_files *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return (long)i;
	return -1;
}

struct walk_ctx {
	struct snap *s;
	struct snap_files *f;
	int rc;
};

static int tree_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk_ctx *w = payload;
	git_blob *blob = NULL;
	struct buf *b;
	char name[4096];

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	snprintf(name, sizeof(name), "%s%s", root, git_tree_entry_name(e));
	if (git_blob_lookup(&blob, w->s->repo, git_tree_entry_id(e)) < 0) {
		char what[4200];

		snprintf(what, sizeof(what), "cannot read the file '%s' of an attempt in", name);
		w->rc = snap__fail(what, w->s->gitdir);
		return -1;
	}
	b = files_add(w->f, name);
	if (!b) {
		git_blob_free(blob);
		w->rc = err_set("out of memory");
		return -1;
	}
	buf_add(b, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	if (!b->s)
		buf_puts(b, "");
	w->f->link[w->f->n - 1] = git_tree_entry_filemode(e) == GIT_FILEMODE_LINK;
	git_blob_free(blob);
	return 0;
}

int snap_files_of_commit(struct snap *s, const char *commit, const char *exercise, struct snap_files *f)
{
	git_oid id, sub;
	git_commit *c = NULL;
	git_tree *tree = NULL, *t = NULL;
	struct walk_ctx w = { s, f, 0 };
	int rc = -1;

	if (git_oid_fromstr(&id, commit) < 0)
		return err_set("'%s' is not a commit id", commit);
	if (git_commit_lookup(&c, s->repo, &id) < 0 || git_commit_tree(&tree, c) < 0) {
		snap__fail("cannot read the attempt's files: commit missing or damaged in", s->gitdir);
		goto out;
	}
	rc = 0;
	if (!snap__subtree(tree, exercise, &sub))
		goto out;       /* the folder was empty then */
	if (git_tree_lookup(&t, s->repo, &sub) < 0) {
		rc = snap__fail("cannot read the attempt's files in", s->gitdir);
		goto out;
	}
	if (git_tree_walk(t, GIT_TREEWALK_PRE, tree_cb, &w) < 0)
		rc = w.rc ? w.rc : snap__fail("cannot read the attempt's files in", s->gitdir);
	files_sort(f);
out:
	git_tree_free(t);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

static int read_into(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_sys("cannot read '%s'", path);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(b, chunk, (size_t)n);
	close(fd);
	if (n < 0)
		return err_sys("cannot read '%s'", path);
	if (!b->s)
		buf_puts(b, "");
	return b->oom ? err_set("out of memory reading '%s'", path) : 0;
}

static int dir_walk(const char *dir, const char *rel, struct snap_files *f)
{
	char path[8192 + 16], name[4096];
	struct dirent *d;
	DIR *dp;
	int rc = 0;

	snprintf(path, sizeof(path), "%s%s%s", dir, *rel ? "/" : "", rel);
	if (!(dp = opendir(path)))
		return errno == ENOENT ? 0 : err_sys("cannot read the folder '%s'", path);
	while (rc == 0 && (d = readdir(dp))) {
		struct stat st;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0 || strcmp(d->d_name, ".git") == 0)
			continue;
		snprintf(name, sizeof(name), "%s%s%s", rel, *rel ? "/" : "", d->d_name);
		if (fs_join(path, sizeof(path), dir, name) < 0) {
			rc = -1;
			break;
		}
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			rc = dir_walk(dir, name, f);
		} else if (S_ISREG(st.st_mode)) {
			struct buf *b = files_add(f, name);

			rc = b ? read_into(path, b) : err_set("out of memory");
		}
	}
	closedir(dp);
	return rc;
}

int snap_files_of_dir(const char *dir, char *const *files, struct snap_files *f)
{
	int rc = 0;

	if (!files) {
		rc = dir_walk(dir, "", f);
	} else {
		for (size_t i = 0; rc == 0 && files[i]; i++) {
			char path[4096];
			struct buf *b;

			if ((rc = fs_join(path, sizeof(path), dir, files[i])) < 0)
				break;
			if (access(path, F_OK) < 0)
				continue;
			b = files_add(f, files[i]);
			rc = b ? read_into(path, b) : err_set("out of memory");
		}
	}
	files_sort(f);
	return rc;
}

static int add_patch(const struct buf *a, const char *name_a, const struct buf *b, const char *name_b,
		     struct buf *out)
{
	git_diff_options opts;
	git_patch *patch = NULL;
	git_buf text = { 0 };
	int rc = 0;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);

	if (git_patch_from_buffers(&patch, a ? a->s : NULL, a ? a->len : 0, name_a,
				   b ? b->s : NULL, b ? b->len : 0, name_b, &opts) < 0 ||
	    git_patch_to_buf(&text, patch) < 0) {
		rc = snap__fail("cannot compare", name_a ? name_a : name_b);
	} else if (text.size) {
		buf_add(out, text.ptr, text.size);
	}
	git_buf_dispose(&text);
	git_patch_free(patch);
	return rc;
}

int snap_diff(const struct snap_files *a, const struct snap_files *b, struct buf *out)
{
	size_t i = 0, j = 0;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->names[i], b->names[j]);
		int rc;

		if (c < 0) {
			rc = add_patch(&a->data[i], a->names[i], NULL, a->names[i], out);
			i++;
		} else if (c > 0) {
			rc = add_patch(NULL, b->names[j], &b->data[j], b->names[j], out);
			j++;
		} else {
			rc = a->data[i].len == b->data[j].len &&
			     memcmp(a->data[i].s, b->data[j].s, a->data[i].len) == 0
				? 0 : add_patch(&a->data[i], a->names[i], &b->data[j], b->names[j], out);
			i++, j++;
		}
		if (rc < 0)
			return -1;
	}
	return out->oom ? err_set("out of memory") : 0;
}

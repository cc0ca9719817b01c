/* tree_test.c: instructor tests for refcount-cycles, one process each.
 *
 * Each case builds a tree, checks the paths, and lets go of every
 * reference it took. Nothing must be left then: LeakSanitizer, at the end
 * of the case's process, reports every node still allocated, and
 * AddressSanitizer any read of a node already freed. */
#include <chanlab_test.h>

#include "tree.h"

/* A new child of parent, handed to the tree: the caller keeps no
 * reference, so the pointer returned is valid while the tree holds it. */
static struct node *add(struct node *parent, const char *name)
{
	struct node *n = node_new(name);

	node_add_child(parent, n);
	node_release(n);
	return n;
}

static void expect_path(const struct node *n, const char *want)
{
	char buf[128];

	CL_EXPECT_STR(node_path(n, buf, sizeof(buf)), want);
}

CL_TEST(a_lone_node) {
	struct node *root = node_new("root");

	expect_path(root, "/root");
	node_release(root);
}

CL_TEST(a_root_and_its_child) {
	struct node *root = node_new("etc");
	struct node *c = add(root, "hosts");

	expect_path(c, "/etc/hosts");
	CL_EXPECT(c->parent == root);
	node_release(root);
}

CL_TEST(a_tree_of_three_levels) {
	struct node *usr = node_new("usr");
	struct node *bin = add(usr, "bin");
	struct node *lib = add(usr, "lib");
	struct node *go = add(bin, "go");
	struct node *gofmt = add(bin, "gofmt");

	expect_path(go, "/usr/bin/go");
	expect_path(gofmt, "/usr/bin/gofmt");
	expect_path(add(lib, "libc.so"), "/usr/lib/libc.so");
	node_release(usr);
}

CL_TEST(a_wide_tree) {
	struct node *root = node_new("srv");
	char name[16];

	for (int i = 0; i < TREE_MAX_CHILDREN; i++) {
		struct node *dir;

		snprintf(name, sizeof(name), "d%d", i);
		dir = add(root, name);
		for (int k = 0; k < TREE_MAX_CHILDREN; k++) {
			snprintf(name, sizeof(name), "f%d", k);
			add(dir, name);
		}
	}
	expect_path(root->child[3]->child[7], "/srv/d3/f7");
	node_release(root);
}

/* The caller keeps its own reference to a child while the root goes: the
 * child lives on, a root of its own now. */
CL_TEST(a_child_outlives_its_parent) {
	struct node *root = node_new("home");
	struct node *c = node_new("gopher");

	node_add_child(root, c);
	expect_path(c, "/home/gopher");
	node_release(root);
	expect_path(c, "/gopher");
	CL_EXPECT(c->parent == NULL);
	node_release(c);
}

/* The same with a whole subtree: its nodes stay, its root loses its parent. */
CL_TEST(a_subtree_outlives_the_root) {
	struct node *root = node_new("var");
	struct node *log = node_retain(add(root, "log"));
	struct node *syslog = add(log, "syslog");

	add(root, "tmp");
	expect_path(syslog, "/var/log/syslog");
	node_release(root);
	expect_path(syslog, "/log/syslog");
	CL_EXPECT(syslog->parent == log);
	node_release(log);
}

/* Two owners of one node: it goes with the last of them. */
CL_TEST(a_node_with_two_owners) {
	struct node *root = node_new("opt");
	struct node *c = add(root, "chanlab");
	struct node *keep = node_retain(c);

	node_release(root);
	expect_path(keep, "/chanlab");
	node_release(keep);
}

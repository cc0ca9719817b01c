/* tree.h: a tree of reference-counted nodes (the harness includes it too). */
#ifndef TREE_H
#define TREE_H

#include <stddef.h>

#define TREE_MAX_CHILDREN 16
#define TREE_MAX_DEPTH 32

struct node {
	char name[16];
	int refs;                       /* the references that own this node */
	struct node *parent;            /* the node this one is a child of; NULL
					 * for a root, or once the parent is gone */
	struct node *child[TREE_MAX_CHILDREN];
	int nchild;
};

/* A new node with no parent and no children, holding one reference: the
 * caller's. */
struct node *node_new(const char *name);

/* Takes one more reference to n; returns n. */
struct node *node_retain(struct node *n);

/* Drops one reference to n. The last one frees n, after dropping the
 * references n holds; nothing is freed while a reference to it is held. */
void node_release(struct node *n);

/* Makes child (which has no parent) the last child of parent. The parent
 * takes a reference to child (the caller keeps its own), and child->parent
 * points back to parent for as long as parent lives. */
void node_add_child(struct node *parent, struct node *child);

/* Writes the names from n's root down to n into buf, "/usr/bin/go"
 * (truncated to size bytes); returns buf. */
const char *node_path(const struct node *n, char *buf, size_t size);

#endif

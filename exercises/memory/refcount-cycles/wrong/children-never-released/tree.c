/* Wrong: the back pointer is no longer counted, and node_release was
 * rewritten without the loop over the children: freeing a node drops
 * nothing it holds, so every child is left behind. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "tree.h"

struct node *node_new(const char *name)
{
	struct node *n = calloc(1, sizeof(*n));        /* wrong: sanitizer */

	if (!n)
		abort();
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->refs = 1;
	return n;
}

struct node *node_retain(struct node *n)
{
	n->refs++;
	return n;
}

void node_release(struct node *n)
{
	if (--n->refs > 0)
		return;
	free(n);
}

void node_add_child(struct node *parent, struct node *child)
{
	assert(parent->nchild < TREE_MAX_CHILDREN && !child->parent);
	parent->child[parent->nchild++] = node_retain(child);
	/* Not counted: the parent owns the child, never the reverse, so
	 * the two never keep each other alive. */
	child->parent = parent;
}

const char *node_path(const struct node *n, char *buf, size_t size)
{
	const struct node *up[TREE_MAX_DEPTH];
	int depth = 0;
	size_t len = 0;

	for (; n && depth < TREE_MAX_DEPTH; n = n->parent)
		up[depth++] = n;
	buf[0] = '\0';
	while (depth > 0 && len < size) {
		int k = snprintf(buf + len, size - len, "/%s", up[--depth]->name);

		if (k < 0)
			break;
		len += (size_t)k;
	}
	return buf;
}

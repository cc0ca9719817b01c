/* group.h: a group of tasks that fail together, as Go's errgroup
 * (golang.org/x/sync/errgroup) with WithContext. The harness includes it
 * too. */
#ifndef GROUP_H
#define GROUP_H

#include <go.h>

/* A task: runs with the group's context, returns 0 or a negative error.
 * A task that waits for something should also wait on go_ctx_done(ctx). */
typedef int (*group_task)(go_ctx *ctx, void *arg);

struct group;

/* A new group whose context is a child of parent (errgroup.WithContext).
 * Never blocks. */
struct group *group_new(go_ctx *parent);

/* The group's context (the ctx WithContext returns): cancelled when the
 * first task fails, and when group_wait returns. Owned by the group. */
go_ctx *group_ctx(struct group *g);

/* Runs task(group_ctx(g), arg) in a new goroutine (g.Go). Never blocks. */
void group_go(struct group *g, group_task task, void *arg);

/* Waits until every task started with group_go has returned, then
 * cancels the group's context and returns the first error a task
 * returned, or 0 if none failed (g.Wait). Blocks. */
int group_wait(struct group *g);

/* Frees the group and its context, after group_wait. Never blocks. */
void group_free(struct group *g);

#endif

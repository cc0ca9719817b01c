-- errgroup: the first error wins, cancels the siblings, and Wait joins them all.
return {
  title = "The first error cancels the rest",
  track = "concurrency",
  difficulty = 4,
  files = { "group.c" },
  headers = { "group.h" },
  topics = { "errgroup", "context", "cancellation", "first error", "WaitGroup", "sync.Once" },
  after = { "leak-hunt" },
  time = 25,
  learn = { "https://pkg.go.dev/golang.org/x/sync/errgroup",
            "https://go.dev/blog/context",
            "https://katherine.cox-buday.com/concurrency-in-go/ (ch. 5, error propagation)" },
  text = [[
# The first error cancels the rest

A request handler fetches a user, their orders and their recommendations at
once, in three goroutines. If the user lookup fails, the whole request has
failed: the other two are wasted work, and the handler should say why at
once, with *that* error, not the "context canceled" of a sibling it stopped.
Go's `errgroup` package does exactly this:

```go
g, ctx := errgroup.WithContext(r.Context())
g.Go(func() error { return fetchUser(ctx, id) })
g.Go(func() error { return fetchOrders(ctx, id) })
g.Go(func() error { return fetchRecs(ctx, id) })
if err := g.Wait(); err != nil {     // the first error, after all three return
    return err
}
```

Its contract has four parts, and each one matters:

1. **The first error wins.** Later errors are dropped, and most of them are
   `context.Canceled` from siblings that gave up *because* of the first.
   errgroup records it under a `sync.Once`.
2. **The first error cancels the context.** Every sibling that waits on
   `ctx.Done()` stops at once instead of finishing work nobody wants.
3. **`Wait` returns only when every task has returned**, error or not. The
   caller may then free what the tasks used, and no goroutine outlives the
   group (chanlab's leak check is on, as in leak-hunt).
4. **`Wait` cancels the context too**, so that nothing derived from it
   stays alive.

Inside, errgroup is a WaitGroup, a `sync.Once` for the error and the
cancel function:

```go
func (g *Group) Go(f func() error) {
    g.wg.Add(1)                      // before go, never inside it
    go func() {
        defer g.wg.Done()
        if err := f(); err != nil {
            g.errOnce.Do(func() {
                g.err = err
                if g.cancel != nil {
                    g.cancel()
                }
            })
        }
    }()
}
```

In C, `group.h` is the same API: `group_new(parent)` is `WithContext`,
`group_go(g, task, arg)` is `g.Go`, and a task is
`int task(go_ctx *ctx, void *arg)` that returns 0 or a negative error.
`group_wait` is `g.Wait`. The runtime has the pieces: `go_ctx_with_cancel`,
`go_ctx_cancel` (idempotent, like Go's `cancel`), `go_waitgroup` and
`go_mutex` (or `go_once`).

`group.c` runs the tasks and waits for them all, but every error
overwrites the one before, and nothing is ever cancelled. The tests run
a failing task beside six siblings that wait a second on the context, and
a task that fails first beside one that fails after it was cancelled.
Make the first error win, make it cancel the group's context, and cancel
the context when `group_wait` returns. Keep the join: the tests also check
that no task is still running when `group_wait` returns, on two threads,
on one, and under ThreadSanitizer with eight tasks failing at once.
]],
  hints = {
    { test = "the_first_failure_cancels_the_others", text = "The six siblings wait on go_ctx_done of the group's context, and nobody ever cancels it, so they wait their full second. When a task returns an error, call go_ctx_cancel(g->ctx) in run(): every sibling in go_sleep_ctx or a go_select on go_ctx_done wakes up." },
    { test = "the_first_error_is_the_one_returned", text = "The second task fails only after it was cancelled, and its error overwrites the first. Record an error only while g->err is still 0: check and set under g->mu, in one critical section, as errgroup's sync.Once does." },
    { test = "tasks_that_succeed_give_zero", text = "errgroup's Wait cancels the context even when every task succeeded: call go_ctx_cancel(g->ctx) in group_wait after go_waitgroup_wait. Cancelling twice is fine: only the first cancel counts." },
    { on = "data-race", text = "Two tasks failed at the same moment and both read and wrote g->err without the lock. 'Is it still 0? then set it' must be one step: hold g->mu around the check and the write (or use go_once_do)." },
    { test = "group_wait_returns_after_every_task", text = "group_wait must wait for every task, not just for the first error: the caller frees what the tasks use as soon as it returns. Keep go_waitgroup_wait, and add to the WaitGroup in group_go before go_spawn, never inside the goroutine (on one thread it has not run yet when group_wait starts)." },
    "In run(): if (err != 0) { lock; if (g->err == 0) { g->err = err; go_ctx_cancel(g->ctx); } unlock; } then go_waitgroup_done. In group_wait: wait, cancel, return g->err.",
  },
  check = function(c)
    local t = c:build{ harness = "group_test.c" }
    -- the pack's ASan and TSan passes run too
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 30, env = { "GOMAXPROCS=4" } } })
    -- On one thread a goroutine runs only when the caller blocks: a group
    -- that counts its tasks too late has counted none when group_wait starts.
    c:run_tests(t, { prefix = "one thread: ", timeout = 10, env = { "GOMAXPROCS=1" },
                     only = { "group_wait_returns_after_every_task" } })
  end,
}

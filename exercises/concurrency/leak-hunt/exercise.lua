-- Goroutine leaks: read the leak report and fix the three classic causes.
return {
  title = "Three goroutines that never come home",
  track = "concurrency",
  difficulty = 3,
  files = { "leaks.c" },
  headers = { "leaks.h" },
  topics = { "goroutine leak", "goleak", "close", "context", "done channel", "cancellation" },
  after = { "cancel-the-fetch" },
  time = 30,
  learn = { "https://github.com/uber-go/goleak",
            "https://go.dev/blog/pipelines",
            "https://katherine.cox-buday.com/concurrency-in-go/ (ch. 4, preventing goroutine leaks)" },
  text = [[
# Three goroutines that never come home

A goroutine costs a few KiB of stack plus everything it points to. One
that never returns is a *leak*, and nothing reports it: Go's runtime only
stops a program when **every** goroutine is stuck ("all goroutines are
asleep - deadlock!"). A server with three stuck goroutines per request
keeps answering, and keeps growing, until it runs out of memory.

Uber's [goleak](https://github.com/uber-go/goleak) checks at the end of
each test that no unexpected goroutine is left:

```go
func TestFirstMatch(t *testing.T) {
    defer goleak.VerifyNone(t)
    ...
}
```

chanlab does the same after every test case. It retries for about half a
second, so goroutines that are about to finish are not reported, then
lists those still there, the way `/debug/pprof/goroutine?debug=2` does:

```
found unexpected goroutines:

goroutine 7 [chan send]:
    blocked at leaks.c:28
    #0 searcher leaks.c:28
    created at leaks.c:39
```

The state in brackets is what the goroutine waits for, *blocked at* is
where, and *created at* is the `go_spawn` that started it.

`leaks.c` has three functions, and each leaks in one of the three classic
ways.

**A send nobody receives.** `first_match` starts one searcher per slice
and returns the first hit. The searchers that finish later still send
their answer, and nobody receives it any more:

```go
func firstMatch(xs []int, want, workers int) int {
    results := make(chan int)
    done := make(chan struct{})
    var wg sync.WaitGroup
    for _, part := range split(xs, workers) {
        wg.Add(1)
        go func() {
            defer wg.Done()
            select {
            case results <- search(part, want):
            case <-done:                  // nobody listens any more: go home
            }
        }()
    }
    ... receive until the first hit ...
    close(done)
    wg.Wait()                             // C: only now may we free
    return idx
}
```

In C the `select` is a `go_select` over `GO_SEND(s->results, &found)` and
`GO_RECV(s->done, NULL)`, and the WaitGroup a `go_waitgroup`
(`go_waitgroup_add` before each `go_spawn`, `go_waitgroup_done` as the
searcher's last act). A closed channel is ready for every receiver at once,
so one `go_close(done)` releases every late searcher.

**A receive loop on a channel nobody closes.** The watcher's loop waits
for the next update. `watch_stop` sets a flag, but the loop is parked in
`go_recv` and never looks at it. `for u := range updates` ends only when
the *sender* closes the channel, so `watch_stop` must close it, and in C it
must then wait until the loop has returned (a `done` channel that the
loop closes). Only after that may it free the watcher.

**Work that ignores its context.** `fetch` returns at the deadline, but
its worker goes on with the lookup and then sends the value to a caller
who has gone:

```go
func fetch(ctx context.Context, key string) (string, error) {
    done := make(chan struct{})
    var v string
    var err error
    go func() {
        defer close(done)
        for i := 0; i < steps; i++ {
            if err = ctx.Err(); err != nil {
                return                    // the caller gave up: so do we
            }
            v = backendStep(key, i)
        }
    }()
    <-done                                // C: nobody outlives the call
    return v, err
}
```

In C, `go_ctx_err(ctx)` is `ctx.Err()`, and `go_ctx_done(ctx)` is
`ctx.Done()`, a channel that a `go_select` can wait on.

In Go, a garbage collector frees what a leaked goroutine left behind. In C
nothing does. The starter cannot free the searchers' slices, the watcher
or the fetch job, because a stuck goroutine still points at each of them.
When every goroutine comes home before the function returns, freeing is
safe again. That is why each fix ends with a *join*: a WaitGroup, or a
`done` channel closed by the goroutine as its last act.

Fix all three in `leaks.c`. The tests check that each function still does
its job, that `watch_stop` waits for the last update, that a cancelled
`fetch` runs only a few more backend steps (2 ms each), and that none is
running once `fetch` returns. Every case also gets the leak check, an
ASan pass, and a TSan pass on four threads.
]],
  hints = {
    { test = "first_match_finds_what_is_there", text = "Read the leak report: each searcher is in [chan send] at the go_send in searcher(), created by first_match's go_spawn. It found its answer after first_match stopped receiving, and nobody will ever take it. Give the searchers a second way out: a done channel, closed by first_match after the first hit, and a go_select between GO_SEND(results) and GO_RECV(done)." },
    { test = "first_match_leaves_no_searcher_behind", text = "Closing done lets the searchers go, but first_match must not free parts and the channels until they have gone: count them with a go_waitgroup (add before go_spawn, done as each searcher's last act) and go_waitgroup_wait after go_close(done). A larger buffer is no fix: with room for one answer, the other late searchers still wait." },
    { test = "the_watcher_applies_every_update_in_order", text = "The loop is parked in go_recv: it never gets to read the stopped flag. Only the sender closes a channel: watch_stop should go_close(w->updates), and the loop should be `while (go_recv2(w->updates, &u))`, which ends when the channel is closed and drained." },
    { test = "watch_stop_waits_for_the_last_update", text = "go_close only asks the loop to end; it may still be applying the last update. Let the loop close a done channel as its last act, and have watch_stop receive from it before freeing the channels and w." },
    { test = "fetch_gives_up_at_the_deadline", text = "fetch stopped waiting, but the worker never heard of it: it runs all 100 backend steps, then blocks for ever in go_send to a caller who has gone. Check go_ctx_err(j->ctx) before each backend step and return early when it is not 0." },
    { test = "the_lookup_has_stopped_when_fetch_returns", text = "When ctx is done, the worker is usually in the middle of a 2 ms backend step. fetch must wait for it (at most one step): let the worker close a done channel when it returns, receive from it in fetch in both cases, then free the job. Then nobody outlives the call." },
    { on = "sanitizer", text = "AddressSanitizer saw memory used after free, or ThreadSanitizer saw two goroutines touch it at once: something was freed or read while a goroutine still used it. Free and read results only after the goroutine has signalled that it is finished (a WaitGroup, or a done channel it closes as its last act)." },
    "Each fix has the same shape: a way for the goroutine to know it should stop (a closed channel or a cancelled context), and a way for the caller to know it has stopped (a join). The first without the second is still a leak in C.",
  },
  check = function(c)
    local t = c:build{ harness = "leaks_test.c" }
    -- the pack's ASan and TSan passes run too
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 30, env = { "GOMAXPROCS=4" } } })
  end,
}

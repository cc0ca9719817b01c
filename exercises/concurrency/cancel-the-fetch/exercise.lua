-- Context cancellation: thread a go_ctx through a slow fetch, give up with
-- the right error as soon as the caller does, and tell the store to stop.
return {
  title = "Stop when the caller stops",
  track = "concurrency",
  difficulty = 3,
  files = { "fetch.c" },
  headers = { "fetch.h", "store.h" },
  topics = { "context", "cancellation", "deadlines", "select", "goroutine leaks" },
  after = { "first-response-wins" },
  time = 25,
  learn = { "https://quii.gitbook.io/learn-go-with-tests/go-fundamentals/context",
            "https://gobyexample.com/context",
            "https://go.dev/blog/context",
            "https://pkg.go.dev/context" },
  text = [[
# Stop when the caller stops

A request handler fetches a record from a slow store. If the client hangs
up, or the request runs out of time, nobody wants the record any more:
the handler should stop waiting *and* tell the store to stop working.
Go carries "nobody wants this any more" in a `context.Context`:

```go
func Fetch(ctx context.Context, s Store, d time.Duration) (string, error) {
    ctx, cancel := context.WithTimeout(ctx, d)
    defer cancel()                      // free the timer, whatever happens

    data := make(chan string, 1)
    go func() { data <- s.Fetch() }()

    select {
    case d := <-data:
        return d, nil
    case <-ctx.Done():
        s.Cancel()                      // the store stops at once
        return "", ctx.Err()            // Canceled or DeadlineExceeded
    }
}
```

Three things happen on the `ctx.Done()` path, and each one is easy to
forget. The handler returns **promptly**, instead of when the store is
finished. It **tells the store**: without `s.Cancel()` the store
goes on working for a caller that left (Learn Go with Tests' `SpyStore`
test is "store was not told to cancel"). And it says **why**:
`context.Canceled` when the caller cancelled, `DeadlineExceeded` when a
deadline passed, the caller's or its own. `defer cancel()` releases the
timeout's timer on every path; `go vet` warns when it is missing.

chanlab's runtime has Go's context package:

```c
/* ctx, cancel := context.WithTimeout(ctx, d) */
go_ctx *tctx = go_ctx_with_timeout(ctx, d);
/* case <-ctx.Done(): a case of a go_select */
GO_RECV(go_ctx_done(tctx), NULL)
/* ctx.Err(): GO_ECANCELED or GO_EDEADLINE */
go_ctx_err(tctx)
/* defer cancel(), and the memory */
go_ctx_free(tctx);
```

A context you make is yours to free, once, when no goroutine uses it any
more: `go_ctx_free` cancels it first, so it is `defer cancel()` and the
memory at once. One never freed is reported when the program exits
(the runtime's `lostcancel`, `go vet`'s check done at run time).

`fetch` in `fetch.c` runs `store_fetch` (the store of `store.h`, which
knows nothing of contexts but has a cancel button, `store_cancel`) on a
goroutine and waits for the whole record, whatever its caller does.
Make it:

- make a context with `timeout` under `ctx`, and free it before it returns;
- wait for whichever comes first, the store's result or that context's
  end (`go_select`);
- when the context ends first: call `store_cancel`, **wait for the store's
  goroutine** (it stops at once, and it writes into `out` until it
  returns), and return `GO_ECANCELED` for a cancel, `GO_ETIMEDOUT` for a
  deadline (fetch's contract uses the runtime's word for a deadline
  that passed, as `go_recv_until` does, not the context's `GO_EDEADLINE`).

The tests' store is a spy: it hands out 40 pieces, 10 ms apart, and
remembers whether it was told to stop and whether it was still running
when `fetch` returned. The caller cancels 50 ms in; timeouts and
deadlines are 50 ms; the leak check, ASan and TSan watch every case. A
last test runs four fetches in a plain program and reads the runtime's
exit report for contexts never freed.
]],
  hints = {
    { test = "a_cancelled_fetch_returns_promptly", text = "fetch waits in go_recv for the whole record, so a cancel 50 ms in changes nothing. Wait for either of two things with go_select: the result on j.done, or go_ctx_done(tctx), where tctx = go_ctx_with_timeout(ctx, timeout)." },
    { test = "the_store_is_told_to_stop", text = "Returning early is half of it: the store is still working for a caller that left. When the context ends first, call store_cancel(s), then go_recv(j.done, NULL) to wait until store_fetch has returned (it writes into out until then)." },
    { on = "leak", text = "The store's goroutine is blocked sending its result on j.done, and fetch returned without receiving it. After store_cancel, receive from j.done once: the store stops at once, so this wait is short, and nothing writes into out after you return." },
    { test = "every_context_fetch_makes_is_freed", text = "The runtime's lostcancel line names the go_ctx_with_timeout that made a context nobody freed. go_ctx_free(tctx) on every path before returning (after the select, once no goroutine uses it): it is Go's defer cancel()." },
    { on = "test", text = "Which error? Ask the context: go_ctx_err(tctx) is GO_ECANCELED when the caller cancelled (a cancel of the parent reaches the child) and GO_EDEADLINE when a deadline passed, yours or the caller's. fetch returns GO_ETIMEDOUT for the second." },
    "The shape: tctx = go_ctx_with_timeout(ctx, timeout); spawn; go_case cases[] = { GO_RECV(j.done, &rc), GO_RECV(go_ctx_done(tctx), NULL) }; if (go_select(cases, 2) == 1) { store_cancel(s); go_recv(j.done, NULL); rc = go_ctx_err(tctx) == GO_EDEADLINE ? GO_ETIMEDOUT : GO_ECANCELED; } then free the channel and go_ctx_free(tctx).",
  },
  check = function(c)
    local t = c:build{ harness = "fetch_test.c", extra = { "spy.c" } }
    -- the pack's ASan and TSan passes run too
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 30, env = { "GOMAXPROCS=2" } } })
    -- Every context freed: the runtime reports at exit each one never
    -- cancelled or freed (lostcancel), which a harness case cannot see.
    local p = c:build{ extra = { "spy.c", "fetch_main.c" }, name = "four fetches" }
    local r = c:run(p, { timeout = 10 })
    if r.skipped then
      c:skip("every_context_fetch_makes_is_freed", "not run: the build failed")
    elseif not r.ok then
      c:clean("every_context_fetch_makes_is_freed", r)
    else
      c:test("every_context_fetch_makes_is_freed", not r.stderr:find("lostcancel", 1, true),
             "four fetches (the record, a cancel, a timeout, the caller's deadline) in a plain program, and at "
             .. "exit the runtime found contexts never cancelled or freed: free each one you make (go_ctx_free, "
             .. "Go's defer cancel())", r.stderr)
    end
  end,
}

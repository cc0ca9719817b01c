-- Graceful shutdown: the first SIGINT stops accepting and drains what is in
-- flight, with a deadline; a second SIGINT (or the deadline) cancels it now.
return {
  title = "Stop on Ctrl-C, finish the work",
  track = "concurrency",
  difficulty = 4,
  files = { "server.c" },
  headers = { "server.h" },
  topics = { "graceful shutdown", "signals", "os/signal", "context", "select", "sync.WaitGroup", "deadline", "goroutine leak" },
  after = { "token-bucket" },
  time = 30,
  learn = { "https://pkg.go.dev/os/signal#Notify",
            "https://pkg.go.dev/net/http#Server.Shutdown",
            "https://pkg.go.dev/os/signal#NotifyContext",
            "https://github.com/loong/go-concurrency-exercises/tree/main/4-graceful-sigint",
            "https://gobyexample.com/signals" },
  text = [[
# Stop on Ctrl-C, finish the work

A server that dies on Ctrl-C drops every request it was in the middle
of: a payment half-written, an upload cut off. A server that shuts down
*gracefully* stops taking new work, lets the work in flight finish, and
only then exits; and since "finish" can take forever, it gives up after a
deadline, or at once if the operator presses Ctrl-C a second time. In Go:

```go
sigs := make(chan os.Signal, 1)
signal.Notify(sigs, os.Interrupt)

ctx, stop := context.WithCancel(context.Background())  // cancels handlers
var wg sync.WaitGroup
accept:
for {
    select {
    case r := <-requests:
        wg.Add(1)
        go func() { defer wg.Done(); handle(ctx, r) }()
    case <-sigs:
        break accept                // 1st Ctrl-C: accept nothing more
    }
}

done := make(chan struct{})
go func() { wg.Wait(); close(done) }()
status := 0
select {
case <-done:                        // everything finished
case <-time.After(grace):           // the drain took too long
    status = 1
case <-sigs:                        // 2nd Ctrl-C: stop now
    status = 1
}
stop()                              // cancel what still runs
<-done                              // and wait for it to return
return status
```

(`http.Server.Shutdown(ctx)` does the same for an HTTP server:
it closes the listeners, then waits for the active connections until
`ctx` ends.)

Three things make it work. The **accept loop listens for the signal
beside the requests**, in one `select`, so it stops accepting the moment
the signal comes. The **handlers are counted** (a `WaitGroup`), so the
drain knows when the last one returns; the waiting happens on a goroutine
that **closes** `done` rather than sending on it, so it never blocks,
whoever stops listening. And every handler runs under **one context**
the server cancels when it must stop now: cancelling tells the handlers
to give up, and the server still waits for them to return, so nothing
outlives `server_run`.

## In C

chanlab's runtime has no `signal.Notify` (a C signal handler may not
touch a channel). The lab plays the operating system: `cfg->sigs` is the
channel `signal.Notify` would fill, and the lab sends `SIGINT` (an `int`)
on it when it presses Ctrl-C. It waits until your server receives it (the
channel has no buffer), so a server that does not listen is found out.
The lab is also the clients: each `struct request *` on `cfg->requests`
is a request, taken when your server receives it, refused when nobody
does; and it does each request's work in `request_handle(r, ctx)`, which
gives up (after a 50 ms roll-back) when `ctx` is cancelled.

The runtime has what the Go needs: `go_select` with `GO_RECV` cases, a
`go_waitgroup`, `go_close`, `go_ctx_with_cancel` and `go_ctx_cancel`,
`go_ctx_with_timeout(go_ctx_background(), cfg->grace)` and
`go_ctx_done` for the deadline (or `go_after`).

`server_run` in `server.c` serves requests until the first SIGINT and
then returns at once: every request in flight is abandoned, still
running (the leak check finds their goroutines), and a second SIGINT
finds nobody listening.

## What to change

Finish `server_run` as `server.h` says: after the first SIGINT, accept
nothing more; wait for the requests in flight, for at most `cfg->grace`;
if the grace period ends or a second SIGINT comes, cancel what still runs
(one context for all the handlers) and wait for it to return; return 0
when everything finished, 1 when anything was cancelled.

The tests (at `GOMAXPROCS=2`, and again under ASan and ThreadSanitizer,
with the goroutine leak check after each) send requests, press Ctrl-C
and time the rest: requests in flight must finish; a new request after
the SIGINT must be refused; a request of 3 s must be cancelled at the
end of a 200 ms grace period, not before it; a second SIGINT must stop
the server within half a second.
]],
  hints = {
    { test = "in_flight_requests_finish_after_the_first_sigint", text = "server_run returned while its requests were still running. Count them: go_waitgroup_add(&wg, 1) before each go_spawn, go_waitgroup_done at the end of the handler, and after the accept loop wait for the count to reach zero before you return." },
    "The drain has three ways to end: every handler returned, the grace period ran out, or a second SIGINT. Put all three in one go_select: a channel a goroutine closes after go_waitgroup_wait, go_ctx_done of go_ctx_with_timeout(go_ctx_background(), cfg->grace), and cfg->sigs.",
    "To stop the handlers that still run, give them all one context, go_ctx_with_cancel(go_ctx_background()), instead of go_ctx_background(), and go_ctx_cancel it when the drain ends by the deadline or a second SIGINT. Then wait for the done channel once more: cancelled handlers take a moment (their roll-back) to return.",
    { on = "leak", text = "A goroutine outlived server_run. If it is a handler, server_run returned before it did: wait for the WaitGroup after cancelling, too. If it is the goroutine that waits for the WaitGroup, it is stuck on a send nobody receives: close the done channel instead (a close never blocks, and every receiver sees it)." },
    { test = "a_second_sigint_stops_at_once", text = "While it drains, the server must still receive from cfg->sigs: the second Ctrl-C is a case of the drain's select, beside the done channel and the deadline." },
    { on = "crash", text = "Do not close cfg->requests to stop accepting: the server only receives from it, and a client that sends on a closed channel panics. Only the sender closes. To stop accepting, just stop receiving from it." },
  },
  check = function(c)
    local t = c:build{ harness = "server_test.c" }
    -- the pack's ASan and TSan passes run too (TSan on four threads)
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                     asan = { timeout = 20 },
                     tsan = { timeout = 40, env = { "GOMAXPROCS=4" } } })
  end,
}

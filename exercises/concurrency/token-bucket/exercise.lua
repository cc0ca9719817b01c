-- A token bucket: a burst at once, then a steady rate, shared by every
-- caller, and a wait that a context can end.
return {
  title = "A rate limiter",
  track = "concurrency",
  difficulty = 4,
  files = { "limiter.c" },
  headers = { "limiter.h" },
  topics = { "rate limiting", "token bucket", "context", "time" },
  after = { "no-starve-rw" },
  time = 30,
  learn = { "https://gobyexample.com/rate-limiting",
            "https://pkg.go.dev/golang.org/x/time/rate" },
  text = [[
# A rate limiter

A service that may call an API 1000 times a second, in bursts of at most
10, would use `golang.org/x/time/rate` in Go:

```go
lim := rate.NewLimiter(1000, 10)        // 1000 tokens a second, 10 at most
if err := lim.Wait(ctx); err != nil {   // takes a token, or gives up with ctx
    return err
}
```

This is a **token bucket**. The bucket holds up to `burst` tokens and
fills at `rate` tokens a second; each call takes one, and waits when the
bucket is empty, but no longer than its context allows. After a quiet
spell the bucket is full, so a burst goes through at once; after that the
calls go through one every 1/rate seconds, however many goroutines make
them. The simpler answer, sleeping 1/rate after every call (Go by
Example's first limiter), gets all three wrong: no burst, every goroutine
sleeping on its own (four callers, four times the rate), and a sleep no
context can cut short.

`limiter_wait` in `limiter.c` is that sleep. The tests time every call
and check that no more than `burst + rate × t` got through by any time
`t`, with several callers sharing one bucket, that a caller whose context
is cancelled returns at once and gives its token back, and that a
deadline ends the wait. They run on real threads and then on chanlab's
deterministic scheduler, whose **virtual clock** makes time exact: 290 ms
of calls take no time, and "the 300th call comes at 290 ms" is checked to
the millisecond.

Write the bucket. Under `l->mu`: add `rate × (now − last)` tokens (never
more than `burst`), take one (the count may go below zero: those are
tokens promised to callers who wait for them), and work out how long this
caller must wait for its token. Wait outside the lock with
`go_sleep_ctx(ctx, wait)`; if the context ends the wait first, give the
token back and return the context's error.
]],
  hints = {
    { test = "a_burst_then_the_rate", text = "The first 10 calls should go through at once: the bucket starts full. Keep a count of tokens: each call takes one, and the count grows by rate per second of go_now() since you last looked, up to burst." },
    { test = "four_callers_share_one_bucket", text = "Each caller sleeping 1/rate on its own lets four callers through four times as fast: the bucket is shared. Take the token under l->mu, and work out the wait from what is left in the bucket." },
    { test = "an_idle_bucket_fills_up_to_its_burst_only", text = "After a quiet spell the bucket holds burst tokens, not everything it would have gained: cap the count at l->burst when you refill." },
    { test = "a_cancelled_caller_returns_at_once_and_gives_its_token_back", text = "Wait with go_sleep_ctx(ctx, wait), which returns go_ctx_err(ctx) as soon as ctx is cancelled; then put the token you took back (tokens += 1, under the lock), or the next caller waits for it too." },
    { on = "data-race", text = "ThreadSanitizer saw two goroutines use the bucket's fields at once: read and write tokens and last only with l->mu held." },
    "lock; tokens = min(burst, tokens + (now - last) / 1e9 * rate); last = now; tokens -= 1; wait = tokens < 0 ? -tokens / rate seconds : 0; unlock; then go_sleep_ctx(ctx, wait).",
  },
  check = function(c)
    local t = c:build{ harness = "limiter_test.c" }
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" } })
    c:run_tests(t, { prefix = "virtual time: ", timeout = 30, schedules = 20, strategy = "random" })
  end,
}

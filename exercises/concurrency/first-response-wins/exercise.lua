-- select with a deadline: race two calls, keep the first answer, and let
-- the loser finish (a slot for its answer; the timer stopped and freed).
return {
  title = "First response wins",
  track = "concurrency",
  difficulty = 2,
  files = { "racer.c" },
  headers = { "racer.h" },
  topics = { "select", "timeouts", "time.After", "buffered channels", "goroutine leaks" },
  after = { "pipeline-close" },
  time = 20,
  learn = { "https://quii.gitbook.io/learn-go-with-tests/go-fundamentals/select",
            "https://gobyexample.com/timeouts",
            "https://go.dev/talks/2012/concurrency.slide#47",
            "https://pkg.go.dev/time#After" },
  text = [[
# First response wins

Two mirrors serve the same data. Ask both, use whichever answers first,
and give up if neither answers in time. In Go that is a `select`:

```go
func Race(a, b func() int, timeout time.Duration) (int, int, error) {
    ca := make(chan int, 1)     // room for the answer, read or not
    cb := make(chan int, 1)
    go func() { ca <- a() }()
    go func() { cb <- b() }()
    select {
    case v := <-ca:
        return 0, v, nil
    case v := <-cb:
        return 1, v, nil
    case <-time.After(timeout):
        return -1, 0, ErrTimeout
    }
}
```

The race returns as soon as one case is ready. The slower call is not
stopped: it finishes later and hands in an answer nobody reads. With
`make(chan int)` (unbuffered) that send waits for a receiver that is
gone, so the goroutine stays blocked for the rest of the program's life:
a **goroutine leak**, one per race. The buffer of one is the whole fix in
Go: the loser's send always finds room, the goroutine ends, and the
garbage collector frees the channel. (So does `time.After`'s timer,
since Go 1.23; before that, it lived until it fired.)

In C, with chanlab's runtime, the same race is `go_select` over the
result channel and a `go_after(timeout)` channel (or `go_select_until`
with a `go_now()` deadline, which needs no channel at all):

```c
go_chan *deadline = go_after(timeout);
go_case cases[] = { GO_RECV(r->results, &res), GO_RECV(deadline, NULL) };
if (go_select(cases, 2) == 0)
    ...                 /* an answer, in res */
else
    ...                 /* too late */
```

There is no garbage collector, so two things Go does for you are yours:

- **The loser must be able to finish.** `racer.c` has both runners send
  on one unbuffered channel. After the race has its winner (or gave up),
  nobody receives, and each runner left waits in `go_send` for ever. The
  tests wait for both calls to return; the runtime's leak check
  (goleak's) then finds the runners still blocked, and names the
  `go_spawn` that started them.
- **The timer is a resource.** `go_after` returns a channel that you own:
  `go_chan_free` it (which stops its timer) on every path. One never
  freed is lost once it has fired, and LeakSanitizer reports it.

The race itself is freed by whoever is last to let go of it: `racer.c`
already counts references (the caller and both runners), so the loser
frees it once it has handed in its answer.

Change `racer.c` so that no runner ever waits to hand in its answer,
and so that the timer's channel is freed once the `select` is done. The
tests race a call that answers at once against one held back until the
race has returned, time out two slow calls at 50 ms, and run a hundred
races in a row, under ASan+LeakSanitizer and ThreadSanitizer too.
]],
  hints = {
    { test = "the_faster_call_wins", text = "The leak report shows the slower call's runner still blocked in go_send after the race returned: nobody will ever receive its answer from an unbuffered channel. Give the results channel room for every answer (two runners: capacity 2), so a send never waits." },
    { on = "leak", text = "Count the sends that may happen with nobody receiving: when both calls are too late, neither answer is read. A channel of capacity 1 leaves the second runner blocked; capacity 2 never does." },
    { on = "memory-leak", text = "A LeakSanitizer stack through go_after: the timer's channel was never freed. Keep it in a variable, and go_chan_free it after the select, on both paths (it also stops a timer that has not fired); or use go_select_until(cases, 1, go_now() + timeout), which needs no channel. A use after free in run(): the race was freed while the loser still used it; leave that to race_release." },
    { on = "crash", text = "A fault in run(): the loser touched the race after it was freed. Only the last of the three to let go may free it: call race_release(r), never go_chan_free(r->results) and free(r) yourself." },
    { on = "test", text = "The race must return as soon as one answer is in: do not wait for the second answer (a slot for it in the channel is all the loser needs)." },
    "The whole change: go_chan_make(sizeof(struct result), 2), and `go_chan *deadline = go_after(timeout);` ... `go_chan_free(deadline);` around the select.",
  },
  check = function(c)
    local t = c:build{ harness = "racer_test.c" }
    -- the pack's ASan (LeakSanitizer: the timer) and TSan passes run too;
    -- TSan leaves out the case that waits for a timer LeakSanitizer judges
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 20, env = { "GOMAXPROCS=2" },
                              only = { "the_faster_call_wins", "either_call_can_win",
                                       "two_slow_calls_time_out_at_the_deadline",
                                       "a_hundred_races_leave_nothing_behind" } } })
  end,
}

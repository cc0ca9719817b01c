-- A non-blocking send: telemetry that drops (and counts) rather than slow the hot path.
return {
  title = "Drop, don't block",
  track = "concurrency",
  difficulty = 2,
  files = { "metrics.c" },
  headers = { "metrics.h" },
  topics = { "select with default", "non-blocking send", "sync/atomic", "backpressure" },
  after = { "merge-with-nil" },
  time = 15,
  learn = { "https://gobyexample.com/non-blocking-channel-operations",
            "https://gobyexample.com/atomic-counters",
            "https://go.dev/ref/spec#Select_statements" },
  text = [[
# Drop, don't block

A request handler records a metric on every request: it hands an event to
an exporter goroutine that ships events to a collector. When the
collector is slow, the exporter falls behind, the channel's buffer fills
up, and a plain send *waits*: every request now runs at the speed of the
metrics collector. Telemetry must never do that to the work it measures.

Go's answer is a `select` with a `default` case, a send that only happens
if it can happen now, and an atomic counter for what was given up:

```go
var dropped atomic.Int64

func emit(events chan<- int64, v int64) {
    select {
    case events <- v:       // room in the buffer: sent
    default:                // full: drop it, and say so
        dropped.Add(1)
    }
}
```

Dropping is a decision, not an accident: the count of drops is itself a
metric, and it must be exact, although every request goroutine adds to it
at once.

`metrics_emit` in `metrics.c` sends with `go_send`, which waits. Make it
never wait: `go_try_send` is the runtime's select-with-default for one
channel (it returns false when the send cannot happen now), and
`m->dropped` is a `go_atomic_int64` (Go's `atomic.Int64`). The tests
stall the exporter at 1 ms an event and emit 100 000 events: every one
must be delivered or counted, and the hot path must not slow down. Four
goroutines emit at once too, on two threads, under ThreadSanitizer.
]],
  hints = {
    { test = "a_stalled_exporter_does_not_slow_the_hot_path", text = "go_send waits until the exporter makes room in the buffer, and the stalled exporter takes 1 ms an event. Send only if there is room now: go_try_send returns false instead of waiting." },
    { on = "data-race", text = "ThreadSanitizer saw two goroutines update the drop count at once with plain reads and writes. Count with go_atomic_int64_add(&m->dropped, 1): it is one indivisible step." },
    { on = "test", text = "Every event is either sent or counted: when go_try_send returns false, add one to m->dropped; when it returns true, do not." },
    "if (!go_try_send(m->events, &value)) go_atomic_int64_add(&m->dropped, 1);",
  },
  check = function(c)
    local t = c:build{ harness = "metrics_test.c" }
    -- the pack's ASan and TSan passes run too
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 30, env = { "GOMAXPROCS=2" } } })
  end,
}

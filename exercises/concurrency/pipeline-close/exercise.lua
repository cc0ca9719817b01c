-- Closing channels: a pipeline that never says "done" deadlocks, and the runtime says where.
return {
  title = "Close the pipeline",
  track = "concurrency",
  difficulty = 3,
  files = { "pipeline.c" },
  headers = { "pipeline.h" },
  topics = { "close", "range over a channel", "pipelines", "deadlock report" },
  after = { "letter-frequency" },
  time = 15,
  learn = { "https://go.dev/tour/concurrency/4", "https://go.dev/blog/pipelines" },
  text = [[
# Close the pipeline

A pipeline is a chain of goroutines joined by channels: each stage
receives values from the one before, works on them and sends them on. In Go:

```go
func square(in <-chan int, out chan<- int) {
    for x := range in {     // ends when in is closed and drained
        out <- x * x
    }
    close(out)              // tell the next stage: nothing more
}
```

`for x := range in` only ends when the sender **closes** the channel. In
chanlab's runtime the same loop is `while (go_recv2(in, &x)) { ... }`:
`go_recv2` returns false once the channel is closed and empty, and
`go_close(c)` closes it.

`pipeline_sum_squares` in `pipeline.c` runs a generator goroutine, a
squarer goroutine and a summing loop. Nobody closes anything yet, so once
the numbers run out every goroutine waits for a value that never comes.
Go's runtime notices that and stops the program with
`fatal error: all goroutines are asleep - deadlock!`; so does chanlab's,
and it prints where each goroutine is blocked.

Finish `pipeline.c` so that each stage closes its output channel when it
has sent everything. Only the sender closes a channel, and only once.
]],
  hints = {
    { on = "deadlock", text = "The deadlock report lists every goroutine and the line where it waits. The summing loop waits for a value on `squares` that never comes: who should have said 'no more'?" },
    "A stage closes the channel it sends on, after its last send: go_close(g->out) at the end of generate(), go_close(s->out) at the end of square().",
    { on = "crash", text = "`panic: close of closed channel` or `send on closed channel`: a channel was closed by someone who is not its only sender, or before its last send. Close a channel once, in the goroutine that sends on it, after the loop that sends. A fault in generate() or square() instead: they ran after pipeline_sum_squares had freed the channels, because its loop over `squares` ended early; only the squarer may close `squares`." },
    "Do not close a channel you receive from: closing a closed channel is a fatal error, and the sender may still be sending.",
  },
  check = function(c)
    local t = c:build{ harness = "pipeline_test.c" }
    c:run_tests(t, { timeout = 5 })
    -- On one thread, with no leak check after the case, goroutines run only
    -- when the caller blocks: a caller whose loop ends without ever
    -- waiting is judged by what it returned alone, the same way every run
    -- (in the pass above, its stages then run into the channels it freed).
    c:run_tests(t, { prefix = "one thread: ", timeout = 5, env = { "GOMAXPROCS=1", "CHANLAB_LEAKCHECK=0" },
                     only = { "one_to_ten" } })
  end,
}

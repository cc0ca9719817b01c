-- Nil channels in select: turn off a finished case instead of spinning on it.
return {
  title = "Turn off a finished case",
  track = "concurrency",
  difficulty = 3,
  files = { "merge.c" },
  headers = { "merge.h" },
  topics = { "select", "nil channels", "close", "fan-in" },
  after = { "pipeline-close" },
  time = 15,
  learn = { "https://go.dev/ref/spec#Select_statements",
            "https://www.ardanlabs.com/blog/2017/10/the-behavior-of-channels.html" },
  text = [[
# Turn off a finished case

`merge` forwards the values of two channels, `a` and `b`, to `out` until
both are closed. In Go:

```go
func merge(a, b <-chan int, out chan<- int) {
    for a != nil || b != nil {
        select {
        case v, ok := <-a:
            if !ok {
                a = nil // a nil channel is never ready: this case is off
                continue
            }
            out <- v
        case v, ok := <-b:
            if !ok {
                b = nil
                continue
            }
            out <- v
        }
    }
    close(out)
}
```

Two facts about channels make this work:

- A **closed** channel is *always* ready: every receive returns at once
  with the zero value and `ok == false`. A select that keeps a case for
  a closed channel wakes up on it again and again.
- A **nil** channel is *never* ready. A select case on a nil channel can
  never fire, so setting the variable to nil switches the case off while
  the other cases still work.

`merge.c` does the first half right: it notices that an input is closed
and stops forwarding from it. But it keeps the closed channel in its
select, so once `a` is closed and `b` is quiet, the loop turns around as
fast as the CPU allows, receiving nothing from `a` forever. The values
still arrive, so the answer is right; the cost is a whole core.

In chanlab's runtime a case on a `NULL` channel is the same as Go's nil
channel case: `GO_RECV(NULL, &v)` never fires. The tests check every
value arrives once in any closing order, and measure the process's CPU
time while one input is closed and the other is quiet for 500 ms.

Fix `merge` so that a closed input's case is turned off.
]],
  hints = {
    { on = "test", text = "merge used a lot of CPU while nothing happened: after `a` closes, its case is ready at every select, so the loop never parks. Set `a = NULL` when its receive returns !ok: a case on a NULL channel never fires." },
    "Once both inputs are NULL, a select over them would wait forever: loop `while (a || b)`, and close out after the loop.",
    { on = "leak", text = "A goroutine was left blocked when the case ended. Blocked in the tests' produce: merge returned (and closed out) while the other input still had values, so its producer waits forever to send; a closed input ends only its own case (set it to NULL), and merge ends when both are closed. Blocked in merge at its send to out: it forwarded values nobody sent (a closed input's zeros, ok == false), so the test stopped reading out." },
    { on = "deadlock", text = "Everyone waits: is out closed once both inputs are done? The test receives from out until it is closed, and a select whose every channel is NULL never returns." },
    "Check cs[i].ok after the select: false means that input is closed and drained, and v holds a zero, not a value to forward.",
  },
  check = function(c)
    local t = c:build{ harness = "merge_test.c" }
    -- the pack's ASan and TSan passes run too (TSan on two cases)
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 20, only = { "every_value_arrives_once_when_a_closes_first",
                                                     "every_value_arrives_once_when_b_closes_first" } } })
  end,
}

-- The execution trace: two workers on two Ps take turns, because each
-- holds the one lock while it does its work; lock only the shared part.
return {
  title = "Two Ps, one busy",
  track = "profiling",
  difficulty = 4,
  files = { "render.c" },
  headers = { "render.h" },
  topics = { "execution trace", "go tool trace", "sync.Mutex", "critical section", "serialisation",
             "GOMAXPROCS", "utilisation" },
  after = { "heartbeat-behind-a-lock" },
  time = 25,
  sanitizers = { "asan", "tsan" },   -- a profiling exercise, but the lesson is a lock: TSan too
  learn = { "https://pkg.go.dev/runtime/trace",
            "https://go.dev/doc/diagnostics#execution-tracer",
            "https://github.com/ardanlabs/gotraining/tree/master/topics/go/profiling/trace",
            "https://go.dev/blog/execution-traces-2024" },
  text = [[
# Two Ps, one busy

A frame is shaded one row at a time by worker goroutines: each takes the
next row nobody has taken, shades it, and adds it to the frame's counts.
Rows are independent, so two workers on two cores should take half the
time of one. In Go:

```go
func (f *Frame) worker() {
    for {
        f.mu.Lock()
        if f.next == f.height {
            f.mu.Unlock()
            return
        }
        y := f.next
        f.next++
        f.sum += f.shadeRow(y)     // the work: about 0.2 ms a row
        f.done++
        f.mu.Unlock()
    }
}
```

It is correct, and at `GOMAXPROCS=2` it is no faster than one worker.
A CPU profile does not say why: the CPU goes where it should, into
`shadeRow`. The execution trace does. `go test -trace trace.out`, then
`go tool trace trace.out`: the timeline has one row per P, and only one of
them is ever busy; the goroutine analysis shows each worker spending half
its life in `sync.Mutex.Lock`. The work is serialised behind the lock:
whoever holds `f.mu` shades, the other waits, then they swap.

The lock guards `next`, `sum` and `done`, which the workers share. It
does not need to guard the row: once a worker has taken `y`, nobody else
writes that row. Hold the lock for what it protects, and do the work
outside it: take a row under the lock, unlock, shade it, then lock again
(briefly) to add the row's sum and count it.

`render.c` is that worker in C; `shade_row` (in the pack, `render.h`
says what it touches) is the work. The check traces 2 workers shading a
640 × 960 frame at `GOMAXPROCS=2`. Press **`t`** for the scheduler
timeline of exactly that run (or `chanlab trace trace-the-serialization
--last`): in the starter, the Ps take turns, and `Tab` to a worker shows
it blocked on **sync**, the mutex, after every row.

You pass when, in that trace, the Ps are busy **55%** of the time (1.1 of
2: the reference's are busy 80-100% on a quiet machine and less on a
loaded one, the starter's about half of it) and the workers spend under
**10%** of their time blocked on sync, and when a benchmark (a 320 × 96
frame, 2 workers on 2 Ps) takes at most **1.3×** the reference's elapsed
time. The tests check every row is shaded
once and the counts are right, also under ThreadSanitizer.
]],
  hints = {
    { test = "the trace: both Ps shade side by side",
      text = "Press t: one P runs a worker while the other idles, and the idle worker is blocked on sync (f->mu) every time. render_worker holds f->mu across shade_row, so only one row is shaded at a time. shade_row writes only its own row: call it with no lock held." },
    "Take the row under the lock (y = f->next_row++), go_mutex_unlock, then sum = shade_row(f, y) with no lock, then go_mutex_lock again just for f->sum += sum and f->rows_done++.",
    { on = "data-race", text = "ThreadSanitizer saw two workers touch next_row, sum or rows_done at once: those are shared and need f->mu. Only shade_row may run unlocked." },
    "Splitting the critical section in two helps only if the work is in neither half: a second lock (or the same one) around shade_row serialises it again.",
    { on = "benchmark", text = "The benchmark measures elapsed time at 2 Ps: the two workers must shade at the same moment. Press t and check that both Ps are busy." },
  },
  check = function(c)
    local extra = { "frame.c", "shade.c" }
    local t = c:build{ harness = "render_test.c", extra = extra }
    local res = c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                                 asan = { timeout = 40 },
                                 tsan = { timeout = 60, env = { "GOMAXPROCS=4" },
                                          only = { "two_workers_shade_every_row_once",
                                                   "eight_workers_shade_every_row_once",
                                                   "four_workers_on_a_tall_narrow_frame" } } })
    local busy, waits = "the trace: both Ps shade side by side", "the trace: workers rarely wait for the mutex"
    if res.failed > 0 then
      c:skip(busy, "not run: fix the failing tests first")
      c:skip(waits, "not run: fix the failing tests first")
      c:skip("benchmark render_320x96_on_two_ps", "not run: fix the failing tests first")
      return
    end
    -- what the Ps did: the learner's execution trace (kept for t too)
    local tr, r = c:trace(c:build{ extra = { "render_main.c", "frame.c", "shade.c" } },
                          { timeout = 30, env = { "GOMAXPROCS=2" } })
    if not tr then
      c:test(busy, false, "the traced run wrote no trace: " .. tostring(r.profile_error), r.stderr)
      c:skip(waits, "no trace")
    elseif tr.empty then
      c:skip(busy, "no trace in a sanitizer build")
      c:skip(waits, "no trace in a sanitizer build")
    else
      local sync = tr.blocked and tr.blocked.sync or 0
      local nsync = tr.blocks and tr.blocks.sync or 0
      local share = tr.seconds > 0 and sync / (2 * tr.seconds) or 1
      c:test(busy, tr.utilisation >= 0.55,
             string.format("2 workers shading 640 x 960 at GOMAXPROCS=2: the Ps ran goroutines %.0f%% of the "
                           .. "%.0f ms traced (%.2f of 2 Ps); at least 55%% (1.1 of 2) when the rows are shaded "
                           .. "side by side. Press t: the Ps take turns",
                           tr.utilisation * 100, tr.seconds * 1000, tr.utilisation * 2))
      c:test(waits, share < 0.1,
             string.format("the 2 workers were blocked on sync (the frame's mutex) %d times, %.0f ms in all: "
                           .. "%.0f%% of their %.0f ms; under 10%% when the lock is held only for the shared "
                           .. "counts. Press t and Tab to a worker",
                           nsync, sync * 1000, share * 100, tr.seconds * 1000))
    end
    local ref = c:build{ harness = "render_test.c", extra = extra, solution = true }
    c:bench(t, ref, "render_320x96_on_two_ps", { budget = 1.3, clock = "wall" })
  end,
}

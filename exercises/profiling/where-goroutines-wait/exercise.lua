-- The block profile: find the stage every other goroutine waits on
-- (off-CPU time), and widen it with fan-out and fan-in.
return {
  title = "Read the block profile",
  track = "profiling",
  difficulty = 3,
  files = { "stages.c" },
  headers = { "prices.h" },
  topics = { "block profile", "pprof", "off-CPU time", "pipelines", "fan-out", "fan-in" },
  after = { "find-the-hotspot", "worker-pool" },
  time = 25,
  sanitizers = { "asan", "tsan" },   -- a profiling exercise, but the fix is goroutines: TSan too
  learn = { "https://pkg.go.dev/runtime/pprof",
            "https://go.dev/blog/pipelines",
            "https://www.brendangregg.com/offcpuanalysis.html" },
  text = [[
# Read the block profile

An invoicing pipeline has three stages. Stage 1 sends order lines, stage 2
prices each line with a remote price service (one round trip, about 2 ms),
stage 3 adds up the invoice. In Go:

```go
func priceStage(in <-chan Line) <-chan Priced {
    out := make(chan Priced)
    go func() {
        for l := range in {
            out <- Priced{l.ID, l.Qty * priceLookup(l.SKU)}
        }
        close(out)
    }()
    return out
}
```

It is correct, and an invoice of 64 lines takes about 130 ms on any machine,
however many cores it has. The CPU profile shows nothing: the program
hardly uses the CPU. The time goes in *waiting*, off the CPU, and that is
what Go's block profile records: every time a goroutine parks on a
channel, a `select` or a lock, where, and for how long.

```
go test -bench . -blockprofile block.out
go tool pprof -top block.out
```

(in a program, `runtime.SetBlockProfileRate(1)` and
`pprof.Lookup("block")`). The top rows are where goroutines waited the
longest. Here, stage 3 waits at its receive from stage 2's channel, and
stage 1 at its send into stage 2: one goroutine sets the pace for all
three, and it spends its own time waiting for the price service.

chanlab records the same profile. Press **`p`** in the exercise and
choose the **block** profile (or run `chanlab profile --block
where-goroutines-wait`): `invoice_collect` is stage 3, `feed_lines` stage
1, both in the instructor's `invoice.c`, and their delay is the time they
spent waiting for your stage.

The price service takes up to `PRICE_MAX_REQUESTS` (8) requests at once.
Fix `price_stage` in `stages.c` so it uses them: start that many goroutines
receiving from `in` (fan-out), all sending into one `out` (fan-in), and
close `out` once, after the last of them has sent its last line. Lines may
come out in any order.

The check runs the tests (every line priced exactly once; never more than 8
lookups in flight), then profiles an invoice of 160 lines: stage 3 must
wait less than half of the 320 ms the lookups take one after another. A
benchmark (64 lines at `GOMAXPROCS=2`, elapsed time) must be within
**1.5×** of the reference's.
]],
  hints = {
    { on = "test", test = "the block profile: stage 3 waits for stage 2", text = "Open the block profile (p, then the block view): invoice_collect, stage 3, waits at its receive from your out channel about as long as all the lookups take one after another, and feed_lines, stage 1, waits as long at its send into in. One goroutine runs every lookup; the price service would take 8 at once." },
    "Fan out: spawn PRICE_MAX_REQUESTS goroutines that all run the same loop over in. Fan in: they all send into the same out. A bigger buffer on a channel does not help: the lookups still run one at a time.",
    "Only one goroutine may close out, after every worker is done: a go_waitgroup the workers call done on, and one more goroutine that waits for it, closes out and frees the stage. Do not wait in price_stage itself: it must return out first, so stage 3 can drain it.",
    { on = "crash", text = "`close of closed channel` or `send on closed channel`: a worker closed out while others still had lines to send. Close it in one place, after go_waitgroup_wait." },
    { on = "data-race", text = "ThreadSanitizer saw two workers write the same variable: a counter of running workers shared without a lock loses updates. Let a go_waitgroup count them." },
    { on = "deadlock", text = "price_stage waited for its workers before returning out, so nobody drains out and the workers wait to send for ever. Wait in a goroutine of its own." },
  },
  check = function(c)
    local extra = { "prices.c", "invoice.c" }
    local t = c:build{ harness = "pipeline_test.c", extra = extra }
    local res = c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=2" },
                                 asan = { timeout = 30 },
                                 tsan = { timeout = 40, env = { "GOMAXPROCS=4" },
                                          only = { "every_line_is_priced_exactly_once",
                                                   "fewer_lines_than_requests_at_once", "one_line" } } })
    local name = "the block profile: stage 3 waits for stage 2"
    if res.failed > 0 then
      c:skip(name, "not run: fix the failing tests first")
      c:skip("benchmark invoice_64_lines", "not run: fix the failing tests first")
      return
    end
    -- where the goroutines wait: the learner's block profile (kept for p too)
    local p, r = c:profile(c:build{ extra = { "pipeline_main.c", "prices.c", "invoice.c" } },
                           { kind = "block", timeout = 20, env = { "GOMAXPROCS=2" } })
    if not p then
      c:test(name, false, "the profiled run wrote no profile: " .. tostring(r.profile_error), r.stderr)
    elseif p.empty then
      c:skip(name, "no profile in a sanitizer build")
    else
      local serial = 160 * 0.002e9
      local s3 = p.by_name.invoice_collect
      local waited = s3 and s3.cum or 0
      local rows = {}
      for _, f in ipairs(p.functions) do
        if f.cum >= 1e6 and not f.file:find("^runtime/") and not f.name:find("^go_") and f.name ~= "invoice_run" then
          rows[#rows + 1] = f
        end
      end
      table.sort(rows, function(a, b) return a.cum > b.cum end)
      for i = 1, math.min(#rows, 4) do
        local f = rows[i]
        rows[i] = string.format("%s %.0f ms (%s:%d)", f.name, f.cum / 1e6, f.file:match("[^/]+$"), f.line)
      end
      for i = #rows, 5, -1 do
        rows[i] = nil
      end
      c:test(name, waited < serial / 2,
             string.format("stage 3 (invoice_collect) waited %.0f ms for 160 priced lines: %.0f%% of the %.0f ms "
                           .. "the lookups take one after another; the budget is 50%%. The block profile's top "
                           .. "sites (%d events): %s; press p to see it",
                           waited / 1e6, waited / serial * 100, serial / 1e6, p.samples,
                           table.concat(rows, ", ")))
    end
    local ref = c:build{ harness = "pipeline_test.c", extra = extra, solution = true }
    c:bench(t, ref, "invoice_64_lines", { budget = 1.5, clock = "wall" })
  end,
}

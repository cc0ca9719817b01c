-- The mutex profile: one lock taken for every word of every worker; count
-- into tables of the workers' own and merge once.
return {
  title = "One lock, every worker waiting",
  track = "profiling",
  difficulty = 3,
  files = { "wordcount.c" },
  headers = { "wordcount.h" },
  topics = { "mutex profile", "pprof", "lock contention", "sync.Mutex", "confinement", "sharding" },
  after = { "where-goroutines-wait", "letter-frequency" },
  time = 25,
  sanitizers = { "asan", "tsan" },   -- a profiling exercise, but the lesson is a lock: TSan too
  learn = { "https://pkg.go.dev/runtime#SetMutexProfileFraction",
            "https://go.dev/doc/diagnostics#profiling",
            "https://github.com/ardanlabs/gotraining/tree/master/topics/go/profiling" },
  text = [[
# One lock, every worker waiting

`wordcount` counts the words of a text with 4 worker goroutines, each
counting a part of it into one shared table behind one mutex. In Go:

```go
for _, w := range words(part) {
    mu.Lock()
    counts[w]++
    mu.Unlock()
}
```

It is correct, and on two cores it is no faster than one goroutine: the
workers spend their time waiting for each other at `mu.Lock()`. Go's
mutex profile shows where:

```go
runtime.SetMutexProfileFraction(1)   // record every contention
```

```
go test -bench . -mutexprofile mutex.out
go tool pprof -top mutex.out
```

A mutex profile records each time a goroutine had to wait for a lock,
and for how long, and charges the wait to the goroutine that *held* the
lock, at its `Unlock`: the line it points at is the critical section that
made the others wait.

chanlab records the same profile. Press **`p`** in the exercise and
choose the **mutex** profile (or run `chanlab profile --mutex lock-contention`):
nearly all the contention is at one `go_mutex_unlock` in `count_part`,
the one every word goes through.

Take the lock out of the loop. Each worker can count its part into a
table of its own (`table_new`), which nobody else touches and which needs
no lock, then merge it into the shared table once (`table_merge`, under
the lock) and free it. That is 4 lock operations instead of one per word.

The check runs the tests (exact counts, also under ThreadSanitizer), then
profiles 4 workers counting 32 MiB at `GOMAXPROCS=2`: at most **8**
contention events may be left (the starter has dozens to thousands,
depending on how the workers meet). A benchmark (1 MiB, 4 workers) must be
within **1.5×** of the reference's CPU time.
]],
  hints = {
    { test = "the mutex profile: workers rarely wait for the lock", text = "Open the mutex profile (p, then the mutex view): the contention is charged to the go_mutex_unlock in count_part, and that unlock is the one every word goes through. Every word of every worker takes s->mu, so the workers take turns. Take the lock out of the loop." },
    "Give each worker a table of its own: struct wc_table *mine = table_new() at the top of count_part, table_inc(mine, ...) in the loop with no lock, then go_mutex_lock, table_merge(counts, mine), go_mutex_unlock, table_free(mine).",
    "More locks do not help while each word still takes one: the common words (a few of them are most of the text) land on the same lock, and every lock operation costs. Lock once per worker, not once per word.",
    { on = "data-race", text = "ThreadSanitizer saw two workers write the shared table at once: the merge into it changes it, so it needs the lock (once per worker), even if the counting before it does not." },
  },
  check = function(c)
    local extra = { "table.c", "corpus.c" }
    local t = c:build{ harness = "wc_test.c", extra = extra }
    local res = c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                                 asan = { timeout = 40 },
                                 tsan = { timeout = 60, env = { "GOMAXPROCS=4" },
                                          only = { "one_and_four_workers_agree_on_a_megabyte",
                                                   "words_cut_by_the_parts_are_counted_once" } } })
    local name = "the mutex profile: workers rarely wait for the lock"
    if res.failed > 0 then
      c:skip(name, "not run: fix the failing tests first")
      c:skip("benchmark count_1mb", "not run: fix the failing tests first")
      return
    end
    -- who made the workers wait: the learner's mutex profile (kept for p too)
    local p, r = c:profile(c:build{ extra = { "wc_main.c", "table.c", "corpus.c" } },
                           { kind = "mutex", timeout = 30, env = { "GOMAXPROCS=2" } })
    if not p then
      c:test(name, false, "the profiled run wrote no profile: " .. tostring(r.profile_error), r.stderr)
    elseif p.empty then
      c:skip(name, "no profile in a sanitizer build")
    else
      local rows = {}
      for _, f in ipairs(p.functions) do
        if f.cum > 0 and not f.file:find("^runtime/") and not f.name:find("^go_") then
          rows[#rows + 1] = f
        end
      end
      table.sort(rows, function(a, b) return a.cum > b.cum end)
      for i = 1, math.min(#rows, 3) do
        local f = rows[i]
        rows[i] = string.format("%s %.1f ms (%s:%d)", f.name, f.cum / 1e6, f.file:match("[^/]+$"), f.line)
      end
      for i = #rows, 4, -1 do
        rows[i] = nil
      end
      c:test(name, p.samples <= 8,
             string.format("4 workers counting 32 MiB waited for a go_mutex %d times (%.1f ms in all); at most 8 "
                           .. "may be left, one merge per worker. The mutex profile charges the waits to the "
                           .. "unlock that ended them: %s; press p to see it",
                           p.samples, p.total / 1e6, #rows > 0 and table.concat(rows, ", ") or "no sites"))
    end
    local ref = c:build{ harness = "wc_test.c", extra = extra, solution = true }
    c:bench(t, ref, "count_1mb", { budget = 1.5 })
  end,
}

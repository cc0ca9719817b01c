-- Confine counts to each goroutine and merge once, instead of locking every increment.
return {
  title = "Count letters in parallel",
  track = "concurrency",
  difficulty = 2,
  files = { "freq.c" },
  headers = { "freq.h" },
  topics = { "confinement", "sync.Mutex", "fan-in", "contention" },
  after = { "bank-account" },
  time = 20,
  learn = { "https://exercism.org/tracks/go/exercises/parallel-letter-frequency",
            "https://go.dev/blog/codelab-share" },
  text = [[
# Count letters in parallel

`letter_frequency` counts the letters of many texts with a few worker
goroutines. It is correct: every count is protected by a mutex, so
ThreadSanitizer is happy and the numbers are right. It is also slower
than one goroutine would be, because every single letter takes the lock,
and with two threads each worker spends most of its time waiting for the
other to let go of it.

Go's answer is in its proverb *"Do not communicate by sharing memory;
instead, share memory by communicating"*:

```go
func Frequency(texts []string, workers int) [26]int64 {
    results := make(chan [26]int64)
    for w := 0; w < workers; w++ {
        go func(w int) {
            var mine [26]int64          // this goroutine's alone
            for t := w; t < len(texts); t += workers {
                for _, r := range texts[t] { /* mine[...]++ */ }
            }
            results <- mine             // handed over once
        }(w)
    }
    var total [26]int64
    for w := 0; w < workers; w++ {
        mine := <-results
        for i := range total { total[i] += mine[i] }
    }
    return total
}
```

Each worker counts into memory nobody else touches (the counts are
*confined* to it), so it needs no lock at all. Only the finished counts
cross between goroutines, once per worker, over a channel. The caller
adds them up. The channel is also the join: after `workers` receives,
every worker is done.

In C the same shape works: a local `long mine[26]` (or a struct holding
one, so it can travel through `go_send` by value) in each worker, a
channel of those, and a loop in `letter_frequency` that receives one per
worker. Taking the mutex once per worker, to add `mine` into `out`, is
fine too: that is 4 lock operations instead of a quarter of a million.

The tests check the exact counts (ThreadSanitizer watches them too). The
benchmark `freq_64texts` counts 64 texts of 4 KiB with 4 workers on two
threads, and you pass when you are within 1.5 times the reference's time.

Change `count` in `freq.c` so each worker counts on its own and merges
once.
]],
  hints = {
    { on = "benchmark", text = "Your counts are right but each letter takes the mutex: with two threads the workers spend their time waiting for each other. Count into a local array in each worker and merge it once at the end." },
    "Give count() a local `long mine[FREQ_LETTERS] = { 0 };`, increment mine[c - 'a'] without any lock, and after the loop add mine into s->out under the mutex (once per worker), or send it on a channel to letter_frequency.",
    { on = "data-race", text = "ThreadSanitizer saw two workers touch the same count without synchronisation. Local counts need no lock, but adding them into the shared out[] does: hold the mutex around the merge, or send the counts to letter_frequency and add them up there." },
    "A struct { long c[FREQ_LETTERS]; } can go through a channel by value: go_chan_make(sizeof(struct counts), 0), go_send(ch, &mine), go_recv(ch, &got).",
    { on = "test", text = "Some counts are missing: letter_frequency returned before every worker had merged. Receive one result per worker (or wait on the WaitGroup) before returning." },
  },
  check = function(c)
    local t = c:build{ harness = "freq_test.c" }
    -- the pack's ASan and TSan passes run too (TSan on two cases)
    local r = c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=2" },
                               tsan = { timeout = 20, only = { "sixty_four_texts_with_four_workers_count_exactly",
                                                               "one_worker_counts_everything" } } })
    if r.failed > 0 then
      c:skip("benchmark freq_64texts", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "freq_test.c", solution = true }
    c:bench(t, ref, "freq_64texts", { budget = 1.5 })
  end,
}

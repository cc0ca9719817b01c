-- Channel operations cost: batching values cuts the per-item synchronisation.
return {
  title = "Batch your sends",
  track = "profiling",
  difficulty = 3,
  topics = { "channels", "batching", "benchmarks", "CPU profile", "throughput" },
  files = { "batch.c" },
  text = [[
# Batch your sends

`channel_sum` hands numbers to a consumer goroutine over a channel, one
number per `go_send`. It is correct, and slow: every channel operation
takes a lock, and on an unbuffered channel every send waits for the
receiver, which often means parking one goroutine and waking the other.
That synchronisation costs far more than adding two integers. Profile a Go
program like this and the time is in `chansend` and `chanrecv`, not in
your loop; press **`P`** to profile a check of yours and see the same:
the CPU goes to the scheduler and the channel's lock (`execute`,
`go__lock_acquire`, `runqput`), hardly any to the additions.

The fix is the one Go programmers reach for: **send fewer, bigger
messages**. Put numbers into a batch (a struct with a count and an array
of, say, 256 ints), send the batch when it is full, send the last partial
batch before closing, and let the consumer loop over each batch it
receives. A small buffer on the channel lets the producer fill the next
batch while the consumer adds up the last one.

The benchmark sums 10 000 numbers per operation; you pass when your median
time is within **2×** the reference's. The tests check the sums, including
counts that are not a multiple of your batch size.
]],
  hints = {
    { on = "benchmark", text = "The profile (P) is the scheduler and the channel's lock, not your adds. Count the channel operations per sum: yours does one per number. The reference does one per 256 numbers." },
    "Make the channel's element a struct batch { int n; int v[256]; } (go_chan_make(sizeof(struct batch), 4)) and send a batch whenever it is full.",
    { on = "test", text = "Numbers left in a partly filled batch at the end must be sent too, before go_close." },
  },
  check = function(c)
    local t = c:build{ harness = "batch_test.c" }
    local res = c:run_tests(t, { timeout = 10 })
    if res.failed > 0 then
      c:skip("benchmark sum_10k", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "batch_test.c", solution = true }
    c:bench(t, ref, "sum_10k", { budget = 2 })
  end,
}

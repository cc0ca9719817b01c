-- A fixed pool of workers over a job channel, fan-in of results, and an orderly shutdown.
return {
  title = "A pool of workers",
  track = "concurrency",
  difficulty = 3,
  files = { "pool.c" },
  headers = { "pool.h" },
  topics = { "worker pools", "fan-out", "fan-in", "close", "goroutine leaks" },
  after = { "limit-the-crawler" },
  time = 25,
  learn = { "https://gobyexample.com/worker-pools", "https://go.dev/blog/pipelines" },
  text = [[
# A pool of workers

A worker pool runs many jobs on a fixed number of goroutines: the
workers take jobs from one channel (fan-out) and send results into
another (fan-in). In Go:

```go
func RunPool(jobs []int, workers int, report func(Result)) (failed int) {
    jobc, results := make(chan int), make(chan Result)
    var wg sync.WaitGroup
    wg.Add(workers)
    for w := 0; w < workers; w++ {
        go func() {
            defer wg.Done()
            for job := range jobc {         // ends when jobc is closed
                v, err := work(job)
                results <- Result{job, v, err}
            }
        }()
    }
    go func() {
        for _, j := range jobs { jobc <- j }
        close(jobc)                         // no more jobs: workers stop
    }()
    for range jobs {
        r := <-results
        if r.Err != nil { failed++ }
        report(r)
    }
    wg.Wait()                               // every worker has stopped
    return failed
}
```

The hard part is not the work but the **shutdown**. A worker ranges
over the job channel, so it stops only when that channel is closed. A
pool that forgets to close it returns the right answers and leaves its
workers behind, blocked forever on a receive: a *goroutine leak*. In a
server that runs a pool per request, that is a few KiB per request,
forever. And a channel may only be freed once nobody waits on it, so
the caller must know the workers are gone (`wg.Wait()`).

`pool.c` does the fan-out and the fan-in in one `select` in the
caller: send the next job, or receive a result, whichever is ready,
with the send case turned off by a `NULL` channel once every job is
out. (Sending everything first and then collecting deadlocks: the
workers wait to hand in results while the caller waits to hand out
jobs.) Everything works except the end.

The tests count the workers' jobs in flight, check every report, and
check that no goroutine is left after `run_pool` returns. They run
under AddressSanitizer and ThreadSanitizer too.

Finish `run_pool`: stop the workers, wait until they have stopped, and
free the channels.
]],
  hints = {
    { on = "test", text = "Goroutines were left after run_pool returned: the workers are still in go_recv2 on the jobs channel, waiting for jobs that will never come. Close the jobs channel once every result is in; their while loops then end." },
    { on = "leak", text = "The workers were still alive, blocked in go_recv2 on the jobs channel, after run_pool returned: nobody closes it, so their while loops never end. Close the jobs channel once every result is in, then wait for the workers." },
    "go_close(p.jobs), then go_waitgroup_wait(&p.wg) (each worker calls done when its loop ends), then go_chan_free both channels.",
    { on = "deadlock", text = "The caller waits to send a job while every worker waits to send a result: nobody receives. Receive results while you hand out jobs (a select with both cases), or hand out jobs from a goroutine of its own." },
    { on = "test", test = "failures_at_the_same_moment_are_all_counted", text = "Failures were lost while several jobs failed at the same moment: an unlocked count++ shared by the workers loses updates when two run it together. Count failures in run_pool, as the results arrive; only one goroutine touches the count then." },
    { on = "sanitizer", text = "A channel was freed (or a count written) while a worker still used it, or two workers wrote the same variable at once. Free the channels only after go_waitgroup_wait, and count failures where the results arrive, in run_pool, not in the workers." },
    { on = "crash", text = "`close of closed channel`: only one goroutine may close a channel. The jobs channel belongs to run_pool, which hands out the jobs; workers never close it. A fault (or `negative WaitGroup counter`) in worker: run_pool returned while the workers still ran, so they used channels and a WaitGroup that no longer existed; go_waitgroup_wait before you free the channels and return." },
  },
  check = function(c)
    local t = c:build{ harness = "pool_test.c" }
    -- the pack's ASan pass (one case) and TSan pass (four, four threads)
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=2" },
                     asan = { timeout = 10, only = { "every_job_is_reported_exactly_once" } },
                     tsan = { timeout = 20, env = { "GOMAXPROCS=4" },
                              only = { "every_job_is_reported_exactly_once",
                                       "failed_jobs_are_reported_and_counted",
                                       "failures_at_the_same_moment_are_all_counted",
                                       "the_workers_run_at_the_same_time_but_no_more_of_them" } } })
    -- on one thread the workers start only after run_pool returned: a pool
    -- that does not wait for them is caught the same way every run
    c:run_tests(t, { prefix = "one thread: ", timeout = 5, env = { "GOMAXPROCS=1" },
                     only = { "no_jobs_report_nothing" } })
  end,
}

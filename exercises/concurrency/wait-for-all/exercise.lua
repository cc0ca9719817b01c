-- Joining goroutines: a WaitGroup, not a guessed sleep.
return {
  title = "Don't sleep, wait",
  track = "concurrency",
  difficulty = 1,
  files = { "checker.c" },
  headers = { "checker.h" },
  topics = { "goroutines", "sync.WaitGroup" },
  after = { "first-goroutine" },
  time = 10,
  learn = { "https://gobyexample.com/waitgroups",
            "https://quii.gitbook.io/learn-go-with-tests/go-fundamentals/concurrency" },
  text = [[
# Don't sleep, wait

`check_sites` checks many web sites at once: one goroutine per site, each
storing whether its site is up. A first version in Go often looks like
this:

```go
func CheckSites(check func(string) bool, urls []string) []bool {
    up := make([]bool, len(urls))
    for i, url := range urls {
        go func(i int, url string) {
            up[i] = check(url)
        }(i, url)
    }
    time.Sleep(50 * time.Millisecond) // "long enough"
    return up
}
```

The sleep is a guess. A site that takes 80 ms is not in the answer yet,
and a bigger guess only makes every call as slow as the guess, while
the goroutines that are still running keep writing into memory the
caller may already be using. The caller must *wait for the goroutines*,
not for a time. Go's tool for that is `sync.WaitGroup`:

```go
var wg sync.WaitGroup
wg.Add(len(urls))          // before the goroutines start
for i, url := range urls {
    go func(i int, url string) {
        defer wg.Done()    // on every way out
        up[i] = check(url)
    }(i, url)
}
wg.Wait()                  // until every Done has happened
```

chanlab's runtime has it as `go_waitgroup`:

```c
go_waitgroup wg = GO_WAITGROUP_INIT;
go_waitgroup_add(&wg, n);   /* in the spawning goroutine, before go_spawn */
go_waitgroup_done(&wg);     /* in each goroutine, after its last write */
go_waitgroup_wait(&wg);     /* blocks until the counter is back to 0 */
```

Add before you spawn: a goroutine that calls `go_waitgroup_add` itself
may not have run yet when `go_waitgroup_wait` finds the counter at 0.
Call done after the answer is stored, on every path: one missing done
and the wait never ends.

The tests use a fake check that sleeps (5 ms to 200 ms) instead of the
network. They run your code with `GOMAXPROCS=1` and under
ThreadSanitizer with two threads, and `checker.c` may not sleep at all.

Fix `check_sites` in `checker.c`: replace the sleep with a WaitGroup.
]],
  hints = {
    { on = "test", text = "check_sites returned while checks were still running: the 50 ms sleep is a guess, and the slow sites take longer. Give each job a pointer to one go_waitgroup and wait on it instead of sleeping." },
    "go_waitgroup_add(&wg, n) before the loop that spawns, go_waitgroup_done(j->wg) in run() after *j->up is stored, go_waitgroup_wait(&wg) where the sleep was.",
    { on = "deadlock", text = "The report shows go_main waiting in sync.WaitGroup.Wait with nobody left to call done: some path through run() (a site that is down?) returns without go_waitgroup_done, or the count you added is more than the goroutines you started." },
    "Free the jobs only after the wait: until then the goroutines still read them.",
  },
  check = function(c)
    local src = c:source("checker.c") or ""
    local code = src:gsub("/%*.-%*/", ""):gsub("//[^\n]*", "")
    local sleeps = code:find("go_sleep%s*%(") or code:find("sleep%s*%(")
    c:test("checker.c waits for the goroutines instead of sleeping", not sleeps,
           "checker.c still calls a sleep: a sleep guesses how long the checks take; wait for them with a go_waitgroup")
    local t = c:build{ harness = "checker_test.c" }
    -- the pack's ASan and TSan passes run too (TSan on two cases, two threads)
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=1" },
                     tsan = { timeout = 20, env = { "GOMAXPROCS=2" },
                              only = { "every_site_is_reported_even_the_slowest",
                                       "the_checks_run_at_the_same_time" } } })
  end,
}

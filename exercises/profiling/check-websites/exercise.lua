-- Overlap the waiting: checks that wait for the network run at the same
-- time, answers come back on a channel, and a wall-clock benchmark proves it.
return {
  title = "Wait concurrently",
  track = "profiling",
  difficulty = 2,
  files = { "websites.c" },
  headers = { "websites.h", "results.h" },
  topics = { "goroutines", "channels", "latency", "benchmarks", "wall time", "data races" },
  after = { "string-builder", "wait-for-all" },
  time = 15,
  sanitizers = { "asan", "tsan" },   -- a profiling exercise, but the fix is goroutines: TSan too
  learn = { "https://quii.gitbook.io/learn-go-with-tests/go-fundamentals/concurrency",
            "https://go.dev/blog/race-detector",
            "https://go.dev/doc/effective_go#concurrency" },
  text = [[
# Wait concurrently

`CheckWebsites` takes a list of urls and reports which sites are up. The
first version, in Go, is a plain loop:

```go
type WebsiteChecker func(string) bool

func CheckWebsites(wc WebsiteChecker, urls []string) map[string]bool {
    results := make(map[string]bool)
    for _, url := range urls {
        results[url] = wc(url)
    }
    return results
}
```

It is correct, and it is slow in a way no CPU profile shows: each check
spends its time *waiting* for a reply from the network, and the loop
waits for them one after another. A hundred sites of 20 ms each take two
seconds, on a CPU that was idle for all of it. The scheduler timeline
shows it: press **`T`** to trace a check (then `t` to see it again, or
`chanlab trace check-websites`): one goroutine, blocked on a sleep 80
times in a row, and the P idle nearly all the time. A benchmark makes it
visible too:

```go
func BenchmarkCheckWebsites(b *testing.B) {
    urls := make([]string, 100)
    for i := range urls { urls[i] = "a url" }
    for i := 0; i < b.N; i++ {
        CheckWebsites(slowStubWebsiteChecker, urls) // sleeps 20 ms
    }
}
```

The waits do not need each other. Start every check in a goroutine and
they wait *at the same time*: the whole call then takes about as long as
the slowest check. But the goroutines must not all write the map: a Go
map is not safe for concurrent writes (`fatal error: concurrent map
writes`, or a report from `go test -race`). Each goroutine sends its
answer on a channel instead, and the one goroutine that owns the map
receives exactly as many answers as it started checks:

```go
type result struct {
    url string
    up  bool
}

func CheckWebsites(wc WebsiteChecker, urls []string) map[string]bool {
    results := make(map[string]bool)
    answers := make(chan result)
    for _, url := range urls {
        go func(u string) {
            answers <- result{u, wc(u)}
        }(url)
    }
    for i := 0; i < len(urls); i++ {
        r := <-answers
        results[r.url] = r.up
    }
    return results
}
```

The benchmark drops from about two seconds to about 20 ms: the time of
one check. The work done is the same, so CPU time hardly changes; what
shrinks is the *elapsed* time, which is what a user waits for.

In C with this runtime the map is `struct results` (`results.h`). Like a
Go map it has no lock inside, and like a Go map it stops the program
(`panic: concurrent map writes`) when it catches two goroutines writing
it at once. A goroutine is `go_spawn(fn, arg)` with its argument in a
struct that outlives it, and the channel carries a struct by value:

```c
struct result { const char *url; bool up; };

go_chan *answers = go_chan_make(sizeof(struct result), 0);
go_send(answers, &r);          /* in each check goroutine */
go_recv(answers, &r);          /* n times, in check_websites */
```

`check_websites` in `websites.c` is the loop above. Make it wait
concurrently: one goroutine per url that calls `check` and sends the
answer, and `check_websites` alone writing the map as it receives the
answers, one per url (a url listed twice is checked twice, and is one
entry in the map).

The check runs the tests (the map must be the one the loop builds; 8
checks of 100 ms each must all be in flight at the same moment) on one
thread, under AddressSanitizer, and under ThreadSanitizer on four
threads. Then a
benchmark, `check_20` (20 sites of 5 ms each), compares your **elapsed**
time with the reference's: this lesson is about waiting less, and CPU
time hardly changes when the waits overlap. You pass within **1.5×**.
]],
  hints = {
    { test = "the_checks_run_at_the_same_time", text = "The timeline (T) shows one goroutine sleeping once per check, in a row. Only one check was in flight at a time: the loop calls check and waits for its answer before it starts the next. Start every check first, each in a goroutine of its own (go_spawn), and collect the answers afterwards." },
    "Give each goroutine a struct job { check, url, answers channel } (an array of n jobs that lives until every answer is in), have it send a struct result { url, up } on the channel, and receive n results in check_websites, calling results_set for each.",
    { on = "crash", text = "panic: concurrent map writes: two of your goroutines called results_set at the same time (the report's frame is the call in your goroutine). The map, like a Go map, has no lock. Let the goroutines send their answers on a channel, and write the map only in check_websites, as it receives them." },
    { on = "data-race", text = "ThreadSanitizer saw two goroutines touch the same memory at once, one of them writing: the map (results_set is not safe for concurrent use, like a Go map), or a job that the loop overwrites while a goroutine reads it. Share nothing but the channel." },
    { on = "deadlock", text = "check_websites waits for an answer nobody will send. It must receive exactly as many answers as it started checks: n, not until the map holds n urls (a url listed twice is one entry)." },
    { on = "benchmark", text = "The tests pass, but check_20 takes about as long as the checks one after another. Are you receiving each answer right after starting its goroutine? Then each check still waits for the one before it. Start all n, then receive n." },
    "Each goroutine must get its own job. One struct reused for every go_spawn is overwritten by the loop before the goroutines read it, and they all check the last url.",
  },
  check = function(c)
    local t = c:build{ harness = "websites_test.c", extra = { "results.c" } }
    -- the pack's ASan and TSan passes run too (TSan on four threads)
    local res = c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=1" },
                                 asan = { timeout = 10 },
                                 tsan = { timeout = 20, env = { "GOMAXPROCS=4" },
                                          only = { "the_map_is_the_one_a_loop_over_the_urls_builds",
                                                   "a_url_listed_twice_is_checked_twice_and_kept_once",
                                                   "the_checks_run_at_the_same_time" } } })
    if res.failed > 0 then
      c:skip("benchmark check_20", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "websites_test.c", extra = { "results.c" }, solution = true }
    c:bench(t, ref, "check_20", { budget = 1.5, clock = "wall" })
  end,
}

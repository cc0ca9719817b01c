-- A semaphore from a buffered channel: at most N fetches in flight.
return {
  title = "At most N in flight",
  track = "concurrency",
  difficulty = 3,
  files = { "crawl.c" },
  headers = { "crawl.h" },
  topics = { "semaphores", "buffered channels", "sync.Mutex", "sync.WaitGroup" },
  after = { "bounded-buffer-cond" },
  time = 20,
  learn = { "https://go.dev/tour/concurrency/10",
            "https://github.com/loong/go-concurrency-exercises/tree/main/0-limit-crawler" },
  text = [[
# At most N in flight

`crawl` fetches a page, then every page it links to, and so on, each
page once, the way the Go tour's web crawler does: one
goroutine per page, a mutex-guarded set of pages already seen, and a
WaitGroup to know when it is over. It is correct, and much too eager:
a page with many links starts all its fetches at once, and a real site
would answer a crawler like that with errors, or block it.

The caller asks for at most `limit` fetches at a time. In Go, the
idiomatic way is a **buffered channel used as a semaphore**:

```go
tokens := make(chan struct{}, limit)

func visit(url string) {
    tokens <- struct{}{}  // acquire: blocks while `limit` are out
    links := fetch(url)
    <-tokens              // release
    for _, l := range links { ... }
}
```

The buffer holds one element per fetch in progress. A send waits while
the buffer is full, that is while `limit` fetches run; a receive frees
a place. Nothing else is needed: no counter, no condition variable.

Release right after the fetch, on every path, before spawning more
visits: a token held while waiting for something else can starve the
goroutines that would give it back. And put the limit around the
*fetch*, the thing that must be limited. Spawning goroutines is cheap,
so limiting the spawns does not limit the fetches.

In C the channel is `go_chan_make(sizeof(int), limit)`, acquire is a
`go_send` and release a `go_recv(tokens, NULL)`.

The tests crawl a fake web of 60 pages whose fetches take 2 ms and
count how many run at once, with limits 1, 3 and 8; they check every
page is fetched once, and that no goroutine is left after `crawl`
returns. ThreadSanitizer watches three crawls on four threads.

Change `crawl.c` so that at most `c->limit` fetches run at once.
]],
  hints = {
    { on = "test", text = "More fetches ran at once than the limit: every visit fetches as soon as its goroutine starts. Make a buffered channel of `limit` places in crawl() and have visit() send into it before fetch() and receive from it right after." },
    "go_chan *tokens = go_chan_make(sizeof(int), limit); in visit: go_send(c->tokens, &token); n = fetch(...); go_recv(c->tokens, NULL); free the channel after go_waitgroup_wait.",
    { on = "deadlock", text = "Every visit waits to send into the semaphore: the tokens are all out and nobody gives one back. Some path keeps its token (an early return?), or a visit holds its token while it waits for something else. Release right after fetch, on every path." },
    { on = "data-race", text = "ThreadSanitizer saw two visits touch the set of seen pages at once. Every read and write of seen and nseen must be under c->mu." },
  },
  check = function(c)
    local t = c:build{ harness = "crawl_test.c" }
    -- the pack's ASan and TSan passes run too (TSan on three cases, four threads)
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 20, env = { "GOMAXPROCS=4" },
                              only = { "every_page_within_reach_is_fetched_exactly_once",
                                       "a_limit_of_three_is_never_exceeded",
                                       "a_limit_of_eight_is_used_but_never_exceeded" } } })
  end,
}

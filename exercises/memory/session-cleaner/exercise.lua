-- Memory you still point to: a session store whose cleaner goroutine
-- evicts idle sessions on a ticker; graded on the bytes still held after
-- ten minutes of virtual time, LSan, TSan and the goroutine leak check.
return {
  title = "Memory you still point to",
  track = "memory",
  difficulty = 3,
  files = { "sessions.c" },
  headers = { "sessions.h" },
  topics = { "memory leak", "eviction", "TTL", "ticker", "map", "goroutine leak", "cl_inuse" },
  after = { "object-pool" },
  sanitizers = { "asan", "tsan" },
  time = 30,
  learn = { "https://go.dev/doc/gc-guide",
            "https://go.dev/doc/diagnostics#profiling",
            "https://pkg.go.dev/time#NewTicker",
            "https://github.com/uber-go/goleak",
            "https://github.com/patrickmn/go-cache" },
  text = [[
# Memory you still point to

Go has no `free`, and still leaks. The garbage collector frees what
nothing points to, and nothing more: whatever a map still holds, it keeps.
A session store is the classic case:

```go
type Store struct {
    mu       sync.Mutex
    sessions map[uint64]*Session
    ttl      time.Duration
    done     chan struct{}
}

func (s *Store) clean(every time.Duration) {
    t := time.NewTicker(every)
    defer t.Stop()
    for {
        select {
        case now := <-t.C:
            s.mu.Lock()
            for id, ses := range s.sessions {
                if now.Sub(ses.lastUsed) > s.ttl {
                    delete(s.sessions, id) // now nothing points to it
                }
            }
            s.mu.Unlock()
        case <-s.done:
            return
        }
    }
}

func (s *Store) Close() { close(s.done) } // and the cleaner goes home
```

Without the cleaner, every visitor's session stays in the map for the
life of the process: the heap profile's in-use view (`go tool pprof
-inuse_space`) grows by a few KiB a visit, all of it reachable, so the
collector can do nothing. A leak of this kind shows in what is *in use*
after a long run, not in what was allocated.

In C the same store needs two things the collector did for you: taking
a session out of the map is not enough, **it must be freed** too; and the
cleaner is a goroutine that the store must **stop and wait for** before
it frees the map it walks.

`sessions.c` is the store without a cleaner: a hash table of chains under
`s->mu`, each session about 4 KiB (`SESSION_DATA`). Its answers are right
and it holds on to every session ever made. Add the cleaner:

- `sessions_new` starts a goroutine that makes a ticker
  (`go_ticker_new(s->every)`) and, on each tick, takes `s->mu` and unlinks
  and frees every session last used more than `s->ttl` before the tick;
- `sessions_close` tells it to stop (close a `done` channel it selects on
  beside `go_timer_chan(t)`), **waits until it has returned** (a second
  channel the cleaner closes last, say), and only then frees what is left.
  The cleaner frees its own ticker (`go_timer_free`).

A session lives `ttl` after its **last use** (`sessions_touch` refreshes
it), not after its creation.

The tests run on chanlab's deterministic scheduler, whose **virtual
clock** makes ten minutes of traffic take milliseconds: five visitors a
second, each using their session for up to 45 s and then leaving. The
harness counts the bytes still allocated (`cl_inuse()`, from its malloc
wrappers) and the most there were at once: the store must hold no more
than its live sessions need (about 3.6 MiB with room to spare; keeping
every session holds 12 MiB). Then, under AddressSanitizer on a real clock,
LeakSanitizer reports any session nobody freed; under ThreadSanitizer, a
cleaner that walks the map without the lock; and after every case the
goroutine leak check reports a cleaner that `sessions_close` left behind.
]],
  hints = {
    { test = "ten_minutes_of_traffic_hold_only_the_live_sessions", text = "Look at the note: how many sessions are left after ten minutes, and how many KiB. Nothing ever leaves the map: write the cleaner, a goroutine started in sessions_new that wakes every s->every on a ticker (go_ticker_new) and removes idle sessions." },
    { test = "touching_refreshes_a_session", text = "A session's age is the time since its last use, not since its creation: compare the tick's time with p->last_used, which sessions_touch sets to go_now()." },
    { on = "sanitizer", text = "Read the report's first line. detected memory leaks, allocated in sessions_create: an evicted session was unlinked but never freed; free(p) once it is out of its chain. data race in the cleaner: it walked or changed a chain without s->mu; take the lock around the whole walk." },
    { on = "leak", text = "The cleaner is still waiting after sessions_close. A stopped ticker sends nothing more and closes nothing, so a cleaner blocked on go_timer_chan(t) waits for ever: select on the tick and on a done channel that sessions_close closes, and have sessions_close wait (go_recv on a channel the cleaner closes as it returns) before freeing anything." },
    "for (;;) { go_case cases[] = { GO_RECV(go_timer_chan(t), &now), GO_RECV(s->done, NULL) }; if (go_select(cases, 2) == 1) break; evict(s, now); } then go_timer_free(t) and go_close(s->stopped).",
    "To unlink from a chain while you walk it, walk a pointer to the link: struct session **pp = &s->buckets[b]; while ((p = *pp)) { if (idle) { *pp = p->next; free(p); n++; } else pp = &p->next; }",
  },
  check = function(c)
    local t = c:build{ harness = "sessions_test.c" }
    -- the main pass on virtual time; the ASan and TSan passes on a real
    -- clock, on the cases that need none of it
    c:run_tests(t, { timeout = 10, schedules = 3, strategy = "random",
                     asan = { only = { "idle_sessions_are_evicted", "close_leaves_nothing_behind" } },
                     tsan = { only = { "the_cleaner_works_beside_the_clients" } } })
  end,
}

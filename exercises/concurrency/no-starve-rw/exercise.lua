-- A readers-writer lock that does not starve its writers: a waiting
-- writer holds off new readers.
return {
  title = "Writers wait too long",
  track = "concurrency",
  difficulty = 4,
  files = { "rwlock.c" },
  headers = { "rwlock.h" },
  topics = { "sync.RWMutex", "readers-writer lock", "starvation", "sync.Cond" },
  after = { "bounded-buffer-cond" },
  time = 30,
  learn = { "https://pkg.go.dev/sync#RWMutex",
            "https://greenteapress.com/wp/semaphores/" },
  text = [[
# Writers wait too long

Go's `sync.RWMutex` lets many readers in at once, or one writer:

```go
var mu sync.RWMutex
mu.RLock();  v := cache[k];  mu.RUnlock()   // many at once
mu.Lock();   cache[k] = v;   mu.Unlock()    // alone
```

and its documentation adds a rule that matters as much as the exclusion:
*"If any goroutine calls Lock while the lock is already locked by one or
more readers, concurrent calls to RLock will block until the writer has
acquired (and released) the lock."* Without it, a busy cache whose
readers overlap (one always inside) would never let a writer in: each new
reader finds readers inside, not a writer, and walks in. That is
**starvation**: nothing is stuck, every reader makes progress, and the
writer waits for ever.

`rwlock.c` is a readers-writer lock built from a mutex and two condition
variables (`bounded-buffer-cond` built a buffer the same way). It keeps
writers and readers apart, and the tests that check that pass. It lets a
reader in whenever no writer is *inside*, so it starves writers: with
four readers taking turns, a writer that comes at 5 ms waits until the
readers stop, half a second later.

The test that catches it runs the program on chanlab's deterministic
scheduler, on virtual time: many schedules, each the same every run,
and half a second takes no time at all. (If a schedule breaks your lock,
`i` steps through it.)

Make a reader wait while a writer is inside **or waiting**
(`writers_waiting` counts them), and make the last reader out let a
waiting writer in. Keep the rest: readers share the lock, a writer is
alone inside, conditions are waited for in a `while` loop.
]],
  hints = {
    { test = "a_writer_waits_for_the_readers_inside_not_for_every_reader", text = "A new reader walks in while readers are inside, even though a writer is waiting: rw_rlock only checks l->writing. Make it wait while l->writers_waiting > 0 too." },
    { on = "deadlock", text = "Everybody is waiting: a goroutine waits on a condition nobody will signal. When the last reader leaves, a waiting writer needs go_cond_signal(&l->writer_ok); when a writer leaves, the waiting readers need go_cond_broadcast(&l->readers_ok) (signal wakes only one of them)." },
    { on = "test", text = "A writer was inside with somebody else: a goroutine went in after go_cond_wait returned without checking its condition again. Waiting goes in a while loop: another goroutine may have got in first." },
    { on = "data-race", text = "ThreadSanitizer saw two goroutines touch the lock's fields at once: every read and write of readers, writing and writers_waiting must happen with l->mu held." },
    "rw_rlock: while (l->writing || l->writers_waiting > 0) wait on readers_ok. rw_runlock: when readers drops to 0 and a writer waits, signal writer_ok. rw_unlock: signal writer_ok if another writer waits, else broadcast readers_ok.",
  },
  check = function(c)
    local t = c:build{ harness = "rwlock_test.c" }
    -- real threads first (and the pack's ASan and TSan passes), then many
    -- deterministic schedules on virtual time, the same every run
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 30, env = { "GOMAXPROCS=4" } } })
    c:run_tests(t, { prefix = "schedules: ", timeout = 30, schedules = 300, strategy = "pct", depth = 3 })
  end,
}

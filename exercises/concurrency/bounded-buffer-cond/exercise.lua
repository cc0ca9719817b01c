-- sync.Cond: a bounded buffer from a mutex and two condition variables, waiting in loops.
return {
  title = "Wait in a loop",
  track = "concurrency",
  difficulty = 3,
  files = { "ring.c" },
  headers = { "ring.h" },
  topics = { "sync.Cond", "sync.Mutex", "producer-consumer", "channels inside" },
  after = { "once-only" },
  time = 25,
  learn = { "https://pkg.go.dev/sync#Cond", "https://pages.cs.wisc.edu/~remzi/OSTEP/threads-cv.pdf" },
  text = [[
# Wait in a loop

A buffered channel is a bounded buffer with two queues of waiting
goroutines: senders wait while it is full, receivers while it is empty.
This exercise builds one from a mutex and condition variables, the way
Go's `sync.Cond` is meant to be used:

```go
type Ring struct {
    mu                 sync.Mutex
    notFull, notEmpty  *sync.Cond   // both sync.NewCond(&mu)
    buf                []int
    head, count        int
    closed             bool
}

func (r *Ring) Put(v int) {
    r.mu.Lock()
    defer r.mu.Unlock()
    for r.count == len(r.buf) {     // for, not if
        r.notFull.Wait()            // unlocks, sleeps, locks again
    }
    r.buf[(r.head+r.count)%len(r.buf)] = v
    r.count++
    r.notEmpty.Signal()             // wake one getter
}
```

Two rules make it work, and `ring.c` breaks both (and one more):

1. **Check again after every wake-up.** `Wait` returns with the lock
   held, but between the signal and that moment another goroutine may
   have taken the item (or filled the slot). With `if` the woken
   goroutine goes ahead anyway and takes from an empty ring or writes
   into a full one. With `for` (in C, `while`) it checks and waits again.
2. **Putters and getters wait for different things**, so they need
   different condition variables. With one, a getter's `Signal` meant
   for the waiting putter can wake the other getter instead, which finds
   nothing and waits again, and now everybody waits: a deadlock.
3. **Closing must wake everybody**: `Broadcast`, not nothing.

In chanlab's runtime: `go_cond cv = GO_COND_INIT(&mu);`, then
`go_cond_wait(&cv)` (with `mu` held), `go_cond_signal`,
`go_cond_broadcast`.

These bugs rarely show on a real machine: the wrong interleaving is
rare. So the tests build it on purpose. With one thread (`GOMAXPROCS=1`)
a woken goroutine runs only when the waker blocks, so a test can wake a
getter, take its item first, and only then let it run. Then a stress
test runs three putters and three getters on two threads, and
ThreadSanitizer watches it. (A later version of chanlab will also try
hundreds of schedules on purpose.)

Fix `ring.c`: two condition variables, `while` loops, and a close that
wakes every getter.
]],
  hints = {
    { on = "deadlock", text = "Read where each goroutine waits: getters still in sync.Cond.Wait after ring_close were never woken (ring_close must go_cond_broadcast); putters and getters all in sync.Cond.Wait together means a signal woke the wrong kind of waiter (use two conditions, not_full and not_empty)." },
    { on = "test", text = "A woken goroutine took from an empty ring (or wrote into a full one): go_cond_wait can return when the condition is false again, because another goroutine got there first. Wait in a `while` loop that checks the condition again." },
    "Give struct ring a `go_cond not_full` and a `go_cond not_empty`, both GO_COND_INIT(&r->mu). ring_put waits on not_full and signals not_empty; ring_get waits on not_empty and signals not_full.",
    "ring_close sets closed and calls go_cond_broadcast(&r->not_empty), with the lock held; a woken getter then sees count == 0 && closed and returns false.",
  },
  check = function(c)
    local t = c:build{ harness = "ring_test.c" }
    -- the pack's ASan pass (every case) and TSan pass (one case, two
    -- threads) go with the first call: a check runs each once per harness
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=1" },
                     tsan = { timeout = 30, env = { "GOMAXPROCS=2" },
                              only = { "three_putters_three_getters_every_item_exactly_once" } } })
    c:run_tests(t, { prefix = "2 threads: ", timeout = 10, env = { "GOMAXPROCS=2" },
                     only = { "two_getters_and_a_putter_share_a_ring_of_one",
                              "three_putters_three_getters_every_item_exactly_once" } })
  end,
}

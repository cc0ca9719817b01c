-- A cyclic barrier: a generation counter (or two turnstiles) so that a
-- fast goroutine cannot lap the others when the barrier is used again.
return {
  title = "A barrier you can use twice",
  track = "concurrency",
  difficulty = 4,
  files = { "barrier.c" },
  headers = { "barrier.h" },
  topics = { "barrier", "sync.Cond", "sync.WaitGroup", "phases", "generation counter" },
  after = { "bounded-buffer-cond" },
  time = 30,
  learn = { "https://pkg.go.dev/sync#Cond",
            "https://pkg.go.dev/sync#WaitGroup",
            "https://greenteapress.com/wp/semaphores/" },
  text = [[
# A barrier you can use twice

A simulation steps a grid in phases: each of n goroutines updates its
strip of the grid, and nobody may start step k + 1 until everybody has
finished step k, or it would read cells its neighbour has not written
yet. The meeting point between two steps is a **barrier**. Go's standard
library has none: a `sync.WaitGroup` may be reused only once every `Wait`
of the last round has returned, which is just what a barrier cannot
promise. So here is one from a mutex and a condition variable:

```go
type Barrier struct {
    mu       sync.Mutex
    allHere  *sync.Cond       // sync.NewCond(&mu)
    n, count int
}

func (b *Barrier) Wait() {
    b.mu.Lock()
    defer b.mu.Unlock()
    b.count++
    if b.count == b.n {
        b.allHere.Broadcast()  // the last one wakes everybody
    }
    for b.count < b.n {
        b.allHere.Wait()
    }
}
```

It works exactly once. The second time round `count` is already `n`, so
every goroutine walks straight through, and a fast one laps the others:
it runs phase 2, 3, 4 while they are still in phase 1.

Resetting `count` looks like the fix, and the obvious places to reset it
are wrong. Reset it when the last one arrives, and the goroutines it
woke look again, see a count below `n` and go back to sleep for ever.
Wait "until the count is back to 0" instead, and the last one, which did
not wait, can return, run its next phase and arrive again (count 1)
before the others have even woken: they see 1 and sleep through their
own round. A goroutine that wakes up must be able to tell *its* round is
over, whatever the others have done since.

Give every round a number (a **generation**). A goroutine notes the
round it arrives in; the last to arrive resets the count, moves on to
the next round and broadcasts; the others wait `while` the round they
noted is still the current one. (The Little Book of Semaphores builds
the same thing from two turnstiles.) In C: `go_cond_wait(&b->all_here)`
with `b->mu` held, `go_cond_broadcast(&b->all_here)`, as in the starter.

Fix `barrier_wait` in `barrier.c` (the `struct barrier` is yours). The
tests send 2, 3 and 8 goroutines round after round and check, every time
one comes back from `barrier_wait`, that all of them arrived at it. They
run on real threads (under ThreadSanitizer too), then under chanlab's
deterministic scheduler: hundreds of schedules, each the same on every
run, that wake goroutines late on purpose. When one breaks your barrier,
the message names it (`CHANLAB_SCHED=pct:...`) and `i` steps through
it.
]],
  hints = {
    { on = "test", text = "A goroutine came back from barrier_wait before everybody had arrived at it: the count the starter compares with n is never reset, so from the second round on nobody waits. The count has to start again from 0 for every round, and a waiting goroutine has to know when its own round is over." },
    { on = "deadlock", text = "Everybody waits in barrier_wait. Either a woken goroutine looked at the count, found it below n (it had been reset, or the fast ones already arrived in the next round) and slept again, or it was never woken (go_cond_signal wakes one goroutine; the last to arrive must wake all of them with go_cond_broadcast)." },
    "Add a round number (unsigned long round) to struct barrier. In barrier_wait, note b->round in a local; the last to arrive sets count = 0, increments round and broadcasts; the others wait while (b->round == my_round).",
    { test = "waiting_at_the_barrier_costs_no_cpu", text = "Goroutines that wait at the barrier should sleep in go_cond_wait, which costs nothing, not unlock, yield and look again." },
    { on = "timeout", text = "A goroutine that keeps checking without blocking can, under the deterministic schedules, keep the others from ever running: the schedule never ends. Wait with go_cond_wait." },
  },
  check = function(c)
    local t = c:build{ harness = "barrier_test.c" }
    -- Real threads first, with the pack's ASan and TSan passes (which
    -- leave out the CPU a wait costs: the main pass measures it), then
    -- many deterministic schedules, the same every run (leaving out what
    -- has nothing to interleave). A goroutine that retries instead of
    -- waiting would keep a schedule busy until the time limit: when the
    -- main pass finds one spinning, the schedules are not run.
    local threads = { "a_barrier_for_one_never_waits", "nobody_leaves_before_the_last_arrives",
                      "two_goroutines_round_after_round", "three_goroutines_round_after_round",
                      "eight_goroutines_round_after_round" }
    local scheduled = { "nobody_leaves_before_the_last_arrives", "two_goroutines_round_after_round",
                        "three_goroutines_round_after_round", "eight_goroutines_round_after_round" }
    local r = c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" }, asan = { only = threads },
                               tsan = { timeout = 60, env = { "GOMAXPROCS=4" }, only = threads } })
    local spins = false
    for _, k in ipairs(r and r.cases or {}) do
      if k.name == "waiting_at_the_barrier_costs_no_cpu" and not k.ok
         and (k.message or ""):find("of CPU", 1, true) then
        spins = true
      end
    end
    if spins then
      for _, name in ipairs(scheduled) do
        c:skip("schedules: " .. name,
               "not run: a goroutine that retries instead of waiting would never let a schedule end")
      end
      return
    end
    c:run_tests(t, { prefix = "schedules: ", only = scheduled, timeout = 30,
                     schedules = 200, strategy = "pct", depth = 3 })
  end,
}

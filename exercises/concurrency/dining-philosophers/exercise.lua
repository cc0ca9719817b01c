-- Dining philosophers: break the circular wait by taking the forks in one
-- global order (or by seating at most n - 1 at once).
return {
  title = "Five forks",
  track = "concurrency",
  difficulty = 4,
  files = { "table.c" },
  headers = { "table.h" },
  topics = { "sync.Mutex", "deadlock", "lock ordering", "dining philosophers", "semaphore" },
  after = { "bounded-buffer-cond" },
  time = 30,
  learn = { "https://pkg.go.dev/sync#Mutex",
            "https://greenteapress.com/wp/semaphores/",
            "https://pages.cs.wisc.edu/~remzi/OSTEP/threads-bugs.pdf" },
  text = [[
# Five forks

Five philosophers sit at a round table. Between each two of them lies a
fork, and a philosopher needs both forks beside it to eat. Each one
thinks, picks up its forks, eats, puts them down, and starts again. In
Go each philosopher is a goroutine and each fork a `sync.Mutex`:

```go
// fork i lies left of philosopher i, right of philosopher i-1
type Table struct{ forks []sync.Mutex }

func (t *Table) Pickup(i int) {
    left, right := i, (i+1)%len(t.forks)
    t.forks[left].Lock()
    t.forks[right].Lock()
}
```

This works almost every time, and that is the trouble. If all five pick
up their left fork at the same moment, each then waits for its right
fork, which its neighbour holds and will not put down before it has
eaten. Nobody eats again. Go's runtime notices that every goroutine is
blocked and stops the program:

```
fatal error: all goroutines are asleep - deadlock!
```

That is a **circular wait**: a cycle of goroutines, each holding a lock
the next one wants. There are two classic ways to break it:

1. **One global order.** Number the forks and have everybody take the
   lower-numbered of its two forks first. Four philosophers still take
   left then right, but the last one (between fork 4 and fork 0) takes
   fork 0 first. A cycle would need someone to hold a higher fork while
   waiting for a lower one, and nobody ever does. This is the rule behind
   every "always lock A before B" comment in real code.
2. **A waiter.** Let at most n - 1 philosophers sit at the table at once
   (in Go a buffered channel with n - 1 slots is that semaphore: send to
   sit down, receive to get up). With one seat empty, some philosopher at
   the table always has both forks within reach.

`table.c` is the table in C: `table_pickup` takes the left fork, then
the right one, with `go_mutex_lock`, and chanlab's runtime stops a
deadlocked program with Go's words. Fix `table_pickup` (and anything
else you need: the `struct table` is yours) so that the philosophers can
never deadlock, while still letting philosophers who share no fork eat at
the same time (philosophers 0 and 2, say). One big lock around the whole
table would be safe, and would let only one philosopher eat at a time.

The tests seat 2, 3 and 5 philosophers. The deadlock needs every
philosopher to stop between its two forks at the wrong moment, which a
real machine does rarely. So besides running on real threads (and under
ThreadSanitizer), the dinners run under chanlab's deterministic
scheduler: hundreds of schedules, each the same on every run, that try
those moments on purpose. When one deadlocks, the message names it
(`CHANLAB_SCHED=pct:...`), and `i` steps through the interleaving that
led there.
]],
  hints = {
    { on = "deadlock", text = "Read the deadlock report: every philosopher waits in table_pickup on its second fork, and that fork is the first fork of the philosopher beside it. Each holds one fork and waits for the next: a cycle. Break the cycle: make one philosopher take its forks in the other order." },
    "Number the forks 0..n-1 and take the lower-numbered of a philosopher's two forks first. For philosopher i that is fork i then fork i + 1, except for the last one, whose forks are n - 1 and 0: it takes fork 0 first.",
    { test = "two_philosophers_who_share_no_fork_eat_together", text = "One lock around the whole table keeps everyone safe and lets only one philosopher eat at a time. Lock the two forks a philosopher needs, not the table." },
    { on = "test", text = "Two neighbours ate at once, or a philosopher got a fork its neighbour held: check which forks table_pickup locks. Philosopher i's forks are fork i and fork (i + 1) % n, the same two in table_pickup and table_putdown." },
    { test = "a_hungry_philosopher_waits_without_spinning", text = "A philosopher that cannot get its second fork puts the first back and tries again at once, and again: that burns a CPU while it waits, and two of them can keep each other from ever eating (a livelock). Let it wait in go_mutex_lock instead, which costs nothing, and take the forks in one global order so that waiting cannot deadlock." },
    { on = "timeout", text = "A goroutine that keeps retrying never blocks, and under the deterministic schedules it can keep the philosopher that holds its fork from ever running: the schedule never ends. Wait for a fork in go_mutex_lock instead of retrying." },
    "The waiter works too: give struct table a go_chan *seats made with go_chan_make(1, n - 1); table_pickup sends into it before the forks, table_putdown receives from it after them. With n seats it deadlocks like the starter.",
  },
  check = function(c)
    local t = c:build{ harness = "table_test.c" }
    -- Real threads first, with the pack's ASan and TSan passes (which
    -- leave out the CPU a wait costs: the main pass measures it), then
    -- many deterministic schedules, the same every run (leaving out what
    -- has nothing to interleave). A goroutine that retries instead of
    -- waiting would keep a schedule busy until the time limit: when the
    -- main pass finds one spinning, the schedules are not run.
    local threads = { "each_philosopher_alone_can_eat", "a_neighbour_waits_for_the_shared_fork",
                      "two_philosophers_who_share_no_fork_eat_together", "dinner_for_two", "dinner_for_three",
                      "dinner_for_five" }
    local scheduled = { "a_neighbour_waits_for_the_shared_fork", "two_philosophers_who_share_no_fork_eat_together",
                        "dinner_for_two", "dinner_for_three", "dinner_for_five" }
    local r = c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" }, asan = { only = threads },
                               tsan = { timeout = 60, env = { "GOMAXPROCS=4" }, only = threads } })
    local spins = false
    for _, k in ipairs(r and r.cases or {}) do
      if k.name == "a_hungry_philosopher_waits_without_spinning" and not k.ok
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
                     schedules = 300, strategy = "pct", depth = 4 })
  end,
}

-- A data race on a shared counter, found by ThreadSanitizer and fixed with a mutex.
return {
  title = "Eight clerks, one account",
  track = "concurrency",
  difficulty = 2,
  files = { "bank.c" },
  topics = { "data races", "sync.Mutex", "ThreadSanitizer" },
  after = { "own-your-argument" },
  time = 15,
  learn = { "https://go.dev/tour/concurrency/9", "https://go.dev/doc/articles/race_detector" },
  text = [[
# Eight clerks, one account

Eight goroutines ("clerks") each pay 5 000 coins, one at a time, into the
same account. At the end the balance must be exactly 40 000.

In Go you would write

```go
type Account struct {
    mu      sync.Mutex // guards balance
    balance int64
}

func (a *Account) Deposit(amount int64) {
    a.mu.Lock()
    defer a.mu.Unlock()
    a.balance += amount
}
```

and `go test -race` would tell you if you forgot the lock.

`a->balance += amount` looks like one step, but the machine does three:
load the balance, add, store it back. When two goroutines run on two
threads at once, both can load the same old balance and one of the two
deposits is lost. That is a **data race**: two goroutines touch the same
memory at the same time and at least one of them writes. chanlab's runtime
has Go's `sync.Mutex` as `go_mutex`:

```c
go_mutex mu = GO_MUTEX_INIT;
go_mutex_lock(&mu);     /* waits while another goroutine holds it */
/* ... only one goroutine at a time runs here ... */
go_mutex_unlock(&mu);
```

C has no `defer`: every path out of the locked part must unlock, or the
next `go_mutex_lock` waits forever. And the lock protects `balance` only
if every clerk takes *the same* lock: one that lives beside `balance`.

A race does not always show as a wrong number: on a quiet machine the
count may come out right by luck. So chanlab also builds your program with
ThreadSanitizer (`-fsanitize=thread`), which watches every memory access
and reports two unsynchronised ones even when the result happened to be
right. This exercise passes when the balance is right *and*
ThreadSanitizer finds no race.

Fix `bank.c`: give the account a mutex and hold it around every access to
`balance`.
]],
  hints = {
    { on = "data-race", text = "ThreadSanitizer names the line of the racing access: it is the `a->balance += amount` in deposit(). Two clerks run it at the same time." },
    { on = "deadlock", text = "Every clerk waits in go_mutex_lock: some path locked the mutex and never unlocked it. Each go_mutex_lock needs exactly one go_mutex_unlock after the access." },
    "Put a `go_mutex mu;` next to `balance` in struct account and initialise it with GO_MUTEX_INIT (a zeroed struct works too). A mutex that is a local variable, or one per clerk, protects nothing: each goroutine would take its own.",
    "In deposit(): go_mutex_lock(&a->mu); a->balance += amount; go_mutex_unlock(&a->mu);",
  },
  check = function(c)
    local prog = c:build()
    local r = c:run(prog, { timeout = 10, env = { "GOMAXPROCS=2" } })
    c:clean("runs to the end", r)
    c:test("the balance is 40000", r.stdout == "balance: 40000\n",
           "expected the line 'balance: 40000': deposits were lost", r.stdout)
    -- one P per clerk, and up to three runs: ThreadSanitizer orders
    -- goroutines that take turns on one thread, so it finds the race only
    -- when clerks overlap on threads of their own, which a loaded machine
    -- may not give one short run
    local tsan = c:build{ flavour = "tsan" }
    local t
    for _ = 1, 3 do
      t = c:run(tsan, { timeout = 30, env = { "GOMAXPROCS=8" } })
      if not t.ok or t.report then break end
    end
    c:clean("no data race (ThreadSanitizer)", t)
  end,
}

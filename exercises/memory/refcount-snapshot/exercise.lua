-- Shared ownership by count: one atomic add per retain and release, and
-- the release that reaches zero frees; caught by TSan, ASan and LSan.
return {
  title = "Share it, count it",
  track = "memory",
  difficulty = 3,
  files = { "snap.c" },
  headers = { "snap.h" },
  topics = { "refcount", "shared ownership", "atomics", "use after free", "double free", "memory leaks" },
  after = { "who-frees-the-message" },
  time = 20,
  learn = { "https://pkg.go.dev/sync/atomic#Int64.Add",
            "https://doc.rust-lang.org/std/sync/struct.Arc.html",
            "https://doc.rust-lang.org/nomicon/arc-mutex/arc-clone.html",
            "https://mirrors.edge.kernel.org/pub/linux/kernel/people/paulmck/perfbook/perfbook.html (Deferred Processing: Reference Counting)" },
  sanitizers = { "asan", "tsan" },
  text = [[
# Share it, count it

A service keeps its configuration in a snapshot that never changes once
made. Readers take the current snapshot and use it as long as they
like; a publisher makes a new one now and then and swaps it in. In Go:

```go
type Snapshot struct {
    Version int
    Name    string
    Limits  []int
}

var current atomic.Pointer[Snapshot]

func handle(req Request) {
    s := current.Load()       // this request's view of the config
    go audit(s, req)          // a helper reads it too, maybe for longer
    serve(s, req)
}

func publish(next *Snapshot) { current.Store(next) }
```

Nobody frees an old snapshot: the garbage collector does, once no
goroutine points to it. Nobody has to know which reader finishes last.

In C somebody has to free it, and it must be whoever is **last** to let
go, which may be the publisher, a request or its helper, on any thread.
No single owner knows that ahead of time, so the holders count
themselves: a reference count, what Rust's `Arc<T>` is and what C++'s
`shared_ptr` keeps. Each holder of a `struct snap *` owns one count:

- `snap_new` makes a snapshot with a count of one, its maker's;
- `snap_retain(s)` adds one for a new holder, and is called by someone
  who already holds `s` (Rust's `Arc::clone`);
- `snap_release(s)` takes one away, and the release that takes the count
  to **zero** frees the snapshot (Rust's `Drop` for `Arc`);
- `snap_share(s, n, read, arg)` hands `s` to `n` new reader goroutines,
  each with a reference of its own that it gives back when `read` returns.

`snap.c` does all of that with a plain `int refs`: `refs++` and
`refs--`. On one thread it works. Here readers on four threads retain and
release the same snapshot thousands of times at once, and `refs++` is
three steps, a load, an add and a store: two goroutines load 5, both
store 6, and one count is lost. Lose a retain and the count reaches zero
while someone still holds the snapshot (a **use after free**); lose a
release and it never reaches zero (a **leak**). ThreadSanitizer reports
the race itself.

Go's answer is the same one C has: `sync/atomic`. `atomic.Int64.Add`
does the load, the add and the store as one step and returns the new
value. The runtime has it as `go_atomic_int64` (runtime/atomic.h):

```c
go_atomic_int64 refs;                       /* in the struct */
go_atomic_int64_add(&s->refs, 1);           /* refs.Add(1) */
if (go_atomic_int64_add(&s->refs, -1) == 0) /* refs.Add(-1) == 0 */
```

Decide by what the add **returned**, not by looking again: between your
decrement and a second load, another holder may release too, and then
both of you see zero (and both free), or neither does.

The tests read snapshots from eight readers on four threads (`GOMAXPROCS=4`),
some of them after the maker has already let go, swap 290 snapshots
under six readers, and have two holders let go of each of 8000
snapshots at the same moment, under AddressSanitizer (with
LeakSanitizer) and, four of them, under ThreadSanitizer. Each snapshot must be freed exactly
once, after its last holder released it.

Make the count atomic in `snap.c`, and keep `snap_share` handing each
reader its reference before the reader starts.
]],
  hints = {
    { on = "sanitizer", text = "Read the report's first line. data race (ThreadSanitizer): two goroutines changed refs at once with plain ++ and --, and one change can be lost. heap-use-after-free: a holder used the snapshot after someone else freed it, so the count reached zero too early. attempting double-free: two releases both believed they were the last. detected memory leaks: the count never reached zero." },
    "Make refs a go_atomic_int64 (zero value 0; go_atomic_int64_store(&s->refs, 1) in snap_new) and change it with go_atomic_int64_add(&s->refs, 1) in retain and go_atomic_int64_add(&s->refs, -1) in release.",
    "Free when the decrement's own result is 0: if (go_atomic_int64_add(&s->refs, -1) == 0) { ... }. A separate go_atomic_int64_load after the add, or a load followed by a store, leaves a gap in which another goroutine changes the count.",
    "A reference is taken by someone who already holds one. In snap_share, retain before go_spawn: a reader that retains only once it runs may run after the caller has released the last reference.",
  },
  check = function(c)
    local t = c:build{ flavour = "asan", harness = "snap_test.c" }
    -- the pack's TSan pass runs the four concurrent cases, on four threads
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=4" },
                     tsan = { timeout = 10, env = { "GOMAXPROCS=4" },
                              only = { "eight_readers_then_the_maker_releases",
                                       "the_maker_lets_go_before_the_readers_start",
                                       "a_publisher_replaces_it_under_readers",
                                       "two_holders_release_at_the_same_moment" } } })
  end,
}

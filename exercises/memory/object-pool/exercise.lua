-- sync.Pool in C: objects kept per P, a private slot used pinned and a
-- shared stack others steal from; graded by exact counts, TSan and a bench.
return {
  title = "A pool per P",
  track = "memory",
  difficulty = 4,
  files = { "pool.c" },
  headers = { "pool.h" },
  topics = { "sync.Pool", "object pool", "free list", "per-P data", "procPin", "work stealing",
             "lock contention", "allocs/op", "benchmarks" },
  after = { "request-arena" },
  time = 40,
  sanitizers = { "asan", "tsan" },   -- a memory exercise, but stealing is concurrent: TSan too
  learn = { "https://pkg.go.dev/sync#Pool",
            "https://go.dev/src/sync/pool.go",
            "https://go.dev/src/sync/poolqueue.go",
            "https://victoriametrics.com/blog/go-sync-pool/",
            "https://mirrors.edge.kernel.org/pub/linux/kernel/people/paulmck/perfbook/perfbook.html (chapter 6, Partitioning and Synchronization Design: per-CPU data)" },
  text = [[
# A pool per P

A server that encodes every response into a fresh buffer spends its time
allocating and collecting buffers. Go keeps such objects for reuse in a
`sync.Pool`:

```go
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func handle(w io.Writer, r *Request) {
    b := bufs.Get().(*bytes.Buffer)
    b.Reset()
    encode(b, r)
    w.Write(b.Bytes())
    bufs.Put(b)
}
```

Every goroutine of the server calls `Get` and `Put`, on every core, so
the pool must not become the one thing they all wait for. It does not,
because it keeps its objects **per P** (per scheduler slot, one per
`GOMAXPROCS`):

- each P has a **private** slot, one object, touched only by the
  goroutine running on that P. `Get` pins itself to its P
  (`runtime_procPin`: nothing preempts it until `runtime_procUnpin`),
  takes the private object and unpins: no lock, no atomic, no cache line
  another core writes;
- each P also has a **shared** list for its spares; a `Put` that finds
  the private slot full pushes there;
- a `Get` that finds its own P empty **steals** from the other Ps'
  shared lists, and only when they are all empty calls `New`.

Go's shared list is a lock-free deque; a small lock per P, taken only
for the shared list, is as good here, since a P takes it only when its
private slot does not do and a thief only when its own P is dry.

`pool.c` is the first thing a C programmer writes: one stack of spares
behind one `go_mutex`. It is correct and it allocates nothing once warm,
and every get and every put, from every P, takes the same lock: two cores
take turns at it and pass its cache line back and forth.

Keep the pool per P. The runtime gives you what `sync.Pool` uses:

```c
int p = go_proc_pin();           /* this P's index, below go_gomaxprocs(0) */
x = pl->local[p].private;        /* nothing else runs on this P meanwhile */
pl->local[p].private = NULL;
go_proc_unpin();
```

Between the two calls nothing preempts the goroutine, so no other
goroutine of the same P can come in, and no other P uses `local[p]`'s
private slot: it needs no lock. **Every** path out must unpin: a pinned
goroutine is never preempted, and on one P nothing else runs. And
pinned code must not block: take a P's lock only after `go_proc_unpin()`
(the index you got is still a fine place to push to or pop from; the
lock keeps it right). A goroutine that blocks or yields while pinned is
stopped by the runtime, as Go stops it, with a report at the pin that
was never undone.

So `struct pool` becomes an array of `go_gomaxprocs(0)` locals, made in
`pool_new`, each `{ void *private; go_mutex mu; void **shared; ... }`,
best padded to a cache line of its own. `pool_get`: private, else its
own shared stack, else the others' (each under its own P's lock), else
`new_fn()`. `pool_put`: the private slot if it is empty, else its own
shared stack. `pool_free` frees every object the pool holds, private and
shared, with `free_fn`, and everything the pool allocated.

The check (8 goroutines at `GOMAXPROCS=2`; under ThreadSanitizer, at 4):

- exact counts: a put object is got again, `new_fn` runs only when the
  pool is empty, no object is ever held by two getters, a goroutine on
  another P steals what one P put, `pool_free` frees everything (the
  objects, counted, and the pool's own memory, to the byte), and after
  warm-up gets and puts make **no allocation**;
- at `GOMAXPROCS=1`, another goroutine must get to run while one loops
  on the pool (a path that forgets `go_proc_unpin` stops that);
- the same cases under ASan and TSan;
- a benchmark: 2 workers at `GOMAXPROCS=2` getting and putting, within
  **1.3x** the reference's CPU time (the one lock costs about 3x).
]],
  hints = {
    { on = "benchmark", text = "Every get and put takes one lock that both Ps use: the ops wait for each other and bounce its cache line between the cores. Keep a local per P (struct pool_local { void *private; go_mutex mu; void **shared; int nshared, cap; }), one per go_gomaxprocs(0), and let get and put use their own P's private slot, pinned, with no lock at all." },
    "pool_get: int p = go_proc_pin(); x = pl->local[p].private; pl->local[p].private = NULL; go_proc_unpin(); if x, return it. Else pop local[p]'s shared stack under local[p].mu, else each other P's under its lock, else new_fn(). pool_put: pinned, fill the private slot if it is empty; else unpin and push onto local[p]'s shared stack under its lock.",
    { on = "crash", text = "The runtime stopped a goroutine that left its P while still pinned: the report names the go_proc_pin that was never undone. Follow every path from that line to a return: one of them skips go_proc_unpin (an early return when the private slot is full is the usual one). Take the value, unpin, then return." },
    { test = "other_goroutines_run_while_one_uses_the_pool", text = "Some path of yours returns between go_proc_pin and go_proc_unpin. A pinned goroutine is never preempted, and at GOMAXPROCS=1 nothing else runs. Unpin on every path out, before the return (take the value, unpin, then decide)." },
    { on = "data-race", text = "ThreadSanitizer saw two goroutines use one slot or stack at once. The private slot is safe only for the P you are pinned to: index it with go_proc_pin()'s result, not go_id() or a thread, and use it before go_proc_unpin. Another P's shared stack is safe only under that P's lock: a thief takes the victim's mu." },
    { test = "a_goroutine_on_another_p_takes_what_one_p_put", text = "A get whose own P is empty must look at the other Ps' shared stacks (each under its own lock) before it calls new_fn: p + 1, p + 2, ... modulo the number of Ps. Only the other Ps' private objects are out of reach." },
    { test = "pool_free_gives_back_everything", text = "pool_free must call free_fn on every object the pool holds: each P's private object and every object on each P's shared stack; then free the stacks, the locals and the pool." },
    { test = "no_object_is_handed_to_two_getters", text = "Two getters held one object at once: some slot or stack was read and cleared by two goroutines together. See the sanitizer hint: the private slot only pinned, and a shared stack only under its P's lock." },
  },
  check = function(c)
    local t = c:build{ harness = "pool_test.c" }
    -- the pack's ASan pass on the cases that move objects between goroutines
    -- and free them; TSan (four threads) where Ps steal from each other
    local res = c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=2" },
                                 asan = { only = { "no_object_is_handed_to_two_getters",
                                                   "a_goroutine_on_another_p_takes_what_one_p_put",
                                                   "pool_free_gives_back_everything" } },
                                 tsan = { timeout = 20, env = { "GOMAXPROCS=4" },
                                          only = { "no_object_is_handed_to_two_getters",
                                                   "a_goroutine_on_another_p_takes_what_one_p_put" } } })
    if res.failed > 0 then
      c:skip("benchmark get_put_2_workers", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "pool_test.c", solution = true }
    c:bench(t, ref, "get_put_2_workers", { budget = 1.3 })
  end,
}

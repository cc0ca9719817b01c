-- Striped locks: one lock for a read-mostly map makes every reader wait for
-- every writer; a lock per shard makes a reader wait only for its own keys.
return {
  title = "Faster than one lock",
  track = "profiling",
  difficulty = 4,
  files = { "rmap.c" },
  headers = { "rmap.h" },
  topics = { "mutex profile", "pprof", "lock striping", "sharding", "sync.RWMutex", "read-mostly", "copy-on-write" },
  after = { "lock-contention" },
  time = 35,
  sanitizers = { "asan", "tsan" },   -- a profiling exercise, but the lesson is a lock: TSan too
  learn = { "https://pkg.go.dev/runtime#SetMutexProfileFraction",
            "https://pkg.go.dev/sync#Map",
            "https://mirrors.edge.kernel.org/pub/linux/kernel/people/paulmck/perfbook/perfbook.html (chapter 10, Data Structures: partitionable hash tables)",
            "https://github.com/kat-co/concurrency-in-go-src (sync.RWMutex, fig-rwlock.go)" },
  text = [[
# Faster than one lock

A cache, a routing table, a session store: a map that every request
reads and few change. In Go the first version is a map behind one mutex:

```go
type Map struct {
    mu sync.Mutex
    m  map[uint64]uint64
}

func (m *Map) Get(k uint64) (uint64, bool) {
    m.mu.Lock()
    defer m.mu.Unlock()
    v, ok := m.m[k]
    return v, ok
}
```

It is correct, and it makes the map one thing at a time: a reader of
key 7 waits for a writer of key 4000, and when a write is slow (the map
grows and rehashes, a page fault, the writer's thread is descheduled),
*every* reader in the program waits for it. Go programs fix this in one
of three ways:

- **`sync.RWMutex`**: readers share the lock. It helps less than it
  seems: a reader still waits for every writer, and every `RLock` writes
  the same reader count, one cache line that all cores fight over.
- **Striped (sharded) locks**: cut the map into N shards by a hash of
  the key, each a map of its own behind a lock of its own. A reader waits
  only for a writer of its own shard, and two cores rarely touch the
  same lock. (This is what `concurrent-map` libraries do, and what the
  Linux dcache and Java's old `ConcurrentHashMap` did.)
- **Copy-on-write**: readers load a pointer to an immutable map and take
  no lock at all; a writer copies, changes the copy and publishes it
  (`atomic.Pointer`, or `sync.Map` for keys written once). Best when
  writes are very rare; a copy per write is too costly at 5%.

The C version, `rmap.c`, is the first one: one `go_mutex` and one table
(`struct ht` from `ht.c`, the instructor's: not safe for two goroutines
at once, see `rmap.h`).

```c
bool rmap_get(struct rmap *m, uint64_t key, uint64_t *val)
{
	go_mutex_lock(&m->mu);
	ok = ht_get(m->t, key, val);
	go_mutex_unlock(&m->mu);
	...
```

## What the mutex profile shows

The check profiles a program in which a put is slow: ten times over, one
put is held for up to 20 ms inside the table while 64 goroutines each
read a key of their own. Press **`p`** and choose the **mutex** profile
(or `chanlab profile --mutex read-mostly-map`): with one lock, all 640
gets waited, seconds of delay in all, charged to the unlocks in
`rmap_get` and `rmap_put`. (A mutex profile charges a wait to the unlock
that ended it: the first reader waited for the put's unlock, the next
for that reader's, and so on down the queue.)

## What to change

Stripe `rmap.c`: an array of shards (64 is plenty), each with its own
`go_mutex` and its own `struct ht`; pick a key's shard from `ht_hash(key)`
and take only that shard's lock, in get, put and add. `rmap_add` must
stay one step: its get and put under one lock. `rmap_len` adds up the
shards. (Copy-on-write would pass the tests too, but at 5% writes a copy
of the map per write is far over the benchmark's budget.)

The check:

- tests of get, put and add, alone and from several goroutines at once,
  also under ASan, under ThreadSanitizer, and under 100 deterministic
  schedules (reads must only ever see written values, never an older one
  after a newer one; no add may be lost);
- `a_get_does_not_wait_for_a_put_of_another_key`: while one put is held
  half-way, at least 40 of 64 gets of other keys must finish;
- the mutex profile above: at most **64** waits (the starter has 640);
- a benchmark, 4 goroutines at `GOMAXPROCS=2` running 95% gets, 4% puts
  and 1% adds over 4096 keys, within **1.5×** the reference's CPU time.
]],
  hints = {
    { test = "a_get_does_not_wait_for_a_put_of_another_key", text = "While the put was held, every get waited: they all need m->mu, and the put holds it. A get of key 7 has no reason to wait for a put of key 1000003, except that both take the same lock. Give different keys different locks." },
    "Make struct rmap an array of shards, each { go_mutex mu; struct ht *t; }, and choose a key's shard with ht_hash(key) % SHARDS (or, with a power of two, the hash's top bits). rmap_new makes every shard's table; every function locks only the shard it needs.",
    "rmap_add must read and write under one lock: lock the shard, ht_get, add, ht_put, unlock. Calling rmap_get and then rmap_put lets another add come in between, and an add is lost.",
    { on = "data-race", text = "ThreadSanitizer saw a read and a write of a table at once. A get needs its shard's lock too: the table may be growing (ht_put reallocates its slots) while you read it. And one table under several locks is no better than none: each shard needs its own table." },
    { test = "the mutex profile: a slow put holds up only its own keys", text = "The profile still counts many waits. Press p: the unlocks it charges are where the readers queued. A single go_rwmutex does not help here: readers still wait for every writer." },
  },
  check = function(c)
    local extra = { "ht.c", "load.c" }
    local t = c:build{ harness = "rmap_test.c", extra = extra }
    local res = c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                                 asan = { timeout = 30 },
                                 tsan = { timeout = 60, env = { "GOMAXPROCS=4" },
                                          only = { "adds_from_four_goroutines_are_never_lost",
                                                   "new_keys_from_four_goroutines_are_all_kept",
                                                   "readers_see_each_key_only_move_forward",
                                                   "a_get_does_not_wait_for_a_put_of_another_key" } } })
    -- the same tests under 100 deterministic schedules, on one thread
    -- (random: a put half-way yields to any goroutine, the watcher's gets too)
    local det = c:run_tests(t, { timeout = 30, schedules = 100, strategy = "random", prefix = "100 schedules: ",
                                 only = { "adds_from_four_goroutines_are_never_lost",
                                          "new_keys_from_four_goroutines_are_all_kept",
                                          "readers_see_each_key_only_move_forward",
                                          "a_get_does_not_wait_for_a_put_of_another_key" } })
    -- the profile is taken even when tests fail: it is where the lesson is
    local name = "the mutex profile: a slow put holds up only its own keys"
    local p, r = c:profile(c:build{ extra = { "rmap_main.c", "ht.c" } },
                           { kind = "mutex", timeout = 30, env = { "GOMAXPROCS=2" } })
    if not p then
      c:test(name, false, "the profiled run wrote no profile: " .. tostring(r.profile_error), r.stderr)
    elseif p.empty then
      c:skip(name, "no profile in a sanitizer build")
    else
      local rows = {}
      for _, f in ipairs(p.functions) do
        if f.cum > 0 and f.file:match("[^/]+$") == "rmap.c" then   -- your functions
          rows[#rows + 1] = f
        end
      end
      table.sort(rows, function(a, b) return a.cum > b.cum end)
      for i = 1, math.min(#rows, 3) do
        local f = rows[i]
        rows[i] = string.format("%s %.1f ms (%s:%d)", f.name, f.cum / 1e6, f.file:match("[^/]+$"), f.line)
      end
      for i = #rows, 4, -1 do
        rows[i] = nil
      end
      c:test(name, p.samples <= 64,
             string.format("while a put was held 10 times, goroutines waited for a go_mutex %d times (%.1f ms in all); "
                           .. "at most 64 may, the few gets that share the put's lock. The profile charges the waits "
                           .. "to the unlocks that ended them: %s; press p to see it",
                           p.samples, p.total / 1e6, #rows > 0 and table.concat(rows, ", ") or "no sites"))
    end
    if res.failed + det.failed > 0 then
      c:skip("benchmark read_mostly_4_workers", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "rmap_test.c", extra = extra, solution = true }
    c:bench(t, ref, "read_mostly_4_workers", { budget = 1.5, benchtime = 0.03 })
  end,
}

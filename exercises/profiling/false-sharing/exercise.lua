-- False sharing: per-worker counters side by side in one array put two
-- workers' hot fields on one cache line, which two cores then pass back
-- and forth on every write; a line per worker ends it.
return {
  title = "Padding that pays",
  track = "profiling",
  difficulty = 4,
  files = { "stats.c" },
  headers = { "stats.h" },
  topics = { "false sharing", "cache lines", "padding", "alignment", "_Alignas", "aligned_alloc", "MESI", "perf c2c" },
  after = { "read-mostly-map" },
  time = 25,
  sanitizers = { "asan", "tsan" },   -- a profiling exercise, but workers count at once: TSan too
  learn = { "https://github.com/ardanlabs/gotraining/tree/master/topics/go/testing/benchmarks/falseshare",
            "https://pkg.go.dev/golang.org/x/sys/cpu#CacheLinePad",
            "https://mirrors.edge.kernel.org/pub/linux/kernel/people/paulmck/perfbook/perfbook.html (chapter 3, Hardware and its Habits: caches and cache misses)",
            "https://man7.org/linux/man-pages/man1/perf-c2c.1.html",
            "https://en.cppreference.com/w/c/memory/aligned_alloc" },
  text = [[
# Padding that pays

A pool of workers handles packets, and each worker counts what it
handles: packets, bytes, the longest packet. A reporter sums the counters
now and then, so they are atomics; each worker writes only its own, so
they need no lock. In Go:

```go
type Counters struct {
    Packets atomic.Uint64
    Bytes   atomic.Uint64
    Largest atomic.Uint64
}

type Stats struct {
    workers []Counters // worker w counts in workers[w]
}

func (s *Stats) Worker(w int) *Counters { return &s.workers[w] }

// in worker w, for every packet:
c.Packets.Add(1)
c.Bytes.Add(uint64(len(p)))
```

No two workers write the same counter, and yet two workers on two cores
run several times slower than one. The counters of worker 0 and worker 1
are 24 bytes apart, in the same **cache line**, the 64-byte block in
which caches hold memory. A core may write a line only while its cache
holds the only copy (the MESI protocol: Modified, Exclusive, Shared,
Invalid), so every add by one core takes the line away from the other,
and the next add there waits for it to come back. This is **false
sharing**: nothing is shared but the line. Go programs fix it with
padding, a line per worker:

```go
type paddedCounters struct {
    Counters
    _ [64 - unsafe.Sizeof(Counters{})]byte // 40 bytes: nothing else on this line
}
```

(or `cpu.CacheLinePad` from `golang.org/x/sys/cpu`, as the runtime's own
per-P data does). Go's allocator starts a 64-byte object on a multiple
of 64, so the padding is all it takes. C's `malloc` promises 16.

The C version keeps the same array in `stats.c`:

```c
struct stats {
	int workers;
	struct worker_stats *w;		/* workers of them, side by side */
};
...
	s->w = calloc((size_t)workers, sizeof(s->w[0]));
```

The workers' loop is the instructor's (`count.c`): three relaxed atomics
per packet on `stats_worker(s, w)`. `stats.h` (read-only: the workers
share it) declares `struct worker_stats`; the layout of the array, and
where it lives, are yours.

## What the profiles show, and what they do not

`chanlab profile false-sharing` shows where the CPU goes: nearly all of
it in `count_packets`, on the `atomic_fetch_add` lines of `count.c`. It
says *where* the time goes, never *why*: an add that waits for a cache
line looks the same as an add that computes. Measured on a quiet
2-core machine, two threads running this loop took about 40 ns of CPU
per packet with the counters side by side, about 12 ns with a line per
worker, and about 25 ns with a line per worker but the array starting
48 bytes into a line. On a machine where the two workers rarely run at
the same moment (two cores shared with other work), the cost all but
vanishes: false sharing costs only while both cores write at once.

On your own Linux machine, `perf c2c record ./prog` then `perf c2c
report` finds it: it lists the cache lines whose loads hit a line
another core had modified (HITM), with the offsets in each line that
each thread touched; two threads writing different offsets of one line is
the signature. (It needs the CPU's load sampling, Intel's PEBS or AMD's
IBS, which most VMs hide.)

## What to change

In `stats.c`, give each worker's counters a cache line of their own:

- a slot type a line long, by alignment (`struct slot { _Alignas(64)
  struct worker_stats c; };`, whose `sizeof` is then 64) or by a pad
  member after the counters;
- an array that starts on a line: `aligned_alloc(64, size)` (size a
  multiple of 64) or `posix_memalign`, then `memset` to zero: there is
  no aligned `calloc`. `_Alignas` on a type does not reach `malloc`.

`stats_worker` then returns `&s->w[w].c`; `stats_free` frees what you
allocated.

The check:

- the counters start at zero and stay where they are; four and 64
  workers count every packet exactly, while a reporter sums them; also
  under ASan+UBSan (which reports an `_Alignas` type in memory that is
  not so aligned) and under ThreadSanitizer;
- `each worker's counters have a cache line of their own`: 32 arrays of
  2 to 9 workers, each allocated after a small block of 16 to 64 bytes so
  that they start at every offset `malloc` may give; the real addresses
  `stats_worker` returns must put no two workers' counters on a common
  64-byte line. It names the line of yours that allocated the array;
- then a benchmark, two workers on two threads (`GOMAXPROCS=2`),
  within **2×** the reference's CPU time: information more than a bar,
  since how much false sharing costs depends on the machine and on what
  else it runs.
]],
  hints = {
    "Look at the addresses the layout test gives: two workers' counters less than 64 bytes apart are on one cache line, and two cores that write one line pass it back and forth on every packet. The CPU profile only shows count.c's adds as hot. Give each worker's counters a line of their own.",
    { test = "each worker's counters have a cache line of their own", text = "Wrap the counters in a slot a line long: struct slot { _Alignas(64) struct worker_stats c; }; its sizeof is then 64, so w[i + 1] starts a line after w[i]. A pad member after the counters (char pad[64 - sizeof(struct worker_stats)]) does it too, as Go's _ [40]byte does. 32 bytes is not enough: x86-64 and most ARM64 cores have 64-byte lines (Apple's have 128)." },
    "A slot a line long still straddles two lines when the array starts in the middle of one, and malloc and calloc align to 16 bytes only, whatever the type's _Alignas says. Allocate the array with aligned_alloc(64, n * sizeof(struct slot)) and memset it to zero. A malloc per worker is no help: small blocks sit side by side.",
    { on = "undefined", text = "UBSan's 'misaligned address ... which requires 64 byte alignment' means the memory came from malloc or calloc (16-byte aligned) while the type asks for 64: allocate with aligned_alloc(64, size), size a multiple of 64." },
  },
  check = function(c)
    local t = c:build{ harness = "stats_test.c", extra = { "count.c" } }
    local res = c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                                 asan = { timeout = 30 },
                                 tsan = { timeout = 60 } })
    -- the layout test, on the real addresses of real arrays; when it
    -- fails, a second run with the allocation profile on names the line
    -- that allocated them (not the first run: the profiler's own records
    -- go on the same heap, between the blocks it watches)
    local name = "each worker's counters have a cache line of their own"
    local lay = c:build{ extra = { "layout_main.c", "count.c" } }
    local r = c:run(lay, { timeout = 10 })
    local verdict = r.stdout:match("^(%a+) ")
    local laid_out = verdict == "ok"
    if laid_out then
      c:test(name, true, r.stdout:match("^ok (.-)\n"))
    elseif verdict ~= "shared" then
      c:test(name, false, "the layout test did not finish: " .. r.how, r.stdout .. r.stderr)
    else
      local msg, site = r.stdout:match("^shared (.-)\n"), nil
      local p = c:profile(lay, { kind = "alloc", timeout = 10 })
      if p and not p.empty then
        for _, f in ipairs(p.functions) do
          if f.file:match("[^/]+$") == "stats.c" and (not site or f.flat > site.flat) then
            site = f
          end
        end
      end
      if site then
        msg = msg .. string.format("; the array comes from stats.c:%d (%s)", site.line, site.name)
      end
      c:test(name, false, msg)
    end
    if res.failed > 0 or not laid_out then
      c:skip("benchmark two_workers_count", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "stats_test.c", extra = { "count.c" }, solution = true }
    c:bench(t, ref, "two_workers_count", { budget = 2 })
  end,
}

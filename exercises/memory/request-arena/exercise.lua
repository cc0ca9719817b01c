-- Arenas: a request's many small allocations bump-allocated from a few
-- blocks and freed whole; graded by exact malloc counts, ASan and a bench.
return {
  title = "One free per request",
  track = "memory",
  difficulty = 3,
  files = { "arena.c", "parse.c" },
  headers = { "arena.h", "parse.h" },
  topics = { "arena", "bump allocator", "allocations", "allocs/op", "alignment", "benchmarks" },
  after = { "keep-it-on-the-stack" },
  time = 25,
  learn = { "https://go.dev/doc/gc-guide#Eliminating_heap_allocations",
            "https://github.com/golang/go/issues/51317",
            "https://www.rfleury.com/p/untangling-lifetimes-the-arena-allocator",
            "http://csapp.cs.cmu.edu/3e/malloclab.pdf" },
  text = [[
# One free per request

A server parses each request into a method, a path and a list of
headers, uses it, and forgets it. In Go:

```go
type Header struct{ Name, Value string }

type Request struct {
    Method, Path string
    Headers      []Header
}

func parse(text string) (*Request, error) {
    r := &Request{}
    // ... r.Method, r.Path = ...; r.Headers = append(r.Headers, Header{n, v})
    return r, nil
}
```

Every piece escapes to the heap, and Go frees none of it by hand: the
garbage collector finds the whole request unreachable once the handler
returns. It still pays per object: `go test -bench . -benchmem` shows
one allocation per header and string, and each is work for the
allocator now and for the collector later. Go's answer for data that
lives and dies together is an **arena** (the experimental `arena`
package, or a slab the program manages itself): allocate a request's
objects from one region, and drop the region as a whole.

`parse.c` does it the plain C way: `calloc` for the request, `malloc`
for each header and `strndup` for each of its strings, 39 calls
for a request of 12 headers, and `req_free` walks the request to free
each one. That is correct, and it is slow: each `malloc` and each `free`
costs tens of nanoseconds, the blocks are scattered, and every one is a
chance to leak or free twice.

An arena lives exactly as long as its request: **allocate by bumping a
pointer** through a big block, and **free by dropping the blocks**:

```c
p = b->data + b->used;   /* the next free byte */
b->used += n;            /* n rounded up to ARENA_ALIGN */
```

Rounding matters: the next allocation may be a `struct header`, which
needs the alignment of a pointer (or more), so every allocation starts
at a multiple of `ARENA_ALIGN`. When a block is full, start a new one
of `ARENA_BLOCK` bytes (or of `n` if `n` is bigger) and keep the old
ones on a list, since their bytes are still in use. `arena_free` frees
every block and the arena.

Two things to change:

- `arena.c` now makes one `malloc` per allocation: make it a bump
  allocator over blocks, as above (the struct `block` with a flexible
  `data[]` array aligned with `alignas(ARENA_ALIGN)` is one way);
- `parse.c` should take everything, the `struct req` included, from
  one `arena_new()` per request, and `req_free` becomes one
  `arena_free` (keep the arena in `r->arena`).

The tests check alignment and that allocations do not overlap, an
allocation bigger than a block, 1000 headers, malformed requests (which
must free what they took), all under AddressSanitizer and
LeakSanitizer; they count mallocs exactly (a request of 12 headers may
make **at most 2**), and benchmark `parse_req` against the reference:
within **1.3×** its CPU time, at **at most 2 allocs/op**.
]],
  hints = {
    { test = "a_request_costs_at_most_two_mallocs", text = "Every calloc, malloc and strndup in req_parse counts. Make one arena per request (arena_new), take the struct req, each struct header and each string from it (arena_alloc, arena_strndup), and free it all in req_free with arena_free(r->arena). Then make arena_alloc bump-allocate, or it still mallocs once per call." },
    { test = "arena_allocates_a_block_at_a_time", text = "arena_alloc must not malloc per call: keep a block (struct block { struct block *next; size_t size, used; alignas(ARENA_ALIGN) unsigned char data[]; }) and hand out data + used, then add n to used. Only when n no longer fits, malloc a new block." },
    { on = "sanitizer", text = "Read the report's first line. detected memory leaks: a block nobody freed; when a new block starts, the old one must stay on the arena's list (b->next = a->head), and everything a request holds must come from its arena, strings too (strndup is a malloc). heap-buffer-overflow: a block smaller than the allocation carved from it; a new block needs max(n, ARENA_BLOCK) bytes." },
    { test = "arena_allocations_are_aligned_and_apart", text = "Round n up to a multiple of ARENA_ALIGN before you add it to used: n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1). And the block's data must itself start aligned: alignas(ARENA_ALIGN) on the flexible array." },
    "A malformed request must still give back what it took: with an arena, that is one arena_free before returning NULL.",
  },
  check = function(c)
    local t = c:build{ harness = "parse_test.c" }
    local res = c:run_tests(t, { timeout = 5 })
    if res.failed > 0 then
      c:skip("benchmark parse_req", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "parse_test.c", solution = true }
    c:bench(t, ref, "parse_req", { budget = 1.3, allocs_op = 2 })
  end,
}

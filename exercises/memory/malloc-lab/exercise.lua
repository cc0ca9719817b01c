-- Your own malloc: an explicit free list with splitting and coalescing,
-- graded on utilisation, a heap checker in the harness, ASan and a bench.
return {
  title = "Your own malloc",
  track = "memory",
  difficulty = 5,
  files = { "mm.c" },
  headers = { "mm.h", "memlib.h" },
  topics = { "malloc", "free list", "coalescing", "fragmentation", "utilisation", "boundary tags" },
  after = { "request-arena" },
  time = 90,
  learn = { "http://csapp.cs.cmu.edu/3e/malloclab.pdf",
            "CS:APP 3e, section 9.9 (Dynamic Memory Allocation)",
            "https://go.dev/src/runtime/malloc.go",
            "https://go.dev/blog/ismmkeynote" },
  text = [[
# Your own malloc

Go programs never call `free`; the runtime's allocator and its garbage
collector share the heap between them:

```go
buf := make([]byte, n) // runtime.mallocgc: a size class, a span, a free slot
_ = buf                // unreachable later: the GC marks its slot free again
```

Under `mallocgc` sits an allocator that must answer two questions on
every call, the same two every `malloc` answers: **where is a free
block big enough**, and **what happens to a block that is given back**.
Its answers decide how much memory the program needs for the data it
holds, its **utilisation**: the most payload bytes live at once over
the heap's size.

`mm.c` is a bump allocator: each `mm_malloc` takes new bytes from the
end of the heap (`mem_sbrk`, a model of `sbrk` in `memlib.h`) and
`mm_free` does nothing. Every trace the tests replay frees most of what
it allocates, so the heap only grows: utilisation falls to a few
percent, and a long trace runs out of heap.

Build the classic answer, an **explicit free list with boundary tags**
(CS:APP 9.9):

- every block has a **header** and a **footer** word holding its size
  and an allocated bit; block sizes are multiples of 16, so the low
  bits are free for the flag, and payloads start 16-aligned;
- free blocks are also on a doubly linked list, threaded through their
  payloads (`next`, `prev`): a minimum block is 32 bytes;
- `mm_malloc` searches the list (first fit will do) and **splits** a
  block that is bigger than needed by a minimum block or more; only
  when nothing fits does it grow the heap;
- `mm_free` marks the block free and **coalesces** it at once with a
  free neighbour on either side: the next block's header and the
  previous block's footer say whether they are free. Without merging,
  a heap of small freed blocks cannot hold a bigger request;
- a prologue block and an epilogue header at the ends of the heap
  spare you the edge cases.

The tests replay five traces (small blocks, mixed sizes, buffers grown
by `mm_realloc`, large blocks, and small blocks all freed before bigger
ones come) with a heap checker: every payload aligned, inside the
heap, keeping its bytes while it is live, and a utilisation a little
under the reference's on each: **0.50** for the small blocks (their
headers weigh), 0.70 for mixed sizes, 0.55 for realloc, 0.65 for large
blocks and **0.80** once freed neighbours can merge. The bytes past
the heap's end are poisoned, so AddressSanitizer reports a write past
it at your line. A benchmark replays 2000 requests: stay within
**2×** the reference's CPU time.
]],
  hints = {
    { test = "small_blocks_come_and_go", text = "mm_free gives nothing back, so the heap only grows. Give every block a header and a footer (size | allocated bit), keep free blocks on a list, and let mm_malloc take a fitting free block before it calls mem_sbrk." },
    { test = "freed_neighbours_merge", text = "Coalesce in mm_free: if the next block is free, take it off the list and add its size; if the previous one is (its footer sits just before your header), take it off the list, add, and start from it. Then put the merged block on the list once. Without it, a heap of small freed blocks cannot hold the bigger ones that come next." },
    "A layout that works: mm_init sbrks 4 words: padding, prologue header and footer (size 16, allocated), epilogue header (size 0, allocated). Payloads then start 16-aligned. A new heap chunk's header goes where the old epilogue was, and a new epilogue goes at the new end.",
    "Split: when the free block you found is bigger than the request by at least a minimum block (32 bytes), cut it in two and put the rest back on the free list. Without it one small request can take a whole 4 KiB chunk.",
    { on = "sanitizer", text = "use-after-poison at your line: you wrote past the end of the heap, into bytes mem_sbrk has not given you yet. Count the words you write in mm_init and when you grow the heap against what you asked mem_sbrk for." },
  },
  check = function(c)
    local t = c:build{ harness = "mm_test.c" }
    local res = c:run_tests(t, { timeout = 10, asan = { timeout = 30 } })
    if res.failed > 0 then
      c:skip("benchmark replay_mixed", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "mm_test.c", solution = true }
    c:bench(t, ref, "replay_mixed", { budget = 2.0 })
  end,
}

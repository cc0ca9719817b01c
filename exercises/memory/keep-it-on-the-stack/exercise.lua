-- Escape analysis by hand: a scratch buffer that never outlives the call
-- belongs on the stack, not in malloc; graded by exact allocation counts.
return {
  title = "Allocate only what escapes",
  track = "memory",
  difficulty = 3,
  files = { "tokenize.c" },
  headers = { "tokenize.h" },
  topics = { "escape analysis", "stack allocation", "allocations", "allocs/op", "benchmarks" },
  after = { "dangling-stack" },
  time = 15,
  learn = { "https://go.dev/doc/faq#stack_or_heap",
            "https://go.dev/doc/gc-guide#Eliminating_heap_allocations",
            "https://pkg.go.dev/testing#B.ReportAllocs",
            "https://github.com/ardanlabs/gotraining/tree/master/topics/go/profiling/memcpu" },
  sanitizers = { "asan", "tsan" },
  text = [[
# Allocate only what escapes

A search index splits every line it reads into lower-cased words. In Go
the scratch space for one word could be written two ways:

```go
func tokenize(line string, fn func(word string)) int {
    n := 0
    for _, w := range fields(line) {
        buf := make([]byte, len(w))   // size known only at run time
        // ... or:  var arr [TokenMax]byte; buf := arr[:len(w)]
        for i := range w {
            buf[i] = lower(w[i])
        }
        fn(string(buf))               // fn gets its own copy
        n++
    }
    return n
}
```

Go decides where `buf` lives by **escape analysis**: a value that
cannot outlive the function call stays in its stack frame, which costs
nothing to allocate and nothing to free; one that might outlive it, or
whose size is not known when compiling, goes to the heap. Ask the
compiler what it decided:

```
$ go build -gcflags=-m ./tokenize
./tokenize.go:4:21: make([]byte, len(w)) escapes to heap
./tokenize.go:5:9: arr does not escape
```

and `go test -bench . -benchmem` shows the cost as **allocs/op**: one
heap allocation per word with `make([]byte, len(w))`, none with the
array. At a million lines a second that is the difference between a
garbage collector that never wakes and one that runs all the time.

C has no escape analysis: you are it. `malloc` is the heap, always, and
a local array is the stack frame, always. `tokenize` in `tokenize.c`
calls `malloc` for every word, lower-cases the word into it, hands it to
`fn` and frees it. But the header's contract says the word is valid
**only until `fn` returns**: it never outlives the call, so it never
needed the heap. Nothing of it escapes.

Put the word in `tokenize`'s own frame, as Go would: a local array of
`TOKEN_MAX + 1` bytes (the longest word is cut to `TOKEN_MAX` bytes, and
the NUL needs one more). Mind three things the heap hid:

- the array must hold the **longest** word, not a typical one: a word
  written past its end overwrites the frame (AddressSanitizer reports a
  stack-buffer-overflow);
- it lives only as long as the call: a pointer to it must never be
  returned or kept;
- `tokenize` may run on several goroutines at once, each with its own
  frame. A `static` buffer is not on the stack: it is one buffer shared
  by every caller, a data race (ThreadSanitizer reports it).

The tests check the words, count allocations exactly with the harness's
allocation counter (1000 calls must make **0**), run four goroutines at
once (also under ThreadSanitizer), and benchmark you against the
reference: within **1.3×** its CPU time, at **0 allocs/op**.
]],
  hints = {
    { on = "sanitizer", text = "Read the report's first line. stack-buffer-overflow: your array is smaller than the longest word tokenize copies (TOKEN_MAX bytes and a NUL). data race (ThreadSanitizer): two goroutines wrote the same buffer, so it is not in each call's frame; a static local is one buffer for every caller." },
    "The word is valid only until fn returns, so it can live in tokenize's frame: char word[TOKEN_MAX + 1]; at the top of the function, and no malloc or free.",
    { test = "no_allocation_per_call", text = "Any malloc in tokenize counts, even one per call outside the loop and freed at the end: 1000 calls must make 0 allocations. A local array costs nothing to allocate." },
    "A local array dies when its function returns: a helper that lower-cases into its own local array and returns a pointer to it hands back a dead frame. Pass the helper the caller's array to write into instead.",
  },
  check = function(c)
    local t = c:build{ harness = "tokenize_test.c" }
    -- the pack's ASan pass runs every case; the TSan pass the concurrent one
    local res = c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=4" },
                                 tsan = { timeout = 20, env = { "GOMAXPROCS=4" },
                                          only = { "four_goroutines_tokenize_at_once" } } })
    if res.failed > 0 then
      c:skip("benchmark tokenize_a_paragraph", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "tokenize_test.c", solution = true }
    c:bench(t, ref, "tokenize_a_paragraph", { budget = 1.3, allocs_op = 0 })
  end,
}

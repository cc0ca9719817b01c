-- Type-specialised code against void * and a comparator: what Go's
-- generics (and a C macro) buy over sort.Slice and qsort.
return {
  title = "void * against code for your type",
  track = "profiling",
  difficulty = 3,
  files = { "sort.c" },
  headers = { "sort.h" },
  topics = { "generics", "qsort", "inlining", "benchmarks", "benchmark statistics", "benchstat" },
  after = { "string-builder" },
  time = 25,
  learn = { "https://go.dev/blog/intro-generics",
            "https://pkg.go.dev/slices#Sort",
            "https://pkg.go.dev/golang.org/x/perf/cmd/benchstat" },
  text = [[
# void * against code for your type

In Go you could sort a slice of ints two ways:

```go
sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })  // any slice
slices.Sort(xs)                                                 // generic: []int
```

`sort.Slice` works for any slice because it knows nothing about the
elements: it calls your closure for every comparison and swaps through
reflection. `slices.Sort` is generic, so the compiler produces code for
`[]int` itself: the comparison is one machine instruction, inlined, and
a swap moves two ints. On a million ints the generic one is about twice
as fast.

C's `qsort` is `sort.Slice`. It takes `void *`, an element size and a
comparator, so every one of the ~1.7 million comparisons a sort of
100,000 ints makes is a call through a function pointer the compiler
cannot inline, and every swap copies bytes it knows only the count of.

`sort_ints` in `sort.c` calls `qsort`. It is correct, and the benchmark
finds it about twice as slow as code written for ints. The benchmark
sorts 100,000 random ints, the way Go's `testing.B` runs one, beside the
reference solution, and you pass within **1.3×** of its time. Open the
profile (`p`): the time goes to `libc.so.6` (qsort's own merge sort, in
the C library) and to `compare_ints`, the comparator it calls through a
pointer once per comparison.

Write `sort_ints` for ints: a quicksort (pick the pivot from the first,
middle and last elements, and stop the partition on keys equal to the
pivot, so that many equal keys still split evenly), with an insertion
sort for short ranges. The comparisons are then `<` on `int`, which the
compiler sees and inlines. (For many types, C's answer to generics is a
macro that writes this code for each type: `SORT_DEFINE(ints, int, <)`.)
Keep it in place, without allocating, and keep the tests passing: they
compare your order with `qsort`'s on sorted, reversed, random and
mostly-equal input and on `INT_MIN` and `INT_MAX`.

## How the benchmark is judged

One timing says little: on a laptop or a shared machine the same code
takes 10% longer when a browser tab wakes up. Go's answer is to run a
benchmark many times (`go test -bench . -count 10`) and compare the two
sets with `benchstat`, which reports a median, the spread, and whether a
difference is real (a Mann-Whitney U test, `p < 0.05`) or noise (`~`).
chanlab does the same:

- yours and the reference run **interleaved**, ten times each, so a
  busy minute slows both alike; each run repeats the sort until it has
  taken long enough to time, as `testing.B` does, and counts CPU time;
- the result is the **median ratio** of your times to the reference's,
  with its 95% interval: `1.12x the reference's CPU time (95% CI
  1.05-1.20x)`;
- the budget is **missed** only when the times are surely over it (the
  median over 1.3× and the U test says so); over it but within the noise
  is **inconclusive**, which passes and says so. Close to the budget,
  make it faster rather than checking again until it passes: the same
  code gets the same verdict when it is clearly on one side.

Under the verdict, the benchmark shows its figures in `go test -bench`'s
format, `ns/op`, `B/op` and `allocs/op`, yours above the reference's.
]],
  hints = {
    { on = "benchmark", text = "Press p: most of the time is in libc.so.6 (qsort's own code) and compare_ints, called once per comparison through a pointer. Code written for int lets the compiler inline the comparison: write the sort yourself." },
    { test = "many_equal_values_in_linear_time", text = "A sort that slows to a crawl on many equal values partitions them all to one side: with a Lomuto partition (`a[i] < p` puts equal keys right) every step peels off one element. Stop both scans on keys equal to the pivot (Hoare's partition), so equal keys split in the middle." },
    { on = "memory-leak", text = "LeakSanitizer found memory your sort allocated and never freed. An in-place quicksort needs no memory at all; a merge sort must free its buffer before it returns." },
    "Quicksort: pick p = the median of a[0], a[n/2], a[n-1]; scan i up while a[i] < p and j down while a[j] > p; swap, step both, repeat until they cross; sort both sides (the smaller by recursion, the larger in a loop).",
    "Below 16 elements an insertion sort is faster than more partitioning: finish every short range with one.",
  },
  check = function(c)
    local t = c:build{ harness = "sort_test.c" }
    local res = c:run_tests(t, { timeout = 10 })
    if res.failed > 0 then
      c:skip("benchmark sort_1e5_ints", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "sort_test.c", solution = true }
    c:bench(t, ref, "sort_1e5_ints", { budget = 1.3, allocs_op = 0 })
  end,
}

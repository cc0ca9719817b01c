-- Cache blocking: walk a transpose in tiles so that every cache line
-- brought in is used whole.
return {
  title = "Transpose for the cache",
  track = "memory",
  difficulty = 4,
  files = { "trans.c" },
  headers = { "trans.h" },
  topics = { "cache", "locality", "blocking", "benchmarks" },
  after = { "word-split" },
  time = 25,
  learn = { "https://csapp.cs.cmu.edu/3e/labs.html",
            "https://www.akkadia.org/drepper/cpumemory.pdf" },
  text = [[
# Transpose for the cache

Go hides the heap from you, but not the cache. This loop, in Go or C,
is correct and slow on a large matrix:

```go
for i := 0; i < rows; i++ {
    for j := 0; j < cols; j++ {
        b[j*rows+i] = a[i*cols+j]
    }
}
```

It reads `a` along a row, one int after the next: each 64-byte cache
line brought in serves 16 reads. It writes `b` down a column: each write
lands `rows` ints (8 KiB for a 2048-wide matrix) after the one before,
on a different cache line, and by the time the loop comes back for the
next int of that line, thousands of other lines have pushed it out. So
for `b` every write costs a whole line from memory, 16 times more
traffic than the data. Go's runtime cannot fix this for you; the order
of your loops can.

**Blocking** (or tiling) walks the matrix in small squares, say 16 × 16
ints: a tile of `a` is 16 lines, its transpose is 16 lines of `b`, and
all 32 fit in the cache at once, so every line is used whole before it
leaves.

`transpose` in `trans.c` is the plain loop. The benchmark transposes a
2048 × 2048 matrix of ints beside the reference solution, the way Go's
`testing.B` runs one, and you pass within **1.3×** of its time; the
plain loop is about twice as slow or worse.

Walk `a` and `b` in tiles: two outer loops step `ii` and `jj` by the
block size, two inner loops transpose one tile. Keep the tests passing:
they include 61 × 67 and 1000 × 999, where the last tiles of a row or a
column are cut short.
]],
  hints = {
    { on = "benchmark", text = "Your writes to b go down a column (or, with the loops swapped, your reads of a do): every one touches a new cache line, and the line is gone before the next int of it is used. Transpose the matrix one small square at a time (16 x 16 ints), so the lines of both tiles stay in the cache while you use them." },
    { on = "test", text = "A matrix that is not a multiple of the block size (61 x 67, 1000 x 999) ends in narrower tiles: the inner loops must stop at min(ii + BLOCK, rows) and min(jj + BLOCK, cols), not at ii + BLOCK." },
    { on = "overflow", text = "AddressSanitizer saw a write past the end of b: a tile at the edge of the matrix ran past its last row or column. Bound the inner loops by the matrix, not by the block." },
    "for (ii = 0; ii < rows; ii += 16) for (jj = 0; jj < cols; jj += 16) for (i = ii; i < min(ii + 16, rows); i++) for (j = jj; j < min(jj + 16, cols); j++) b[j * rows + i] = a[i * cols + j];",
  },
  check = function(c)
    local t = c:build{ harness = "trans_test.c" }
    local res = c:run_tests(t, { timeout = 10 })
    if res.failed > 0 then
      c:skip("benchmark transpose_2048", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "trans_test.c", solution = true }
    c:bench(t, ref, "transpose_2048", { budget = 1.3, allocs_op = 0 })
  end,
}

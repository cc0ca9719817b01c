-- Amortised growth: exact-size reallocation is quadratic; doubling is linear.
return {
  title = "A string builder that keeps up",
  track = "profiling",
  difficulty = 2,
  topics = { "allocations", "amortised growth", "realloc", "alloc profile", "benchmarks" },
  files = { "sb.c" },
  text = [[
# A string builder that keeps up

`sb_append` in `sb.c` is correct: the tests pass. It is also slow. Each
append allocates a new buffer of *exactly* the new length, copies the
whole string so far into it and frees the old one. Building a string of
n bytes in small pieces therefore copies about n²/2 bytes and calls
malloc once per append. Go's `strings.Builder` and `append` avoid this by
growing the capacity geometrically (roughly doubling): most appends then
fit in the room already there, and each byte is copied only a constant
number of times on average.

Two things grade it. A test counts allocations, which are exact on any
machine: building one megabyte from 8-byte appends may take at most 64
`malloc`/`realloc` calls (yours takes 131 072; growing `cap` by a fixed
amount is not enough either, it makes one call per amount). And a
benchmark, run the way Go's `testing.B` runs one: the operation (build a
4000-byte string from 1000 appends) is repeated b.N times, with b.N
chosen so that a run lasts long enough to time, and chanlab prints Go's
benchmark line: ns/op, B/op, allocs/op and the CPU time. Your code and
the reference solution run interleaved, ten times each; you pass when the
median of your CPU time over the reference's is within **1.5×**.

The allocation profile shows where it happens: `chanlab profile --alloc
string-builder` puts `sb_append` at the top, every byte allocated at
its one `malloc` line.

Make `sb_append` grow `cap` geometrically and copy only when the new text
does not fit. Keep the tests passing: `len` is the length, `cap` the room
allocated, and the string stays NUL-terminated.
]],
  hints = {
    { test = "a_megabyte_in_few_allocations", text = "Each time the string outgrows cap you call malloc or realloc once. Grow cap by a fixed amount and a megabyte takes megabyte/amount calls; multiply it (by 2, or 1.5) and it takes a few dozen." },
    { on = "benchmark", text = "Look at allocs/op: yours is one per append (1000), the reference's about seven. Allocate less often by keeping spare room in cap." },
    "When len + n + 1 > cap, double cap (start at, say, 64) until it fits, then realloc once; otherwise just memcpy into the room you have.",
    "realloc keeps the old contents, so you no longer need your own copy loop.",
  },
  check = function(c)
    local t = c:build{ harness = "sb_test.c" }
    local res = c:run_tests(t, { timeout = 5 })
    -- the benchmark runs unless the string comes out wrong: too many
    -- allocations is what it measures too
    local wrong = 0
    for _, k in ipairs(res.cases) do
      if not k.ok and k.name ~= "a_megabyte_in_few_allocations" then wrong = wrong + 1 end
    end
    if wrong > 0 then
      c:skip("benchmark build_4k", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "sb_test.c", solution = true }
    c:bench(t, ref, "build_4k", { budget = 1.5 })
  end,
}

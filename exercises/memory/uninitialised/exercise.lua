-- An accumulator nobody set: Go zeroes every variable, C does not;
-- valgrind's memcheck catches the first decision that reads it.
return {
  title = "A value nobody set",
  track = "memory",
  difficulty = 2,
  files = { "stats.c" },
  headers = { "stats.h" },
  topics = { "uninitialised memory", "zero values", "valgrind", "memcheck" },
  after = { "word-split" },
  time = 15,
  learn = { "https://go.dev/ref/spec#The_zero_value",
            "https://valgrind.org/docs/manual/mc-manual.html#mc-manual.uninitvals",
            "https://pages.cs.wisc.edu/~remzi/OSTEP/vm-api.pdf" },
  text = [[
# A value nobody set

In Go every variable starts with a value: `0`, `""`, `nil`, or a struct
of those. This summary of response times is correct as it stands:

```go
type Stats struct {
    Count, Total, Slowest, Slow int
}

func StatsOf(ms []int, limit int) Stats {
    var st Stats                 // all zeros
    for _, m := range ms {
        st.Count++
        st.Total += m
        if m > st.Slowest {
            st.Slowest = m
        }
        if m > limit {
            st.Slow++
        }
    }
    return st
}
```

C does not zero a local variable. `struct stats st;` gets whatever bytes
were left on the stack by the last function that used it: an old
counter, half a pointer, sometimes zeros, so the bug can pass every test
on your machine and fail on the next. `stats_of` in `stats.c` is that Go
function carried over word for word, and it counts up from garbage.

AddressSanitizer does not see this: the bytes are inside the program's
own stack, so every read of them is "valid". **valgrind's memcheck**
does: it tracks, for every bit of memory, whether anything ever set it,
and reports the first time the program *decides* something on a value
nobody set: `Conditional jump or move depends on uninitialised
value(s)`, with the line of the `if`. chanlab runs a small program that
calls `stats_of` under memcheck, and the tests check every field (they
first leave garbage on the stack, as a long-running program does, so a
field nobody set does not happen to read 0).

Fix `stats_of` so that every field of the summary starts from zero,
whatever was on the stack before, and every call starts afresh.
]],
  hints = {
    { on = "sanitizer", text = "Read valgrind's report: 'Conditional jump or move depends on uninitialised value(s)', then 'at 0x...: stats_of (stats.c:N)'. Line N is an if that compares with a field of st: that field was read before anything was stored in it. If the report names only printf and go_main, a field you return was never set." },
    { on = "test", text = "The tests leave 0x41 bytes on the stack before each call: a count of 1094795591 or a slowest of 1094795585 is 0x41414141 plus what your loop added. Which field did nothing set?" },
    "Give st a value where you declare it: struct stats st = { 0 }; zeroes every field, the ones you do not name too, as Go's var st Stats does.",
    "Zero the struct you return, not a copy of it (a helper that takes struct stats by value zeroes its own copy), and not a static one: a static struct starts at zero once, and the second call adds to the first call's totals.",
  },
  check = function(c)
    -- debug flavour: at -O0 st lives on the stack, where the tests put garbage
    local t = c:build{ flavour = "debug", harness = "stats_test.c" }
    c:run_tests(t, { timeout = 10 })
    local p = c:build{ flavour = "debug", extra = { "stats_main.c" }, name = "under valgrind" }
    local r = c:run(p, { timeout = 30, valgrind = true })
    c:clean("clean under valgrind's memcheck", r)
  end,
}

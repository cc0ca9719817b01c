-- The allocation profile: three allocations per line of a log, none of
-- which outlives the line; hoist one buffer out of the loop, keep the rest
-- on the stack.
return {
  title = "Who allocates in the loop",
  track = "profiling",
  difficulty = 3,
  files = { "stream.c" },
  headers = { "stream.h" },
  topics = { "allocation profile", "alloc_space", "pprof", "hot loop", "allocs/op", "escape" },
  after = { "find-the-hotspot" },
  time = 20,
  learn = { "https://go.dev/doc/diagnostics#profiling",
            "https://pkg.go.dev/runtime/pprof#Profile",
            "https://github.com/ardanlabs/gotraining/tree/master/topics/go/profiling/memcpu",
            "https://go.dev/blog/pprof" },
  text = [[
# Who allocates in the loop

`stream_summarize` reads an access log, one line `user,status,bytes,path`
at a time, and counts the records, the bad lines, the server errors and
the bytes. In Go it would read:

```go
for sc.Scan() {
    line := sc.Text()                  // a new string for every line
    fields := strings.Split(line, ",") // a new slice for every line
    r, ok := parseRecord(fields)       // returns &Record{...}: escapes
    ...
}
```

It is right, and it is slow for a reason a CPU profile hardly shows: every
line allocates three times, and every allocation is freed a moment later.
The heap never grows (an `inuse_space` profile is flat), yet the program
spends its time in the allocator. Go's memory profile records where
allocations are made, and `-sample_index=alloc_space` counts all of them,
freed or not:

```
go test -bench . -benchmem -memprofile mem.out -memprofilerate 1
go tool pprof -sample_index=alloc_space -top mem.out
```

The fix in Go is to allocate once, outside the loop, and reuse:
`sc.Bytes()` instead of `sc.Text()`, a `[4][]byte` array on the stack
instead of `Split`, a `Record` value the caller owns instead of a pointer
that escapes. `-benchmem` then shows `allocs/op` fall from thousands to
one.

`stream.c` is the same code in C: `copy_line` mallocs a copy of each
line, `split_fields` mallocs an array of four pointers, `parse_record`
mallocs the record; the loop frees all three. chanlab's runtime records
every `malloc`, `calloc` and `realloc` with its stack: press **`p`** and
choose the **alloc** profile (or run `chanlab profile --alloc
allocation-profile`). Each of the three functions is there, with the line
of its `malloc` and the bytes it asked for.

Hoist them out of the loop:

- one line buffer for the whole log, allocated once (before the loop or
  on the first line) and grown with `realloc` only when a line is longer
  than any before; freed when `stream_summarize` returns;
- `char *fields[NFIELDS]` and `struct record` on the stack, filled by
  `split_fields` and `parse_record` through pointers.

The check runs the tests, then profiles 100 000 lines: at most **40**
allocations may be left in the whole run, the runtime's own among them
(the starter makes 300 000). A benchmark
(a log of 1000 lines) must make at most **1** allocation per log and be
within **1.3×** of the reference's CPU time.
]],
  hints = {
    { test = "the alloc profile: nothing allocates per line",
      text = "Open the allocation profile (p, then alloc): copy_line, split_fields and parse_record each call malloc once per line, and the loop frees what they return right away. Nothing they allocate outlives its line, so none of it needs the heap every time." },
    "Give copy_line the buffer instead of letting it make one: stream_summarize keeps char *buf = NULL and size_t cap = 0, and copy_line(&buf, &cap, p, len) grows it with realloc only when len + 1 > cap (double it), then copies the line in. free(buf) once, on every way out of stream_summarize.",
    "split_fields can fill an array its caller declares, char *fields[NFIELDS], and return the count; parse_record can fill a struct record its caller declares and return whether the line made one. Both then live on the stack.",
    { on = "benchmark", text = "Look at allocs/op in the benchmark's output: more than one means something still allocates per line (the alloc profile names it). A buffer that grows by realloc to each line's exact size is an allocation per line too: grow it only when it is too small, and by doubling." },
    { on = "sanitizer", text = "AddressSanitizer's report names the line: a buffer allocated once must still hold the longest line, and must be freed once when the log is done." },
  },
  check = function(c)
    local extra = { "logmake.c" }
    local t = c:build{ harness = "stream_test.c", extra = extra }
    local res = c:run_tests(t, { timeout = 5, asan = { timeout = 20 } })
    local name = "the alloc profile: nothing allocates per line"
    if res.failed > 0 then
      c:skip(name, "not run: fix the failing tests first")
      c:skip("benchmark summarize_1000_lines", "not run: fix the failing tests first")
      return
    end
    -- where the allocations are made: the learner's alloc profile (kept for p too)
    local p, r = c:profile(c:build{ extra = { "stream_main.c", "logmake.c" } }, { kind = "alloc", timeout = 30 })
    if not p then
      c:test(name, false, "the profiled run wrote no profile: " .. tostring(r.profile_error), r.stderr)
    elseif p.empty then
      c:skip(name, "no profile in a sanitizer build")
    else
      local rows = {}
      for _, f in ipairs(p.functions) do
        if f.flat > 0 and f.file:find("stream%.c$") then
          rows[#rows + 1] = f
        end
      end
      table.sort(rows, function(a, b) return a.flat > b.flat end)
      local top = {}
      for i = 1, math.min(#rows, 4) do
        local f = rows[i]
        top[i] = string.format("%s %.1f MB (%s:%d)", f.name, f.flat / 1e6, f.file:match("[^/]+$"), f.line)
      end
      c:test(name, p.samples <= 40,
             string.format("summarising 100 000 lines made %d allocations (%.1f MB); at most 40 may be left, "
                           .. "none per line. The top allocation sites of stream.c by bytes (alloc_space): %s; "
                           .. "press p to see the profile",
                           p.samples, p.total / 1e6, #top > 0 and table.concat(top, ", ") or "none in stream.c"))
    end
    local ref = c:build{ harness = "stream_test.c", extra = extra, solution = true }
    c:bench(t, ref, "summarize_1000_lines", { budget = 1.3, allocs_op = 1 })
  end,
}

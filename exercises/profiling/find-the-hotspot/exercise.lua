-- The CPU profile: find the one function that takes the time, and make it cheap.
return {
  title = "Read the CPU profile",
  track = "profiling",
  difficulty = 3,
  files = { "words.c" },
  headers = { "words.h" },
  topics = { "CPU profile", "pprof", "flame graph", "hot spot" },
  after = { "batch-sends" },
  time = 20,
  learn = { "https://go.dev/blog/pprof",
            "https://pkg.go.dev/runtime/pprof",
            "https://www.brendangregg.com/flamegraphs.html" },
  text = [[
# Read the CPU profile

`count_content_words` counts the words of a text that are not stop words
("the", "a", "which", ...: 229 of them, in `stopwords[]`, sorted). It is
right, and a 200 000-word text takes far longer than it should. Where does
the time go? Don't guess: measure. A Go programmer runs

```
go test -bench . -cpuprofile cpu.out
go tool pprof -top cpu.out
```

and reads which function the samples fall in: a profiler stops the
program 100 times per CPU-second and records where it was, so a function
that takes 90% of the time holds 90% of the samples.

chanlab profiles your code the same way. Press **`p`** in the exercise
(or run `chanlab profile find-the-hotspot`): the top table lists the
functions by their share of the CPU samples (`flat`: in the function
itself; `cum`: with what it calls), and `Enter` on a row shows its
hottest lines. The flame graph shows the same stacks as boxes as wide as
their time. The check profiles your code too and shows you the top
functions when the benchmark fails.

The benchmark counts the content words of a 20 000-word text, against the
reference solution: within **1.5×** its CPU time. Find the function the
profile points at and make it cheap. Keep its answers exact: a prefix of a
stop word ("th" of "the") is not one.
]],
  hints = {
    { on = "benchmark", text = "Open the profile (p): nearly every sample is in is_stopword. For each word of the text it compares the word with all 229 stop words, one after another." },
    "stopwords[] is sorted in strcmp order: a binary search finds a word (or finds it missing) in 8 comparisons instead of 229.",
    "Compare the n letters at w with a stop word s the way strcmp does: the first letter that differs decides; when all n are equal, w is smaller if s goes on (s[n] != 0), equal if it ends there.",
    { on = "test", text = "A word matches a stop word only when it has the same letters and the same length: \"th\" is not \"the\"." },
  },
  check = function(c)
    local extra = { "text.c", "stopwords.c" }
    local t = c:build{ harness = "words_test.c", extra = extra }
    local res = c:run_tests(t, { timeout = 2 })
    if res.failed > 0 then
      c:skip("benchmark count_20k_words", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "words_test.c", extra = extra, solution = true }
    local b = c:bench(t, ref, "count_20k_words", { budget = 1.5 })
    if not b or b.passed then
      return
    end
    -- where the time went: the learner's CPU profile (kept for p too)
    local p, r = c:profile(c:build{ extra = { "words_main.c", "text.c", "stopwords.c" } }, { timeout = 60 })
    if not p or p.empty then
      return
    end
    local rows = {}
    for _, f in ipairs(p.functions) do
      if #rows < 3 and f.flat_share >= 0.01 then
        rows[#rows + 1] = string.format("%s %.0f%% (%s:%d)", f.name, f.flat_share * 100, f.file, f.line)
      end
    end
    c:test("where the CPU time goes", false,
           "the CPU profile of 10 counts of 200 000 words (" .. p.samples .. " samples), top functions by flat share: "
           .. table.concat(rows, ", ") .. "; press p to see it", nil, "benchmark")
  end,
}

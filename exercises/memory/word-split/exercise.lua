-- A leak: freeing an array of strings but not the strings, caught by LeakSanitizer.
return {
  title = "Free what you split",
  track = "memory",
  difficulty = 2,
  topics = { "memory leaks", "ownership", "strings", "LeakSanitizer" },
  files = { "words.c" },
  text = [[
# Free what you split

`words_split` turns a line into an array of words. It makes one `malloc`'d
array, and one `malloc`'d string per word (`strndup` allocates too). The
caller gets all of it and gives it back with `words_free`.

Every block that `malloc` hands out must be given back by exactly one
`free`. `words_free` in `words.c` frees the array, but not the words the
array points to: those blocks stay allocated with nothing pointing at
them. That is a **memory leak**. A program that splits a million lines
leaks a million strings, and nothing crashes: memory just grows.

Go's garbage collector frees unreachable memory for you; in C you find
leaks with LeakSanitizer, which ASan runs when the program exits: it looks
for blocks that nothing points to any more and prints where each was
allocated. chanlab builds this exercise with `-fsanitize=address`, so a
leak fails the test it happened in.

Fix `words_free` so that nothing `words_split` allocated is left behind.
]],
  hints = {
    { on = "memory-leak", text = "LeakSanitizer shows where the leaked block was allocated: the strndup in words_split. Who should free that string?" },
    "words_free gets the array and n: free each words[i] first, then the array itself.",
    "The order matters: after free(words) you must not read words[i] any more.",
  },
  check = function(c)
    local t = c:build{ flavour = "asan", harness = "words_test.c" }
    c:run_tests(t, { timeout = 10 })
  end,
}

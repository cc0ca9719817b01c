-- A heap buffer one byte too small: no room for the NUL, caught by
-- AddressSanitizer at the write past the end.
return {
  title = "One byte too far",
  track = "memory",
  difficulty = 1,
  files = { "join.c" },
  headers = { "join.h" },
  topics = { "buffer overflow", "off by one", "strings", "NUL terminator", "AddressSanitizer" },
  after = { "list-remove" },
  time = 10,
  learn = { "https://pages.cs.wisc.edu/~remzi/OSTEP/vm-api.pdf",
            "https://pkg.go.dev/strings#Join",
            "https://clang.llvm.org/docs/AddressSanitizer.html" },
  text = [[
# One byte too far

In Go, joining strings cannot go wrong:

```go
s := strings.Join([]string{"usr", "local", "share"}, "/")   // "usr/local/share"
```

A Go string carries its length, and every index into a slice is checked:
a write one byte past the end stops the program with `index out of
range` instead of landing in someone else's memory. `strings.Join` counts
the bytes it needs, makes a buffer of exactly that size, and copies.

A C string carries no length. It ends where the first `'\0'` byte is, so
`"usr/local/share"` takes **16** bytes, not 15: the 15 characters and the
NUL. `strlen` counts the characters only. Nothing checks an index either:
a write one byte past a `malloc`'d block goes into whatever lies next to
it (the allocator's bookkeeping, another string), and the program goes
on, until something else breaks far away. That is a **heap buffer
overflow**, and off by one is its most common size.

`join(parts, n, sep)` in `join.c` does what `strings.Join` does and
returns a `malloc`'d string the caller frees. It counts the characters
of the parts and the separators, `malloc`s exactly that many bytes, copies
them in, and then writes the terminating `'\0'` one byte past the end of
the block. It usually *prints* right: the byte after a block is often
free. chanlab builds this exercise with AddressSanitizer, which puts a
poisoned zone after every block, so the first byte written past the end
stops the program with a `heap-buffer-overflow` report that names the
line.

Fix `join` so that the string and its NUL fit in the block it allocates.
The tests also check every result, including `n == 0` (an empty string,
not NULL), an empty separator and empty parts.
]],
  hints = {
    { on = "overflow", text = "Read the report's first lines: heap-buffer-overflow, WRITE of size 1 at the line of *p = '\\0', 0 bytes to the right of an N-byte region allocated at the malloc. The block holds exactly the characters, so the NUL is the byte one past its end. (A READ in strcat or strlen means a string has no NUL where you think it has one.)" },
    "A C string of n characters takes n + 1 bytes: malloc(len + 1), where len counts the characters of every part and of the n - 1 separators.",
    "Count the separators between the parts: n parts have n - 1 of them, and none after the last. With n == 0 the result is \"\", one byte: the NUL alone.",
    "Build the string with memcpy at a moving pointer (or strcpy), not strcat onto a fresh malloc'd block: malloc does not zero memory, so strcat looks for a NUL that is not there.",
  },
  check = function(c)
    local t = c:build{ flavour = "asan", harness = "join_test.c" }
    c:run_tests(t, { timeout = 10 })
  end,
}

-- Escape by hand: a pointer that outlives its frame must point to heap or
-- caller memory; ASan with use-after-return detection on goroutine stacks.
return {
  title = "Don't return the stack",
  track = "memory",
  difficulty = 2,
  files = { "user.c" },
  headers = { "user.h" },
  topics = { "escape analysis", "stack", "dangling pointer", "use after return", "lifetimes" },
  after = { "who-frees-the-message" },
  time = 15,
  learn = { "https://go.dev/doc/faq#stack_or_heap",
            "https://github.com/golang/go/wiki/CompilerOptimizations#escape-analysis",
            "https://github.com/google/sanitizers/wiki/AddressSanitizerUseAfterReturn",
            "https://clang.llvm.org/docs/AddressSanitizer.html" },
  text = [[
# Don't return the stack

A service reads its users from lines like `42 Ada` and keeps them. In Go:

```go
type User struct {
    ID   int
    Name []byte // lower-cased
}

func parseUser(line string) *User {
    var buf [32]byte                 // scratch space in this frame
    id, rest := splitID(line)
    n := lowerInto(buf[:], rest)
    return &User{ID: id, Name: buf[:n]}
}
```

This is correct Go, although `buf` and the `User` are locals of a
function that returns: the pointer to the `User`, and the slice of
`buf` inside it, **outlive the frame**. Go's compiler sees that by
**escape analysis** and moves both to the heap, where the garbage
collector keeps them as long as something points to them:

```
$ go build -gcflags=-m
./user.go:7:9: moved to heap: buf
./user.go:10:12: &User{...} escapes to heap
```

C does no such thing. A local lives in the function's frame, and the
frame is gone the moment the function returns: the next call reuses
those bytes. A pointer into it still points somewhere, so nothing
crashes at once; the bytes just change under it, later, somewhere else.
The compiler catches only the plainest case (`return &u;` draws a
warning, and gcc then returns NULL instead); a pointer stored into a
struct that is returned goes unseen.

`user_parse` in `user.c` got half of it right: the `struct user` comes
from `malloc`, so it outlives the call. But the name is folded into a
local array, `name`, and the user keeps a pointer to it:

```c
struct user *user_parse(const char *line)
{
	struct user *u;
	char name[USER_NAME_MAX + 1];   /* dies when user_parse returns */
	...
	u->name = name;                  /* the user outlives it */
	return u;
}
```

Every read of `u->name` after `user_parse` returns reads a dead frame:
the tests see `"###"` or another user's name, and under
AddressSanitizer, which the tests run with use-after-return detection
on (each frame gets a place of its own, poisoned when the function
returns, on the stacks of goroutines too), the first read is reported as
**stack-use-after-return** at the line that reads it: in `user_find`,
or in the test.

Do by hand what Go's escape analysis does: whatever a pointer that
outlives the call points to must live **outside the frame**: on the
heap (a `malloc` the struct's owner gives back: `user_free` must then
free it too), or in memory the caller owns. The header's contract
fixes the struct's shape, so here that means the heap. Every block must
still be freed exactly once: LeakSanitizer checks that too.

Fix `user_parse` (and `user_free`) so a user's name lives as long as the
user.
]],
  hints = {
    { test = "a_parsed_user_keeps_its_name", text = "u->name points into user_parse's own frame: the array name dies when user_parse returns, and the next call writes over it. The name must live where the user lives: on the heap." },
    { on = "sanitizer", text = "Read the report's first line. stack-use-after-return: something read a local of a function that had returned; the report says which frame it was in (user_parse) and the stack says who read it. detected memory leaks: a block you allocated in user_parse is never freed: user_free must free the name too. heap-buffer-overflow: the block is one byte short of the name and its NUL." },
    "Allocate the name: char *name = malloc(USER_NAME_MAX + 1) (or strndup of the folded bytes), fill it as before, store it in u->name; and in user_free, free((char *)u->name) before free(u).",
    "A static array is not the fix: it outlives the call, but it is one array for every user, so every user ends up with the last name parsed.",
  },
  check = function(c)
    local t = c:build{ harness = "user_test.c" }
    -- the pack's ASan pass runs every case, with use-after-return on
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=2" },
                     asan = { timeout = 10, env = { "GOMAXPROCS=2" } } })
  end,
}

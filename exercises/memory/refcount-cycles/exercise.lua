-- Reference counting cannot free a cycle: a child that owns its parent
-- keeps the tree alive forever (LeakSanitizer); the back pointer must not
-- own, and must not dangle (AddressSanitizer).
return {
  title = "Cycles never reach zero",
  track = "memory",
  difficulty = 3,
  files = { "tree.c" },
  headers = { "tree.h" },
  topics = { "reference counting", "cycles", "weak references", "memory leaks", "use after free" },
  after = { "word-split" },
  time = 20,
  learn = { "https://go.dev/doc/gc-guide",
            "https://doc.rust-lang.org/book/ch15-06-reference-cycles.html",
            "https://doc.rust-lang.org/std/rc/struct.Weak.html",
            "https://clang.llvm.org/docs/LeakSanitizer.html" },
  text = [[
# Cycles never reach zero

A tree whose nodes know their parent is a cycle: the parent points to
the child and the child back to the parent. In Go that costs nothing:

```go
type Node struct {
    Name     string
    Parent   *Node
    Children []*Node
}

root := &Node{Name: "usr"}
bin := &Node{Name: "bin", Parent: root}
root.Children = append(root.Children, bin)
root = nil // the whole tree is garbage now
```

Go's garbage collector *traces*: it starts from what the program can
still reach (globals, goroutine stacks) and frees everything it did not
reach. Nothing reaches `usr` or `bin` any more, so both go, cycle or
not.

**Reference counting** works differently. Each node counts the pointers
that own it, and is freed when the count falls to zero: that is C++'s
`shared_ptr`, Swift's ARC, Python's first line of defence, and Rust's
`Rc`. It needs no tracing, and it never looks at the graph as a whole.
So in a cycle every node is kept by the one before it: drop the last
outside reference to the root and its count is still one per child (the
children's back pointers), the children are still held by the root, and
no count ever reaches zero. The whole tree leaks. Rust's book calls
this "reference cycles can leak memory", and its answer is a `Weak`
back pointer: the parent owns its children (`Rc`), a child only refers
to its parent (`Weak`) and does not keep it alive.

`tree.c` counts both directions: `node_add_child` takes a reference to
the parent for the child's back pointer, and a node that is freed
drops the references it holds to its children and to its parent. Build
a tree, release the root, and nothing is freed: LeakSanitizer lists
every node at the end of the test.

Make the back pointer non-owning:

- `child->parent` is a plain pointer that no count includes: adding a
  child retains the child, never the parent, and freeing a node does not
  release its parent;
- a weak pointer must not dangle. A child can outlive its parent (the
  caller may hold it), so when a node is freed, its children must stop
  pointing at it: set their `parent` to `NULL` (Rust's `Weak::upgrade`
  returns `None` then), and only after that release them.

The tests build trees of up to 273 nodes, keep a child or a subtree
while the root goes, and run under AddressSanitizer and LeakSanitizer:
nothing may be left, and nothing may be read after it was freed.
]],
  hints = {
    { on = "sanitizer", text = "Read the report's first line. detected memory leaks: every node is still allocated when the test ends. Count the references to the root once the tree is built and yours is released: one per child, from the back pointers, and only the children would drop them, when they are freed, which never happens while the root holds them. heap-use-after-free: the 'freed by' stack is node_release, and something still pointed at that node afterwards: a child at its freed parent, or a parent at a freed child." },
    "Stop counting the back pointer: in node_add_child write child->parent = parent; (no node_retain), and in node_release stop releasing n->parent. The parent owns its children; a child only refers to its parent.",
    "A back pointer nobody counts can dangle: a child the caller still holds outlives its parent. In node_release, set each child's parent to NULL before releasing the child (after node_release the child may be freed already, so never after).",
    { on = "crash", text = "node_release calls itself without end: a freed node releases its parent, which is being freed already, which releases its children again... A back pointer that is not counted must not be released either." },
    { on = "test", text = "A child that outlives its parent still shows the parent in its path: either it still owns its parent (and keeps it alive), or its back pointer was left pointing at a freed node. The parent goes when its owners let go; its children's parent is NULL from then on." },
  },
  check = function(c)
    local t = c:build{ flavour = "asan", harness = "tree_test.c" }
    c:run_tests(t, { timeout = 10 })
  end,
}

-- Use after free: reading a node's next pointer after freeing it, caught by AddressSanitizer.
return {
  title = "Remove without a dangling read",
  track = "memory",
  difficulty = 1,
  topics = { "use after free", "linked lists", "free", "AddressSanitizer" },
  files = { "list.c" },
  text = [[
# Remove without a dangling read

`list_remove_all(&head, v)` in `list.c` unlinks and frees every node that
holds `v`. It looks right and it usually *prints* right: run it and the
list comes out as expected. But look at the loop's step,
`n = n->next`. When the body has just done `free(n)`, that step reads a
field of a block that no longer belongs to the program. That is a
**use after free**. The old bytes are often still there, so the bug hides,
until the allocator hands the block to someone else and the list jumps
into another object's memory.

Go has a garbage collector, so a Go program cannot do this; C programmers
catch it with AddressSanitizer. chanlab builds your file with
`-fsanitize=address` for this exercise: every freed block is poisoned and
the first read of it stops the program with a report that names the line.

Fix `list_remove_all` so that it never touches a node after freeing it.
The tests also check that the list is right afterwards.
]],
  hints = {
    { on = "use-after-free", text = "The report says heap-use-after-free and names the line that touched the freed node. A READ there is the loop's `n = n->next` after `free(n)`; a WRITE is a store through a pointer that still leads to a freed node, such as a `prev` that was the node just freed." },
    { on = "memory-leak", text = "LeakSanitizer shows where each leaked node was allocated: a node unlinked from the list must also be freed, or nothing points to it any more and it is lost." },
    "Take what you still need from a node before freeing it: `next = n->next;` at the top of the loop body, then `n = next` as the step.",
    "When you unlink the node, link prev (or *head) to that saved next, then free the node.",
  },
  check = function(c)
    local t = c:build{ flavour = "asan", harness = "list_test.c" }
    c:run_tests(t, { timeout = 10 })
  end,
}

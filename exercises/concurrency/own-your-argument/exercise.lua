-- Each goroutine its own argument: the loop-variable capture bug, in C.
return {
  title = "Each goroutine its own argument",
  track = "concurrency",
  difficulty = 1,
  files = { "spawn.c" },
  headers = { "spawn.h" },
  topics = { "goroutines", "loop variables", "data races", "lifetimes" },
  after = { "wait-for-all" },
  time = 10,
  learn = { "https://go.dev/blog/loopvar-preview", "https://go.dev/doc/faq#closures_and_goroutines" },
  text = [[
# Each goroutine its own argument

Before Go 1.22 this loop was the most common concurrency bug in Go code:

```go
for i := 0; i < n; i++ {
    go func() {
        handle(i) // every goroutine reads the same i
    }()
}
```

There was one variable `i` for the whole loop, and every closure
captured *that variable*, not its value at the time. The goroutines run
later, usually after the loop has moved on, so most of them see `n-1` or
`n`. The fix was to give each goroutine its own copy, `go func(i int)
{ ... }(i)`; Go 1.22 made every iteration a new variable, so the plain
loop is now right.

C has no closures, but the same bug is one `&` away. `go_spawn(fn, arg)`
passes a *pointer*, and `fn` reads through it whenever it happens to run:

```c
struct job job = { handle, &wg, 0 };
for (int i = 0; i < n; i++) {
    job.id = i;
    go_spawn(worker, &job);   /* every worker gets the same job */
}
```

With one thread (`GOMAXPROCS=1`) a new goroutine runs only when the
spawning one blocks, so every worker finds `job.id == n-1`. With several
threads some workers run early and the answer changes from run to run:
a data race between the loop writing `job.id` and a worker reading it.
Declaring the job inside the loop body does not help either: it is one
variable, reused by every iteration, and gone once the loop ends.

Whatever `arg` points to must be the goroutine's own and must live until
the goroutine is done with it: one job per worker, in memory that
outlives the loop (an array from `calloc`, freed after the wait).

The tests run with one thread, under AddressSanitizer and under
ThreadSanitizer with four threads.

Fix `start_workers` in `spawn.c` so that each worker gets its own job.
]],
  hints = {
    { on = "test", text = "Every worker handled the same id: they all read one shared `job`, and by the time they run the loop has set its id to n-1. Give each worker a job of its own." },
    "Allocate n jobs with calloc, fill jobs[i] with id i and pass &jobs[i] to go_spawn; free the array after go_waitgroup_wait, when no worker reads it any more.",
    { on = "use-after-free", text = "AddressSanitizer saw a worker read a job after its memory was gone (freed, or a loop variable out of scope). A goroutine's argument must live until that goroutine is done with it: free after the wait, and never pass the address of a variable that the loop reuses." },
    "A go_yield() or go_sleep after each go_spawn only makes the workers *usually* run in time: with more threads, or a busier machine, the loop still overwrites the id under a running worker.",
  },
  check = function(c)
    local t = c:build{ harness = "spawn_test.c" }
    -- the pack's ASan pass (one case) and TSan pass (two, four threads)
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=1" },
                     asan = { timeout = 10, only = { "eight_workers_each_handle_their_own_id" } },
                     tsan = { timeout = 20, env = { "GOMAXPROCS=4" },
                              only = { "eight_workers_each_handle_their_own_id",
                                       "a_thousand_workers_each_handle_their_own_id" } } })
  end,
}

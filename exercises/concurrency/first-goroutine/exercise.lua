-- A goroutine and an unbuffered channel: the smallest concurrent program.
return {
  title = "Your first goroutine",
  track = "concurrency",
  difficulty = 1,
  files = { "squares.c" },
  topics = { "goroutines", "unbuffered channels" },
  time = 10,
  learn = { "https://go.dev/tour/concurrency/1", "https://go.dev/tour/concurrency/2" },
  text = [[
# Your first goroutine

In Go you would write

```go
go worker(in, out)
for i := 1; i <= 10; i++ {
    in <- i
    fmt.Println(<-out)
}
```

chanlab's runtime gives C the same tools: `go_spawn(fn, arg)` starts a
goroutine, `go_chan_make(sizeof(int), 0)` makes an *unbuffered* channel,
`go_send(c, &v)` and `go_recv(c, &v)` pass values through it. On an
unbuffered channel a send waits until a receiver takes the value: the two
goroutines meet.

Finish `squares.c`: start `worker` as a goroutine, send it the numbers
1 to 10 one at a time, and print each square it sends back, one per line.
]],
  hints = {
    { on = "test", text = "go_spawn(worker, &p) starts the worker: nothing is printed yet because it never runs and the loop in go_main is empty. Start it once, then in each round send i and receive its square before you print it." },
    { on = "deadlock", text = "Every goroutine waits for another. Read the report: where does go_main wait, and where does the worker? A send on an unbuffered channel waits for a receiver, so the worker must be running, and each side must do its send and receive in the same order as the other expects (go_main sends first, the worker receives first)." },
    { on = "build", text = "The compiler names the file and line of the first error: fix that one first, the rest often follow from it." },
    "Start the worker before the first send, and only once: one worker answers all ten numbers.",
    "Each round trip is one go_send(p.in, &i) and one go_recv(p.out, &sq), in that order; print sq after the receive.",
  },
  check = function(c)
    local prog = c:build()
    local r = c:run(prog, { timeout = 5 })   -- after a failed build: a skipped result
    local want = {}
    for i = 1, 10 do want[#want + 1] = tostring(i * i) .. "\n" end
    want = table.concat(want)
    c:clean("runs to the end", r)
    c:same("prints the squares of 1 to 10, one per line", r.stdout, want,
           "expected the ten squares 1, 4, 9 ... 100, one per line")
  end,
}

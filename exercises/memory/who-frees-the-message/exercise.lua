-- Ownership through a channel: the pointer sent is the message handed
-- over, so the receiver frees it, once; caught by ASan, LSan and TSan.
return {
  title = "Ownership through a channel",
  track = "memory",
  difficulty = 2,
  files = { "queue.c" },
  headers = { "queue.h" },
  topics = { "ownership", "channels", "use after free", "memory leaks", "double free" },
  after = { "word-split" },
  time = 15,
  learn = { "https://go.dev/doc/effective_go#sharing",
            "https://go.dev/blog/codelab-share",
            "https://go.dev/wiki/MutexOrChannel",
            "https://clang.llvm.org/docs/AddressSanitizer.html" },
  sanitizers = { "asan", "tsan" },
  text = [[
# Ownership through a channel

A producer makes messages and a consumer handles them, with a channel
in between. In Go it reads:

```go
type Msg struct {
    Seq  int
    Text string
}

func produce(out chan<- *Msg, lines []string) {
    for i, l := range lines {
        out <- &Msg{Seq: i, Text: l}
    }
    close(out)
}

func consume(in <-chan *Msg) (n int) {
    for m := range in {
        deliver(m)
        n++
    }
    return n
}
```

Nobody frees anything: the garbage collector frees each `Msg` when no
goroutine points to it any more. What Go does ask of you is a habit:
once you have sent a pointer, **the message is the receiver's**, and the
sender does not touch it again. That is what the Go proverb means:
*"Do not communicate by sharing memory; share memory by communicating."*
Only one goroutine holds the message at a time, and the channel is how
it passes from one to the next. Effective Go puts it: "only one goroutine
has access to the value at any given time."

In C, holding a message also means owing its `free`. So ownership has to
pass with the pointer. The producer cannot know when the consumer is
done with a message: the send may return while the consumer is reading
it, or long before the consumer even receives it (a buffered channel
holds it in between). Only the owner at the end, the consumer, knows
when the last use is over.

In C the channel carries `struct msg *`: `go_send(out, &m)` copies the
pointer, never the message, so after the send both goroutines point at
the same block. `produce` in `queue.c` frees each message right after
`go_send` ("sent, so done with it"), and the consumer reads the block
after that: a **use after free**, which AddressSanitizer reports at the
consumer's line. The consumer frees nothing either, so deleting the
producer's free alone would leak every message. The rules:

- the producer never touches a message after sending it;
- the consumer frees each message it receives, after its last use;
- every message is freed **exactly once**, struct and text (`msg_free`):
  a message nobody frees is a leak (LeakSanitizer), one freed twice is a
  double free.

The tests relay up to 2000 messages on two threads, over unbuffered and
buffered channels, with three consumers sharing one channel, and with a
producer that finishes before the consumer starts. They run under
AddressSanitizer (with LeakSanitizer) and, two of them, under
ThreadSanitizer.

Fix `produce` and `consume` so that each message has one owner at a
time and is freed once, by the goroutine that received it.
]],
  hints = {
    { on = "sanitizer", text = "Read the report's first line. heap-use-after-free: its stacks say where the message was read (consume, at deliver), where it was freed (produce, right after go_send) and where it was made (msg_new): the producer freed a message it had given away. detected memory leaks: the stack is where a message nobody freed was made. attempting double-free: two goroutines each freed the same message. data race (ThreadSanitizer): the producer still touched a message after sending it." },
    "After go_send(out, &m) the message belongs to whoever receives it. Delete the free in produce, and free in consume instead: msg_free(m) right after deliver(m).",
    "Free the whole message, once: msg_free gives back the text and the struct. free(m) alone leaks the text (LeakSanitizer then names the strdup in msg_new), and a message freed by the producer too is freed twice.",
    "Freeing is the last use. Whatever reads the message, deliver included, comes before msg_free; and a copy of the struct is no help: its text still points into the message.",
  },
  check = function(c)
    local t = c:build{ flavour = "asan", harness = "queue_test.c" }
    -- the pack's TSan pass runs two of the cases too, on two threads
    c:run_tests(t, { timeout = 10, env = { "GOMAXPROCS=2" },
                     tsan = { timeout = 20, env = { "GOMAXPROCS=2" },
                              only = { "two_hundred_messages_unbuffered",
                                       "three_consumers_share_one_channel" } } })
  end,
}

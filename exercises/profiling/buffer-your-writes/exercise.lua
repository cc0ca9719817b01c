-- Buffered output: one write(2) per full buffer, not per byte; the bytes
-- identical, nothing lost at close; write calls counted per operation.
return {
  title = "One write per buffer, not per byte",
  track = "profiling",
  difficulty = 2,
  files = { "logw.c" },
  headers = { "logw.h", "sink.h" },
  topics = { "system calls", "buffering", "bufio", "write(2)", "benchmarks" },
  after = { "check-websites" },
  time = 15,
  learn = { "https://pkg.go.dev/bufio#Writer",
            "https://github.com/ardanlabs/gotraining/tree/master/topics/go/profiling",
            "https://man7.org/linux/man-pages/man2/write.2.html" },
  text = [[
# One write per buffer, not per byte

A logger escapes each message and writes it out as one quoted line. In
Go, the first version writes straight to the file:

```go
func (l *Logger) Line(msg string) error {
    l.f.Write([]byte{'"'})
    for i := 0; i < len(msg); i++ {
        l.writeEscaped(msg[i])   // l.f.Write of one or a few bytes
    }
    _, err := l.f.Write([]byte("\"\n"))
    return err
}
```

The output is right. But an `*os.File`'s `Write` is a system call, and a
system call costs far more than the byte it carries: the switch into the
kernel and back, the file's lock, the bookkeeping. Ten thousand one-byte
writes pay that cost ten thousand times; one ten-thousand-byte write
pays it once. A CPU profile of such a program is mostly `syscall.Write`
("excessive small reads and writes", the profiling guides call it), and
`strace -c` counts the calls. Press **`P`** to profile a check of yours:
nearly all the CPU is under `write`, most of it in the kernel's side of
the call (shown as `libc.so.6`).

The cure is a buffer in front of the file. `bufio.Writer` keeps the
bytes in memory (4096 by default) and makes one `Write` when the buffer
is full; `Flush` writes out the rest, and a program that forgets to call
it loses the end of its output:

```go
l := &Logger{w: bufio.NewWriter(f)}  // 4096 bytes of buffer
l.w.WriteByte('"')                   // a copy into memory, no system call

func (l *Logger) Close() error {
    return l.w.Flush()               // or the last bytes never reach f
}
```

Not even one write per line: a line is a few dozen bytes, the buffer
holds a hundred lines, and each write(2) should carry a full buffer.

In C, `sink.h` is the file (an `io.Writer`): `sink_write(out, buf, n)`
makes one write(2). `logw.c` calls it for every byte, from `put`. Give
`struct logw` a buffer of `LOGW_BUFSIZE` (4096) bytes:

- `put` copies the byte into the buffer, and writes the buffer out
  first when it is full;
- `logw_flush` writes out what the buffer holds (nothing to write: no
  call at all), and `logw_close` flushes before it frees;
- a failed write makes the writer fail from then on, as now.

The tests read the file back (byte for byte the log, lines longer than
the buffer included; nothing lost at close; at most `LOGW_BUFSIZE` bytes
held back at any moment) and count your write(2) calls: the 1000 lines of
the benchmark's operation, about 42 KB, may take at most 21 (one per
2 KiB; the reference makes 11). The check runs them under AddressSanitizer too. Then the
benchmark `log_1000` compares your **CPU time** with the reference's:
you pass within **1.5×**.
]],
  hints = {
    { test = "log_1000_makes_one_write_per_full_buffer", text = "The profile (P) is nearly all under write. Look at the count: about one write(2) per byte of the log. put calls sink_write for every byte; make it copy the byte into a buffer in struct logw instead, and call sink_write only when the buffer is full." },
    "Add char *buf (malloc LOGW_BUFSIZE in logw_new, free it in logw_close) and size_t len to struct logw. put: if len == LOGW_BUFSIZE, flush first; then buf[len++] = c. logw_flush: if len > 0, one sink_write(w->out, w->buf, w->len), then len = 0.",
    { on = "test", text = "Bytes missing from the end of the file: the buffer still held them when the writer was freed. logw_close must flush before it frees, and logw_flush must write out what is held." },
    { on = "overflow", text = "AddressSanitizer saw a byte written just past the buffer: the check that the buffer is full must come before the byte is stored, with len == LOGW_BUFSIZE (not >) as full." },
    "Write a full buffer, not each line: a flush at the end of every logw_line is one write(2) per line, and a line is a few dozen bytes. And do not keep everything until close: the writer may hold at most LOGW_BUFSIZE bytes.",
  },
  check = function(c)
    local t = c:build{ harness = "logw_test.c" }
    -- the pack's ASan pass runs too
    local res = c:run_tests(t, { timeout = 10, asan = { timeout = 30 } })
    if res.failed > 0 then
      c:skip("benchmark log_1000", "not run: fix the failing tests first")
      return
    end
    local ref = c:build{ harness = "logw_test.c", solution = true }
    c:bench(t, ref, "log_1000", { budget = 1.5 })
  end,
}

/* sink.h: where the log goes (the tests' file, opened by the instructor's
 * harness): the C stand-in for an io.Writer over an *os.File. */
#ifndef SINK_H
#define SINK_H

#include <stddef.h>

struct sink;

/* Writes the n bytes at buf to the sink's file with write(2): one system
 * call per call (another only when the kernel takes fewer bytes). Returns
 * 0, or -1 when the write failed (errno says why). Blocks while the
 * kernel copies the bytes; safe from one goroutine at a time. */
int sink_write(struct sink *s, const void *buf, size_t n);

#endif

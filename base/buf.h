/*
 * buf — a growable NUL-terminated byte string (after git's strbuf).
 *
 * An embedded object: buf_init/buf_release. On allocation failure the
 * buffer sets oom and stops growing; callers check it once at the end.
 */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *s;      /* always NUL-terminated once anything was added; NULL before */
	size_t len, cap;
	bool oom;
};

#define BUF_INIT { NULL, 0, 0, false }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included. */
void buf_json_str(struct buf *b, const char *s);
/* Hands the string to the caller ("" if empty) and reinitialises b. */
char *buf_detach(struct buf *b);

#endif

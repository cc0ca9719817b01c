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
/* The same for the n bytes at s, which may hold NULs (escaped as \u0000)
 * and bytes that are not UTF-8 (each becomes U+FFFD, as JSON must be UTF-8). */
void buf_json_strn(struct buf *b, const char *s, size_t n);
/* Appends the n bytes at s so that a terminal shows them and obeys none:
 * UTF-8 text, newlines and tabs as they are; every other control character
 * (C0, DEL, C1 such as CSI), NULs and bytes that are not UTF-8 as Go's %q
 * spells them (\x1b, \x00, \r, ...). Learner output passes through this
 * before it reaches a screen. */
void buf_add_shown(struct buf *b, const char *s, size_t n);
/* Hands the string to the caller ("" if empty) and reinitialises b. */
char *buf_detach(struct buf *b);

#endif

/* buf — growable strings; see buf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void buf_init(struct buf *b)
{
	*b = (struct buf)BUF_INIT;
}

void buf_release(struct buf *b)
{
	free(b->s);
	buf_init(b);
}

static bool grow(struct buf *b, size_t extra)
{
	size_t cap = b->cap ? b->cap : 64;
	char *p;

	if (b->oom)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	while (cap < b->len + extra + 1)
		cap *= 2;
	p = realloc(b->s, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->s = p;
	b->cap = cap;
	return true;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	if (!grow(b, n))
		return;
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0 if
 * p does not start one: no overlong forms, no surrogates, nothing past
 * U+10FFFF. The code point goes to *cp. */
static size_t utf8_len(const unsigned char *p, size_t n, unsigned *cp)
{
	size_t len;
	unsigned c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, c = p[0] & 0x1fu, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, c = p[0] & 0x0fu, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, c = p[0] & 0x07u, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

void buf_json_strn(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	buf_add(b, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_len(p + i, n - i, &cp);

		if (len == 0) {
			buf_puts(b, "\\ufffd");
			i++;
			continue;
		}
		switch (cp) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default:
			if (cp < 0x20) {
				char u[6] = { '\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15] };
				buf_add(b, u, sizeof(u));
			} else {
				buf_add(b, p + i, len);
			}
		}
		i += len;
	}
	buf_add(b, "\"", 1);
}

void buf_json_str(struct buf *b, const char *s)
{
	buf_json_strn(b, s, strlen(s));
}

void buf_add_shown(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_len(p + i, n - i, &cp);

		if (len > 0 && (cp == '\n' || cp == '\t' || (cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp > 0x9f)))) {
			buf_add(b, p + i, len);
			i += len;
			continue;
		}
		if (len == 1 && cp == '\r') {
			buf_puts(b, "\\r");
		} else {
			/* a control character, C1 (2 bytes) or a stray byte: each byte as \xNN */
			size_t k = len ? len : 1;

			for (size_t j = 0; j < k; j++) {
				char x[4] = { '\\', 'x', hex[p[i + j] >> 4], hex[p[i + j] & 15] };
				buf_add(b, x, sizeof(x));
			}
			i += k;
			continue;
		}
		i += len;
	}
}

char *buf_detach(struct buf *b)
{
	char *s = b->s;

	if (!s)
		s = calloc(1, 1);
	buf_init(b);
	return s;
}

/* Wrong: "the fewest writes" taken literally: the buffer grows with
 * realloc and the whole log goes out in one write at close. The writer
 * holds the whole log in memory, and nothing reaches the file until the
 * end. */
#include <stdlib.h>

#include "logw.h"

struct logw {
	struct sink *out;
	int err;                /* 0, or -1 once a write failed: sticky */
	size_t len;             /* bytes held in buf */
	size_t cap;             /* bytes allocated */
	char *buf;
};

struct logw *logw_new(struct sink *out)
{
	struct logw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->cap = LOGW_BUFSIZE;
	w->buf = malloc(w->cap);
	if (!w->buf) {
		free(w);
		return NULL;
	}
	w->out = out;
	return w;
}

/* Puts one byte of the log. */
static void put(struct logw *w, char c)
{
	if (w->err)
		return;
	if (w->len == w->cap) {
		char *grown = realloc(w->buf, 2 * w->cap); /* wrong: test anywhere */

		if (!grown) {
			w->err = -1;
			return;
		}
		w->buf = grown;
		w->cap *= 2;
	}
	w->buf[w->len++] = c;
}

static void put_escaped(struct logw *w, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '\\': put(w, '\\'); put(w, '\\'); return;
	case '"': put(w, '\\'); put(w, '"'); return;
	case '\n': put(w, '\\'); put(w, 'n'); return;
	case '\t': put(w, '\\'); put(w, 't'); return;
	case '\r': put(w, '\\'); put(w, 'r'); return;
	}
	if (c < 0x20 || c == 0x7f) {
		put(w, '\\');
		put(w, 'x');
		put(w, hex[c >> 4]);
		put(w, hex[c & 0xf]);
		return;
	}
	put(w, (char)c);
}

int logw_line(struct logw *w, const char *msg)
{
	put(w, '"');
	for (const char *p = msg; *p; p++)
		put_escaped(w, (unsigned char)*p);
	put(w, '"');
	put(w, '\n');
	return w->err;
}

int logw_flush(struct logw *w)
{
	if (w->err || w->len == 0)
		return w->err;
	if (sink_write(w->out, w->buf, w->len) < 0)
		w->err = -1;
	w->len = 0;
	return w->err;
}

int logw_close(struct logw *w)
{
	int err;

	if (!w)
		return 0;
	err = logw_flush(w);
	free(w->buf);
	free(w);
	return err;
}

/* Wrong: a buffer, but flushed at the end of every logw_line, "so a
 * line is never split": one write(2) per line, a few dozen bytes each. */
#include <stdlib.h>

#include "logw.h"

struct logw {
	struct sink *out;
	int err;                /* 0, or -1 once a write failed: sticky */
	size_t len;             /* bytes held in buf */
	char *buf;              /* LOGW_BUFSIZE bytes */
};

struct logw *logw_new(struct sink *out)
{
	struct logw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->buf = malloc(LOGW_BUFSIZE);
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
	if (w->len == LOGW_BUFSIZE && logw_flush(w) < 0)
		return;
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
	return logw_flush(w); /* wrong: test anywhere */
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

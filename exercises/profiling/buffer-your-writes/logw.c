/* A log writer: see the exercise text (chanlab shows it). */
#include <stdlib.h>

#include "logw.h"

struct logw {
	struct sink *out;
	int err;                /* 0, or -1 once a write failed: sticky */
};

struct logw *logw_new(struct sink *out)
{
	struct logw *w = calloc(1, sizeof(*w));

	if (w)
		w->out = out;
	return w;
}

/* Puts one byte of the log. */
static void put(struct logw *w, char c)
{
	if (w->err)
		return;
	/* TODO: one write(2) per byte. Keep the bytes in a buffer of
	 * LOGW_BUFSIZE and write it out when it is full, on logw_flush and
	 * on logw_close. */
	if (sink_write(w->out, &c, 1) < 0)
		w->err = -1;
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
	return w->err;          /* nothing is held back yet */
}

int logw_close(struct logw *w)
{
	int err;

	if (!w)
		return 0;
	err = logw_flush(w);
	free(w);
	return err;
}

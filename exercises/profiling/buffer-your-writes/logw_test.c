/* logw_test.c: instructor tests for buffer-your-writes, one process per
 * case.
 *
 * The sink is here, not in a file of its own: it writes to a temporary
 * file (or /dev/null, for the benchmark) and counts its write(2) calls and
 * bytes, where the learner's code cannot reach the counts. The expected
 * log comes from this file's own escaper, and the file is read back. */
#include <chanlab_test.h>
#include <errno.h>
#include <fcntl.h>

#include "logw.h"

struct sink {
	int fd;
	long writes;            /* write(2) calls */
	size_t bytes;           /* bytes written */
};

int sink_write(struct sink *s, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t got = write(s->fd, p, n);

		s->writes++;
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		p += got;
		n -= (size_t)got;
		s->bytes += (size_t)got;
	}
	return 0;
}

static struct sink the_sink;

/* A sink on a new empty temporary file. */
static struct sink *sink_open(void)
{
	const char *dir = getenv("TMPDIR");
	char path[512];

	snprintf(path, sizeof(path), "%s/logXXXXXX", dir && *dir ? dir : "/tmp");
	the_sink = (struct sink){ mkstemp(path), 0, 0 };
	if (the_sink.fd < 0)
		return NULL;
	unlink(path);
	return &the_sink;
}

/* What the sink's file holds, NUL-terminated, in a buffer to free; its
 * length in *len. */
static char *sink_contents(struct sink *s, size_t *len)
{
	off_t end = lseek(s->fd, 0, SEEK_END);
	char *buf = malloc((size_t)end + 1);
	size_t got = 0;

	if (!buf)
		return NULL;
	while (got < (size_t)end) {
		ssize_t r = pread(s->fd, buf + got, (size_t)end - got, (off_t)got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = 0;
	*len = got;
	return buf;
}

/* The log the tests expect, built in memory. */
struct text {
	char *s;
	size_t len, cap;
};

static void text_put(struct text *t, char c)
{
	if (t->len + 2 > t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4096;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			abort();
	}
	t->s[t->len++] = c;
	t->s[t->len] = 0;
}

static void expect_line(struct text *t, const char *msg)
{
	static const char hex[] = "0123456789abcdef";

	text_put(t, '"');
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		const char *esc = NULL;

		switch (*p) {
		case '\\': esc = "\\\\"; break;
		case '"': esc = "\\\""; break;
		case '\n': esc = "\\n"; break;
		case '\t': esc = "\\t"; break;
		case '\r': esc = "\\r"; break;
		}
		if (esc) {
			text_put(t, esc[0]);
			text_put(t, esc[1]);
		} else if (*p < 0x20 || *p == 0x7f) {
			text_put(t, '\\');
			text_put(t, 'x');
			text_put(t, hex[*p >> 4]);
			text_put(t, hex[*p & 0xf]);
		} else {
			text_put(t, (char)*p);
		}
	}
	text_put(t, '"');
	text_put(t, '\n');
}

/* Message i of a log drawn from seed: short lines of words, with quotes,
 * backslashes, control characters and bytes over 0x7f; with long, now and
 * then a line longer than the buffer. In msg (room for 12000 bytes; 80
 * without long). */
static void make_msg(char *msg, unsigned seed, int i, bool long_lines)
{
	static const char odd[] = "\"\\\n\t\r\x01\x1b\x7f\xc3\xa9";
	unsigned x = seed * 2654435761u + (unsigned)i * 40503u + 1;
	size_t len;

	x ^= x >> 13;
	x *= 0x5bd1e995u;
	x ^= x >> 15;
	len = long_lines && i % 97 == 13 ? 4000 + x % 8000 : x % 70;
	for (size_t k = 0; k < len; k++) {
		x = x * 1103515245u + 12345u;
		msg[k] = (x >> 16) % 11 == 0 ? odd[(x >> 8) % (sizeof(odd) - 1)] : (char)('a' + (x >> 12) % 26);
	}
	msg[len] = 0;
}

/* Expects the sink's file to hold exactly want. */
static void expect_file(struct sink *s, const struct text *want, const char *when)
{
	size_t len = 0, at = 0;
	char *got = sink_contents(s, &len);

	CL_ASSERT(got);
	while (at < len && at < want->len && got[at] == want->s[at])
		at++;
	CL_EXPECT_MSG(len == want->len && at == len,
		      "%s the file holds %zu bytes; the log is %zu bytes%s (they differ from byte %zu on)", when,
		      len, want->len, len < want->len ? ": some of the log never reached it" : "", at);
	free(got);
}

CL_TEST(an_empty_log_writes_nothing) {
	struct sink *s = sink_open();
	struct logw *w;

	CL_ASSERT(s);
	w = logw_new(s);
	CL_ASSERT_MSG(w, "logw_new returned NULL");
	CL_EXPECT_MSG(logw_close(w) == 0, "logw_close failed");
	CL_EXPECT_MSG(s->writes == 0, "closing a log writer that holds nothing made %ld write(2) calls: it needs none",
		      s->writes);
}

CL_TEST(a_short_log_is_all_there_after_close) {
	const char *lines[] = { "starting", "listening on \"localhost:8080\"", "a\tb\\c" };
	struct text want = { 0 };
	struct sink *s = sink_open();
	struct logw *w;

	CL_ASSERT(s);
	w = logw_new(s);
	CL_ASSERT_MSG(w, "logw_new returned NULL");
	for (int i = 0; i < 3; i++) {
		CL_EXPECT(logw_line(w, lines[i]) == 0);
		expect_line(&want, lines[i]);
	}
	CL_EXPECT_MSG(logw_close(w) == 0, "logw_close failed");
	expect_file(s, &want, "after logw_close,");
	free(want.s);
}

CL_TEST(the_file_holds_exactly_the_bytes_logged) {
	static char msg[12000];
	struct text want = { 0 };
	struct sink *s = sink_open();
	struct logw *w;

	CL_ASSERT(s);
	w = logw_new(s);
	CL_ASSERT_MSG(w, "logw_new returned NULL");
	for (int i = 0; i < 3000; i++) {
		make_msg(msg, 7, i, true);
		logw_line(w, msg);
		expect_line(&want, msg);
	}
	CL_EXPECT_MSG(logw_close(w) == 0, "logw_close failed");
	expect_file(s, &want, "after 3000 lines (some longer than the buffer) and logw_close,");
	free(want.s);
}

CL_TEST(flush_writes_out_what_is_held) {
	struct text want = { 0 };
	struct sink *s = sink_open();
	struct logw *w;

	CL_ASSERT(s);
	w = logw_new(s);
	CL_ASSERT_MSG(w, "logw_new returned NULL");
	logw_line(w, "request 1 done");
	expect_line(&want, "request 1 done");
	CL_EXPECT_MSG(logw_flush(w) == 0, "logw_flush failed");
	expect_file(s, &want, "after logw_flush,");
	logw_line(w, "request 2 done");
	expect_line(&want, "request 2 done");
	CL_EXPECT_MSG(logw_close(w) == 0, "logw_close failed");
	expect_file(s, &want, "after logw_close,");
	free(want.s);
}

CL_TEST(the_writer_never_holds_more_than_4_kib) {
	static char msg[12000];
	struct text want = { 0 };
	struct sink *s = sink_open();
	struct logw *w;
	size_t most = 0;

	CL_ASSERT(s);
	w = logw_new(s);
	CL_ASSERT_MSG(w, "logw_new returned NULL");
	for (int i = 0; i < 1000; i++) {
		make_msg(msg, 11, i, true);
		logw_line(w, msg);
		expect_line(&want, msg);
		if (want.len - s->bytes > most)
			most = want.len - s->bytes;
	}
	CL_EXPECT_MSG(most <= LOGW_BUFSIZE,
		      "the writer held up to %zu bytes it had not written: at most LOGW_BUFSIZE (%d); write the buffer out when it is full",
		      most, LOGW_BUFSIZE);
	CL_EXPECT_MSG(logw_close(w) == 0, "logw_close failed");
	expect_file(s, &want, "after logw_close,");
	free(want.s);
}

/* The benchmark's operation, measured once: 1000 short lines. */
CL_TEST(log_1000_makes_one_write_per_full_buffer) {
	static char msg[12000];
	struct sink *s = sink_open();
	struct logw *w;
	size_t bytes = 0;
	long most;

	CL_ASSERT(s);
	w = logw_new(s);
	CL_ASSERT_MSG(w, "logw_new returned NULL");
	for (int i = 0; i < 1000; i++) {
		make_msg(msg, 3, i, false);
		logw_line(w, msg);
	}
	CL_EXPECT_MSG(logw_close(w) == 0, "logw_close failed");
	bytes = s->bytes;
	most = (long)(bytes / (LOGW_BUFSIZE / 2)) + 1;
	CL_EXPECT_MSG(s->writes <= most,
		      "1000 lines (%zu bytes) took %ld write(2) calls, %.1f bytes each: a full buffer holds %d, so %ld writes are enough",
		      bytes, s->writes, s->writes ? (double)bytes / (double)s->writes : 0.0, LOGW_BUFSIZE,
		      (long)((bytes + LOGW_BUFSIZE - 1) / LOGW_BUFSIZE));
	if (s->writes <= most)
		CL_LOG("1000 lines, %zu bytes: %ld write(2) calls (the most allowed: %ld)", bytes, s->writes, most);
}

CL_TEST(a_failed_write_makes_close_fail) {
	struct sink bad = { -1, 0, 0 };
	struct logw *w = logw_new(&bad);

	CL_ASSERT_MSG(w, "logw_new returned NULL");
	for (int i = 0; i < 10; i++)
		logw_line(w, "nobody reads this");
	CL_EXPECT_MSG(logw_close(w) == -1, "the writes to a closed file failed, and logw_close returned 0: return -1");
}

/* One op: 1000 short log lines, to /dev/null. */
CL_BENCH(log_1000) {
	static char msgs[1000][80];
	struct sink s = { open("/dev/null", O_WRONLY), 0, 0 };

	if (s.fd < 0)
		s = *sink_open();
	for (int i = 0; i < 1000; i++)
		make_msg(msgs[i], 3, i, false);
	cl_reset_timer(b);
	for (long k = 0; k < b->n; k++) {
		struct logw *w = logw_new(&s);

		for (int i = 0; i < 1000; i++)
			logw_line(w, msgs[i]);
		logw_close(w);
	}
}

/* base/buf and base/err: strings, escaping for JSON and for the screen,
 * and the last-error slot. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "tests/tap.h"

int main(void)
{
	struct buf b = BUF_INIT;
	char *s;

	plan(14);
	buf_puts(&b, "one");
	buf_printf(&b, " %d %s", 2, "three");
	is_str(b.s, "one 2 three", "puts and printf append");
	buf_release(&b);

	buf_json_str(&b, "a\"b\\c\n\x01");
	is_str(b.s, "\"a\\\"b\\\\c\\n\\u0001\"", "JSON strings escape quotes, backslashes and controls");
	buf_release(&b);

	buf_json_strn(&b, "a\0b\xff\xc3\xa9", 6);
	is_str(b.s, "\"a\\u0000b\\ufffd\xc3\xa9\"", "JSON keeps NULs, and bytes that are not UTF-8 become U+FFFD");
	buf_release(&b);
	buf_json_strn(&b, "\xc0\xaf\xed\xa0\x80", 5);
	is_str(b.s, "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"", "overlong forms and surrogates are not UTF-8");
	buf_release(&b);

	buf_add_shown(&b, "ok\t\xc3\xa9\n", 6);
	is_str(b.s, "ok\t\xc3\xa9\n", "text, tabs and newlines reach the screen as they are");
	buf_release(&b);
	buf_add_shown(&b, "\x1b]0;pwned\x07\x1b[?1049h", 18);
	is_str(b.s, "\\x1b]0;pwned\\x07\\x1b[?1049h", "escape sequences cannot reach the terminal");
	buf_release(&b);
	buf_add_shown(&b, "a\0b\r\x7f\xc2\x9b\xff", 8);
	is_str(b.s, "a\\x00b\\r\\x7f\\xc2\\x9b\\xff", "NUL, CR, DEL, C1 CSI and stray bytes are spelt out");
	ok(strlen(b.s) == b.len, "and the result holds no NUL");
	buf_release(&b);

	for (int i = 0; i < 10000; i++)
		buf_add(&b, "x", 1);
	is_int(b.len, 10000, "the buffer grows");
	ok(!b.oom && b.s[10000] == '\0', "and stays NUL-terminated");
	s = buf_detach(&b);
	ok(s && strlen(s) == 10000 && b.s == NULL, "detach hands the string over");
	free(s);
	s = buf_detach(&b);
	is_str(s, "", "detaching an empty buffer gives \"\"");
	free(s);

	is_int(err_set("cannot open '%s'", "x.db"), -1, "err_set returns -1");
	errno = ENOENT;
	err_sys("cannot read '%s'", "pack.lua");
	is_str(err_msg(), "cannot read 'pack.lua': No such file or directory", "err_sys appends strerror");
	return done();
}

/* checker/buf and checker/err: strings and the last-error slot. */
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

	plan(8);
	buf_puts(&b, "one");
	buf_printf(&b, " %d %s", 2, "three");
	is_str(b.s, "one 2 three", "puts and printf append");
	buf_release(&b);

	buf_json_str(&b, "a\"b\\c\n\x01");
	is_str(b.s, "\"a\\\"b\\\\c\\n\\u0001\"", "JSON strings escape quotes, backslashes and controls");
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

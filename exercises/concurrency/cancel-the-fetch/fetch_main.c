/* fetch_main.c: one fetch of each ending (the record, a cancel, a timeout,
 * the caller's deadline) in a plain program, so that the runtime's exit
 * report (lostcancel) lists every context fetch made and never freed. */
#include <stdio.h>

#include <go.h>

#include "fetch.h"
#include "spy.h"

static void cancel_later(void *arg)
{
	go_sleep(20 * GO_MILLISECOND);
	go_ctx_cancel(arg);
}

int go_main(int argc, char **argv)
{
	static const char record[] = "twenty pieces of data";
	char buf[64];
	int rc[4];
	go_ctx *ctx;

	(void)argc;
	(void)argv;
	for (int i = 0; i < 4; i++) {
		struct store *s = spy_new(record, 5 * GO_MILLISECOND);

		ctx = i == 3 ? go_ctx_with_timeout(go_ctx_background(), 20 * GO_MILLISECOND)
			     : go_ctx_with_cancel(go_ctx_background());
		if (i == 1)
			go_spawn(cancel_later, ctx);
		rc[i] = fetch(ctx, s, i == 2 ? 20 * GO_MILLISECOND : 10 * GO_SECOND, buf, sizeof buf);
		if (i == 1)
			go_sleep(40 * GO_MILLISECOND);  /* cancel_later is done with ctx */
		go_ctx_free(ctx);
		spy_free(s);
	}
	printf("fetch returned %d, %d, %d, %d\n", rc[0], rc[1], rc[2], rc[3]);
	return 0;
}

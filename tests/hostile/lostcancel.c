/* A context never cancelled: the runtime's lostcancel line at exit must
 * be a report at line 10, where the context was made. */
#include <go.h>

int go_main(int argc, char **argv)
{
	go_ctx *ctx;
	(void)argc, (void)argv;

	ctx = go_ctx_with_timeout(go_ctx_background(), GO_SECOND);
	return go_ctx_err(ctx) != 0;
}

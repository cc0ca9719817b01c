/* A pin never undone (an early return): the goroutine then blocks, which
 * the runtime stops at line 9, the pin, with an explanation. */
#include <go.h>

static int *slot_of(int *slots, int fast)
{
	int p;

	p = go_proc_pin();
	if (fast)
		return &slots[p];   /* no go_proc_unpin */
	go_proc_unpin();
	return &slots[0];
}

int go_main(int argc, char **argv)
{
	int slots[64] = { 0 };

	(void)argc, (void)argv;
	*slot_of(slots, 1) += 1;
	go_sleep(GO_MILLISECOND);
	return 0;
}

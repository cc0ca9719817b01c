/* cmd_author — commands for exercise authors (verify, new). */
#include "tui/cmd.h"

const struct cmd cmd_author[] = {
	{ .name = NULL },
};

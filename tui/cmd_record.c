/* cmd_record — commands over the learner's record (progress, history, ...). */
#include "tui/cmd.h"

const struct cmd cmd_record[] = {
	{ .name = NULL },
};

/* cmd — helpers shared by the command tables; see cmd.h. */
#include <langinfo.h>
#include <string.h>

#include "tui/cmd.h"

bool cmd_flag(const struct cmd_args *a, const char *flag, const char **value)
{
	for (int i = 0; a->flags[i]; i++)
		if (strcmp(a->flags[i], flag) == 0) {
			if (value)
				*value = a->values[i];
			return true;
		}
	return false;
}

bool cmd_utf8(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

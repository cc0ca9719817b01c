/* work — creating the learner's folders from the starter; see work.h. */
#include <unistd.h>

#include "base/fs.h"
#include "data/work.h"

int work_prepare(const char *dir, const char *starter_dir, char *const *files)
{
	if (fs_mkdirs(dir) < 0)
		return -1;
	for (size_t i = 0; files[i]; i++) {
		char from[4096], to[4096];

		if (fs_join(to, sizeof(to), dir, files[i]) < 0)
			return -1;
		if (access(to, F_OK) == 0)
			continue;
		if (fs_join(from, sizeof(from), starter_dir, files[i]) < 0 || fs_copy_new(from, to) < 0)
			return -1;
	}
	return 0;
}

/*
 * dbnote — how chanlab left progress.db; see dbnote.h.
 *
 * Data model: the note is one line, "chanlab DEV INO SIZE MTIME", in
 * progress.db-checked beside the database, replaced whole (written to a
 * temporary file and renamed). A missing or different note only costs a
 * check. Nothing here sets an error: a note is a hint, never a failure.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/dbnote.h"

/* The note of path's file as it is now, in out ("" if there is none). */
static void file_note(const char *path, char *out, size_t size)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		*out = '\0';
		return;
	}
	snprintf(out, size, "chanlab %llu %llu %lld %lld.%09ld\n", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		 st.st_mtim.tv_nsec);
}

static void note_path(const char *db, char *out, size_t size)
{
	snprintf(out, size, "%s-checked", db);
}

bool dbnote_same(const char *db)
{
	char path[4200], now[128], noted[128] = "";
	ssize_t n = -1;
	int fd;

	note_path(db, path, sizeof(path));
	file_note(db, now, sizeof(now));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, noted, sizeof(noted) - 1);
		close(fd);
	}
	noted[n > 0 ? n : 0] = '\0';
	return *now && strcmp(now, noted) == 0;
}

void dbnote_write(const char *db)
{
	char path[4200], tmp[4300], now[128];
	int fd;

	note_path(db, path, sizeof(path));
	file_note(db, now, sizeof(now));
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	if (!*now || (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return;
	if (write(fd, now, strlen(now)) == (ssize_t)strlen(now) && close(fd) == 0) {
		if (rename(tmp, path) < 0)
			unlink(tmp);
		return;
	}
	close(fd);
	unlink(tmp);
}

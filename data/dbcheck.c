/*
 * dbcheck — is progress.db sound; see dbcheck.h.
 *
 * Data model: the note is one line, "chanlab DEV INO SIZE MTIME", in
 * progress.db-checked beside the database, replaced whole (written to a
 * temporary file and renamed). A missing or different note only costs a
 * check.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"
#include "data/dbcheck.h"

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

bool dbcheck_as_noted(const char *db)
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

void dbcheck_note(const char *db)
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

int dbcheck_quick(sqlite3 *db, const char *path)
{
	struct buf found = BUF_INIT;
	sqlite3_stmt *st;
	int rc, rows = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check(5)", -1, &st, NULL) != SQLITE_OK)
		return 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 0);

		if (!text || strcmp(text, "ok") == 0)
			continue;
		/* "*** in database main ***\nPage 10: btreeInitPage() returns error code 11" */
		for (const char *line = text; *line; ) {
			size_t len = strcspn(line, "\n");

			if (strncmp(line, "***", 3) != 0)
				buf_printf(&found, "%s%.*s", rows++ ? "; " : "", (int)len, line);
			line += len + (line[len] == '\n');
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		buf_release(&found);
		return 1;
	}
	if (!rows) {
		buf_release(&found);
		return 0;
	}
	rc = err_set("'%s' is damaged (SQLite's integrity check: %s); " DBCHECK_TODO, path,
		     found.s ? found.s : "out of memory");
	buf_release(&found);
	return rc;
}

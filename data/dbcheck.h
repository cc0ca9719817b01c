/*
 * dbcheck — is progress.db sound.
 *
 * PRAGMA quick_check reads every page, which costs tens of milliseconds
 * on a large history: too much for every start. So chanlab notes the
 * database file as it left it (device, inode, size, modification time)
 * when it closes a sound database, and runs the check at open only when
 * the file is not as noted: it changed behind chanlab's back (another
 * program, a disk fault), a chanlab was killed with it open, or it is new
 * to this chanlab. A damaged page is then found before anything reads or
 * writes past it, even one no command happens to read.
 */
#ifndef DATA_DBCHECK_H
#define DATA_DBCHECK_H

#include <stdbool.h>

#include <sqlite3.h>

/* What to do about a damaged progress.db (record.c rebuilds one that was
 * moved aside, and says so). */
#define DBCHECK_TODO "it was left as it is: move it aside to start afresh; chanlab then rebuilds it from the " \
	"attempts repository and says what it could not recover (your files in work/ are not touched)"

/* True if the database file at path is as dbcheck_note last noted it. */
bool dbcheck_as_noted(const char *path);

/* Notes the database file at path as it is now, once it is closed and
 * known sound (best effort: without a note the next open checks it).
 * Sets no error. */
void dbcheck_note(const char *path);

/* Runs PRAGMA quick_check on db, the database at path: 0 if it is sound;
 * -1 with err_msg naming the file, what the check found and what to do;
 * 1 if SQLite could not run it (db's error says why). */
int dbcheck_quick(sqlite3 *db, const char *path);

#endif

/*
 * repair — after a chanlab stopped between committing an entry and adding
 * its row (a crash, a kill), the row is rebuilt from the commit's trailers;
 * the rebuilt verdict is short and says "recovered" (see record.h). So is
 * every row of a progress.db that was lost (record.c sets what is left of
 * it aside first).
 */
#ifndef DATA_REPAIR_H
#define DATA_REPAIR_H

#include <stddef.h>

struct snap;
struct store;

/* Adds the rows missing for chanlab commits reachable from HEAD of snap,
 * oldest first; call under the home's lock (record.c). When HEAD has its
 * row, the walk stops there. *rebuilt (if not NULL) gets how many rows
 * were added. 0 or -1 (err_msg). */
int repair_rows(struct snap *snap, struct store *store, size_t *rebuilt);

/* Sets the files of progress.db (at db) aside beside it, named for when
 * and why, so that SQLite starts a new one: the database as
 * "progress.db.set-aside-<when>-<why>" with its -wal and -shm files under
 * that name, or, with the database missing, the -wal and -shm files it
 * left as "progress.db-wal.set-aside-<when>-<why>". aside gets the first
 * name used ("" if none). 0 or -1 (err_msg). */
int repair_set_aside_db(const char *db, const char *why, char *aside, size_t size);

#endif

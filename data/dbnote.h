/*
 * dbnote — how chanlab left progress.db, so that it knows when to check it.
 *
 * PRAGMA quick_check reads every page, which costs tens of milliseconds
 * on a large history: too much for every start. So chanlab notes the
 * database file as it left it (device, inode, size, modification time, in
 * progress.db-checked) when it closes a sound database, and store.c runs
 * the check at open only when the file is not as noted: it changed behind
 * chanlab's back (another program, a disk fault), a chanlab was killed
 * with it open, or it is new to this chanlab. A damaged page is then found
 * before anything reads or writes past it, even one no command reads.
 */
#ifndef DATA_DBNOTE_H
#define DATA_DBNOTE_H

#include <stdbool.h>

/* True if the database file at path is as dbnote_write last noted it. */
bool dbnote_same(const char *path);

/* Notes the database file at path as it is now, once it is closed and
 * known sound (best effort: without a note the next open checks it).
 * Sets no error. */
void dbnote_write(const char *path);

#endif

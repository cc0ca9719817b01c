/*
 * repair — after a chanlab stopped between committing an entry and adding
 * its row (a crash, a kill), the row is rebuilt from the commit's trailers;
 * the rebuilt verdict is short and says "recovered" (see record.h).
 */
#ifndef DATA_REPAIR_H
#define DATA_REPAIR_H

struct snap;
struct store;

#include <stddef.h>

/* Adds the rows missing for chanlab commits reachable from HEAD of snap,
 * oldest first; call under the home's lock (record.c). When HEAD has its
 * row, the walk stops there. *rebuilt (if not NULL) gets how many rows
 * were added. 0 or -1 (err_msg). */
int repair_rows(struct snap *snap, struct store *store, size_t *rebuilt);

#endif

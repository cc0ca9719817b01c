/*
 * loose — a guard in front of libgit2's reader of loose objects.
 *
 * libgit2 1.5 inflates a loose object in a loop that never ends when the
 * file is cut short (libgit2 issue 7342, fixed long after 1.5), so one
 * truncated object in work/.git would hang chanlab. The guard is an object
 * database backend that libgit2 asks first: it reads a loose object itself,
 * with zlib, in one bounded pass, and either hands libgit2 the object or
 * fails with a message that names the object, its file and the damage.
 * Objects that are not loose (packed by a `git gc`) go on to libgit2's own
 * pack reader. Lookups by a short prefix are not guarded (libgit2 asks
 * every backend for those); chanlab names objects by their full id.
 */
#ifndef DATA_LOOSE_H
#define DATA_LOOSE_H

#include <git2.h>

/* Puts the guard in front of odb, whose loose objects are in objects_dir
 * ("<gitdir>/objects"). odb owns it from then on. 0 or -1 (err_msg). */
int loose_guard(git_odb *odb, const char *objects_dir);

#endif

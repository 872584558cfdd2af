/* Where things live: the data directory, the default store, reading files. */
#ifndef XINFANG_PATHS_H
#define XINFANG_PATHS_H

#include <stddef.h>
#include "xinfang/util.h"

/* The data directory: $XINFANG_DATA, else the source tree's data/ when present, else the
 * installed one. */
const char *paths_datadir(void);
/* The default store: $XINFANG_DB, else $XDG_DATA_HOME/xinfang/xinfang.db, else
 * ~/.local/share/xinfang/xinfang.db (a new string). */
char *paths_default_db(void);
/* Creates the directories above path (like mkdir -p of its parent). */
int paths_make_parent(const char *path, struct xf_err *err);
/* Reads a whole text file; refuses files over 16 MiB. */
int paths_read_file(const char *path, char **text, size_t *len, struct xf_err *err);

#endif

/* Where things live: the data directory, the default store, reading files. */
#ifndef XINFANG_PATHS_H
#define XINFANG_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include "xinfang/util.h"

/* The data directory: $XINFANG_DATA; else the source tree's data/ when the running program is
 * the one in the build tree; else the installed share/xinfang beside the program's bin/ (so a
 * staged install runs too); else the installed share/xinfang of the configured prefix. */
const char *paths_datadir(void);
/* The forms directory, chosen the same way: $XINFANG_FORMS, the source tree's forms/ for the
 * build tree's program, else the installed share/xinfang/forms. */
const char *paths_formsdir(void);
/* True when the running program is the one the build tree made (not an installed copy): its
 * directory holds meson's meson-info/, which names the source tree. Nothing of either tree is
 * compiled into the program. */
bool paths_in_build_tree(void);
/* An installed directory: relative (to the program's bin/) resolved into buf when it is there
 * (a staged install), else configured. */
const char *paths_installed(const char *relative, const char *configured, char *buf, size_t n);
/* The directory of the running program ("" when /proc/self/exe cannot be read). */
const char *paths_program_dir(void);
/* The default store: the configuration's `db` (config.h): the office's store in
 * /var/lib/xinfang for an installed program, the per-user one for the build tree's (a new
 * string). */
char *paths_default_db(void);
/* The per-user store: $XDG_DATA_HOME/xinfang/xinfang.db, else ~/.local/share/xinfang/xinfang.db
 * (a new string). */
char *paths_user_db(void);
/* Creates the directories above path (like mkdir -p of its parent). */
int paths_make_parent(const char *path, struct xf_err *err);
/* Reads a whole text file; refuses files over 16 MiB. */
int paths_read_file(const char *path, char **text, size_t *len, struct xf_err *err);

#endif

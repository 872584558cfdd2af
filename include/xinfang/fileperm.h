/* Files only the office can read: the mode and group every file holding the record is created
 * with (the store, its -wal and -shm, backups, exports), output files written whole or not at
 * all, and the warning when a store is readable by others. */
#ifndef XINFANG_FILEPERM_H
#define XINFANG_FILEPERM_H

#include <stdbool.h>
#include <sys/types.h>
#include "xinfang/util.h"

/* The office's file mode and group: 0600 and no group (gid (gid_t)-1), or 0660 and the group
 * named by $XINFANG_GROUP. XF_EINVAL when that group does not exist. */
int fileperm_office(mode_t *mode, gid_t *gid, struct xf_err *err);
/* Creates a new, empty file at path with the office's mode and group whatever the umask
 * (O_EXCL, never follows a symlink). Returns an open read-write descriptor the caller closes,
 * or -1 with err filled (XF_EEXIST when the file is already there). For a new store: create
 * the file with this, close it, then let SQLite write into it; its -wal and -shm follow its
 * mode. (Files written out of the store, backups too, go through fileperm_out_begin below.) */
int fileperm_create(const char *path, struct xf_err *err);
/* Gives an existing file owned by this user the office's group (when one is configured); used
 * on a store's -wal and -shm, which SQLite creates with the store's mode but the creator's
 * group. Files of other owners are left alone. */
void fileperm_follow(const char *path);
/* An output file written whole or not at all: the bytes go to a new file of this account's
 * (O_EXCL, never through a link, never another account's inode) beside the final name, which
 * is renamed over the final name only when everything was written and synced. A process killed
 * half-way leaves the old file (or nothing) under the final name and a recognisable
 * <name>.partial-XXXXXX beside it. */
struct xf_outfile {
	char *path;       /* the final name */
	char *tmp;        /* the file written */
	char *dir;        /* with XF_OUT_BY_NAME: the private directory (0700) holding tmp */
	const char *what; /* the file's name in messages ("台账文件") */
	int fd;           /* open for writing on tmp; -1 with XF_OUT_BY_NAME or once closed */
	unsigned flags;   /* XF_OUT_… */
};

enum {
	/* A library opens tmp again by its name (libxlsxwriter, SQLite): tmp is made inside a
	 * private directory <name>.partial-XXXXXX that no other account can change. */
	XF_OUT_BY_NAME = 1u << 0,
	/* Never replace a file already at the final name (backups): XF_EEXIST. */
	XF_OUT_NO_REPLACE = 1u << 1,
};

/* Starts an output file for path: the temporary file is made with the office's mode and group,
 * or, when `like` names a file, with that file's group and mode (and its owner when run as
 * root) so an anchor written by root stays readable by the store's account. Returns XF_OK with
 * o->fd open (unless XF_OUT_BY_NAME), or the error with nothing left behind. */
int fileperm_out_begin(struct xf_outfile *o, const char *path, const char *what, unsigned flags, const char *like,
                       struct xf_err *err);
/* Syncs and closes the temporary file and renames it to the final name (a symlink at the final
 * name is refused, not followed); on failure removes it and fills err. o is finished either way. */
int fileperm_out_commit(struct xf_outfile *o, struct xf_err *err);
/* Removes the temporary file (and its private directory) after a failure; safe to call twice. */
void fileperm_out_abort(struct xf_outfile *o);
/* Fills err for a file that could not be written (errnum: the errno of the failing call), in
 * the office's words with what to do: the directory does not exist, no permission to write,
 * the disk is full, a directory was named, the file exists (XF_EEXIST), … `what` names the
 * file ("台账文件", "打印文件"). Every failing file write is reported through this. Returns
 * the code set. */
int fileperm_write_error(struct xf_err *err, int errnum, const char *what, const char *path);
/* Refuses a file name whose extension says another format than the one written: Excel, WPS
 * and PDF readers open a file by its name, and CSV or text bytes in x.xls, or a workbook in
 * y.csv, open as garbage or not at all. own_ext is the format's own extension ("csv", "xlsx",
 * "pdf"), always accepted; with only_own nothing else is (a workbook), otherwise any name but
 * another spreadsheet's or document's (.csv .xlsx .xls .xlsm .xlsb .ods .et .pdf .doc .docx
 * .wps), and for a PDF not .txt either.
 * `written` names what is written in the message (" CSV"), `advice` says what to do instead.
 * "-" (standard output) always fits. XF_EINVAL with the file's name when it does not. */
int fileperm_check_extension(const char *path, const char *own_ext, bool only_own, const char *written,
                             const char *advice, struct xf_err *err);
/* Why a file could not be read (errno errnum), in Chinese with what to do; returns the code. */
int fileperm_read_error(struct xf_err *err, int errnum, const char *what, const char *path);
/* A warning naming the chmod to run when the store at db_path, its -wal or its -shm can be
 * read by users outside the office; NULL when they cannot. The caller frees it. */
char *fileperm_warning(const char *db_path);

#endif

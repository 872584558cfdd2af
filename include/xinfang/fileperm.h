/* Files only the office can read: the mode and group every file holding the record is created
 * with (the store, its -wal and -shm, backups), and the warning when a store is readable by
 * others. */
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
 * or -1 with err filled (XF_EEXIST when the file is already there). For backups: create the
 * file with this, close it, then let SQLite write into it; its -wal and -shm follow its mode. */
int fileperm_create(const char *path, struct xf_err *err);
/* Gives an existing file owned by this user the office's group (when one is configured); used
 * on a store's -wal and -shm, which SQLite creates with the store's mode but the creator's
 * group. Files of other owners are left alone. */
void fileperm_follow(const char *path);
/* Opens a file for writing, made or emptied, with exactly the office's mode and group; -1 and
 * errno when it cannot. */
int fileperm_open_output(const char *path);
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

/* The store's file as a whole: SQLite's integrity check, online backup and restore (the online
 * backup API is SQLite's; a PostgreSQL store is copied row by row, store_copy.c). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_chain_int.h"
#include "xinfang/fileperm.h"

/* PRAGMA integrity_check on SQLite. A PostgreSQL server checks its own pages (data checksums,
 * amcheck run by its administrator): nothing to check from here (not yet: issue 19, whether
 * verify runs amcheck's bt_index_check). */
int store_integrity(struct xf_store *st, char **problem, struct xf_err *err)
{
	*problem = NULL;
	if (xf_db_dialect(store_db(st)) != XF_DB_SQLITE)
		return XF_OK;
	struct xf_db_stmt *stmt = chain_prepare(st, "PRAGMA integrity_check");
	if (stmt == NULL)
		return chain_fail(st, "检查数据库文件", err);
	int rc = xf_db_step(stmt);
	if (rc == XF_DB_ROW && strcmp(chain_col_text(stmt, 0), "ok") != 0)
		*problem = xstrdup(chain_col_text(stmt, 0));
	xf_db_finalize(stmt);
	if (rc != XF_DB_ROW && rc != XF_DB_DONE) {
		/* A file too damaged to check is itself the finding. */
		*problem = xstrdup(xf_db_errdetail(store_db(st)));
	}
	return XF_OK;
}

/* Copies every page from one connection's main database to another's, in one step. */
static int copy_pages(sqlite3 *to, sqlite3 *from, struct xf_err *err, const char *what)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (b == NULL)
		return xf_err_set(err, XF_EIO, "%s失败：%s", what, sqlite3_errmsg(to));
	int rc, tries = 0;
	/* One step holds one read transaction on the source: a consistent copy while desks write. */
	while (((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries++ < 200)
		sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR)
			return xf_err_set(err, XF_EIO, "%s失败：磁盘已满或无法写入（%s）", what, sqlite3_errstr(rc));
		return xf_err_set(err, XF_EIO, "%s失败：%s", what, sqlite3_errstr(rc));
	}
	return XF_OK;
}

/* Copies the store to a new file (SQLite's online backup API; a PostgreSQL store row by row,
 * store_copy.c), or into a new, empty PostgreSQL database: written under a private temporary name (SQLite opens it by
 * name, so no other account may be able to swap it) and given the final name, never replacing
 * a file, only when the copy is complete. XF_EEXIST when a file is already there. */
int store_backup(struct xf_store *st, const char *path, struct xf_err *err)
{
	struct xf_outfile out;
	struct stat sb;
	/* Into a PostgreSQL database: the new, empty one a restore fills (store_copy.c). */
	if (xf_db_locator_is_pg(path))
		return store_restore_rows(st, path, err);
	if (lstat(path, &sb) == 0)
		return xf_err_set(err, XF_EEXIST, "备份文件 %s 已存在：请换一个文件名（例如带上日期），原文件未动", path);
	/* A PostgreSQL store is copied row by row into a new SQLite file (store_copy.c). */
	if (xf_db_dialect(store_db(st)) != XF_DB_SQLITE)
		return store_backup_rows(st, path, err);
	int rc = fileperm_out_begin(&out, path, "备份文件", XF_OUT_BY_NAME | XF_OUT_NO_REPLACE, NULL, err);
	if (rc != XF_OK)
		return rc;
	sqlite3 *to;
	if (sqlite3_open_v2(out.tmp, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		rc = xf_err_set(err, XF_EIO, "无法打开备份文件 %s：%s", path, sqlite3_errmsg(to));
	else
		rc = copy_pages(to, xf_db_native(store_db(st)), err, "备份");
	if (sqlite3_close(to) != SQLITE_OK && rc == XF_OK)
		rc = xf_err_set(err, XF_EIO, "备份文件 %s 未能写完：请检查磁盘空间后重试", path);
	if (rc == XF_OK)
		rc = fileperm_out_commit(&out, err);
	else
		fileperm_out_abort(&out);
	if (rc == XF_EEXIST)
		xf_err_set(err, XF_EEXIST, "备份文件 %s 已存在（刚由别处写入）：请换一个文件名，原文件未动", path);
	return rc;
}

/* Replaces the store's contents with a file's (SQLite's online backup API; into a PostgreSQL
 * store not yet: issue 19). */
int store_restore(struct xf_store *st, const char *path, struct xf_err *err)
{
	if (xf_db_dialect(store_db(st)) != XF_DB_SQLITE)
		return xf_err_set(err, XF_EINVAL, "还不能把备份恢复到 PostgreSQL 数据库：请暂用 pg_restore");
	sqlite3 *from;
	int rc = XF_OK;
	if (sqlite3_open_v2(path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		rc = xf_err_set(err, XF_EIO, "无法打开备份文件 %s：%s", path, sqlite3_errmsg(from));
	else
		rc = copy_pages(xf_db_native(store_db(st)), from, err, "恢复");
	sqlite3_close(from);
	store_chain_forget(st);
	struct xf_chain *c = *store_chain_slot(st);
	c->schema_cookie = -1;
	return rc;
}

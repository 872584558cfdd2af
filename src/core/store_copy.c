/* Copying a store between backends, row by row: a PostgreSQL store into a verifiable SQLite file
 * (its backup, in the format an office already keeps), and an SQLite backup into a new, empty
 * PostgreSQL database (its restore). Both stores are at the same schema version; every table
 * the two schemas share is copied with its ids, in the source's order, inside one snapshot of
 * the source and one transaction of the copy. The audit records go across untouched, so the
 * copy verifies against the same chain; what the copy derives for itself (the text index, the
 * status bar's counts) its own triggers and index rebuild. SQLite to SQLite stays the online
 * backup API's (store_backup.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_pgsearch.h"
#include "store_private.h"
#include "xinfang/fileperm.h"
#include "xinfang/store_chain.h"

/* The tables each backend lists, in the order they were made (a table is made after those it
 * refers to). The text index and the derived counts are left to the copy's own triggers; the
 * schema's version is the migrations'. */
static const char *const tables_sql[] = {
	[XF_DB_SQLITE] = "SELECT name FROM main.sqlite_master WHERE type = 'table' "
	                 "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'search%' "
	                 "AND name <> 'pending_counts' ORDER BY rowid",
	[XF_DB_POSTGRESQL] = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	                     "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
	                     "AND c.relname NOT LIKE 'search%' AND c.relname NOT IN ('pending_counts', 'schema_version') "
	                     "ORDER BY c.oid",
};

/* The names of the tables a store holds, in the order they were made. */
static int list_tables(struct xf_store *st, struct xf_rows *out, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st, tables_sql[xf_db_dialect(store_db(st))], &stmt, err);
	return rc == XF_OK ? store_db_collect(st, stmt, out, err) : rc;
}

/* True when a table of that name is in the list. */
static bool listed(const struct xf_rows *tables, const char *name)
{
	for (size_t i = 0; i < tables->n; i++)
		if (strcmp(tables->v[i].v[0].val, name) == 0)
			return true;
	return false;
}

/* Binds a source row's column as the destination's parameter, by the value's own type. */
void store_copy_bind_value(struct xf_db_stmt *to, int param, struct xf_db_stmt *from, int col)
{
	switch (xf_db_column_type(from, col)) {
	case XF_DB_NULL:
		xf_db_bind_null(to, param);
		break;
	case XF_DB_INT:
		xf_db_bind_int64(to, param, xf_db_column_int64(from, col));
		break;
	case XF_DB_FLOAT:
		xf_db_bind_double(to, param, xf_db_column_double(from, col));
		break;
	case XF_DB_TEXT:
		xf_db_bind_text(to, param, xf_db_column_text(from, col), -1);
		break;
	}
}

/* The INSERT of nrows rows of ncols columns into table: ?1, ?2 ... row after row. */
static char *insert_sql(const char *table, const char *cols, int ncols, int nrows)
{
	struct xf_buf b;
	buf_init(&b);
	buf_printf(&b, "INSERT INTO \"%s\" (%s) VALUES ", table, cols);
	for (int r = 0; r < nrows; r++) {
		buf_puts(&b, r ? ", (" : "(");
		for (int i = 0; i < ncols; i++)
			buf_printf(&b, "%s?%d", i ? ", " : "", r * ncols + i + 1);
		buf_puts(&b, ")");
	}
	return b.data;
}

/* A value read from the source, held until its batch is written. */
struct cell {
	enum xf_db_type type;
	int64_t i;
	double d;
	char *s;
};

/* Holds a source row's column. */
static void hold_value(struct cell *c, struct xf_db_stmt *from, int col)
{
	c->type = xf_db_column_type(from, col);
	c->i = c->type == XF_DB_INT ? xf_db_column_int64(from, col) : 0;
	c->d = c->type == XF_DB_FLOAT ? xf_db_column_double(from, col) : 0;
	c->s = c->type == XF_DB_TEXT ? xstrdup(xf_db_column_text(from, col)) : NULL;
}

/* Binds held values as parameters 1 to n of to, and lets them go. */
static void bind_held(struct xf_db_stmt *to, struct cell *v, int n)
{
	for (int k = 0; k < n; k++) {
		struct cell *c = &v[k];
		if (c->type == XF_DB_INT)
			xf_db_bind_int64(to, k + 1, c->i);
		else if (c->type == XF_DB_FLOAT)
			xf_db_bind_double(to, k + 1, c->d);
		else if (c->type == XF_DB_TEXT)
			xf_db_bind_text(to, k + 1, c->s, -1);
		else
			xf_db_bind_null(to, k + 1);
		free(c->s);
		c->s = NULL;
	}
}

/* Writes nrows held rows by one INSERT (dst when it is of that many rows, else one made now). */
static int write_held(struct xf_store *to, const char *table, const char *cols, int ncols, struct xf_db_stmt *dst,
                      int dst_rows, struct cell *v, int nrows, long *rows, struct xf_err *err)
{
	struct xf_db_stmt *own = NULL;
	int rc = XF_OK;
	if (nrows != dst_rows) {
		char *sql = insert_sql(table, cols, ncols, nrows);
		rc = store_db_prepare(to, sql, &own, err);
		free(sql);
		if (rc != XF_OK)
			return rc;
	}
	struct xf_db_stmt *st = own ? own : dst;
	bind_held(st, v, nrows * ncols);
	if (xf_db_step(st) != XF_DB_DONE) {
		char *what = nrows == 1 ? xasprintf("把表 %s 的第 %ld 行写入副本", table, *rows + 1)
		                        : xasprintf("把表 %s 的第 %ld 至 %ld 行写入副本", table, *rows + 1, *rows + nrows);
		rc = store_db_fail(to, err, what);
		free(what);
	} else {
		*rows += nrows;
	}
	xf_db_reset(st);
	xf_db_finalize(own);
	return rc;
}

/* Rows one INSERT carries into a PostgreSQL copy: a round trip per row made a restore of a
 * million cases take hours; at most PostgreSQL's 65,535 parameters. */
enum { COPY_BATCH_ROWS = 256 };

/* Copies one table: the destination's rows (a fresh store's seeded lists) go, the source's come
 * in with their ids, in id order where the table has ids (the audit trail takes its records
 * only in chain order). Into PostgreSQL, COPY_BATCH_ROWS rows go by each statement. */
static int copy_table(struct xf_store *from, struct xf_store *to, const char *table, long *rows, struct xf_err *err)
{
	char *sql = xasprintf("DELETE FROM \"%s\"", table);
	int rc = store_db_exec(to, sql, err, "清空副本中的基础清单");
	free(sql);
	if (rc != XF_OK)
		return rc;
	struct xf_db_stmt *src;
	sql = xasprintf("SELECT * FROM \"%s\" LIMIT 0", table);
	rc = store_db_prepare(from, sql, &src, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	int ncols = xf_db_column_count(src);
	bool has_id = false;
	struct xf_buf cols;
	buf_init(&cols);
	for (int i = 0; i < ncols; i++) {
		const char *name = xf_db_column_name(src, i);
		has_id = has_id || strcmp(name, "id") == 0;
		buf_printf(&cols, "%s\"%s\"", i ? ", " : "", name);
	}
	xf_db_finalize(src);
	int batch = xf_db_dialect(store_db(to)) == XF_DB_POSTGRESQL && ncols > 0 ? COPY_BATCH_ROWS : 1;
	if (batch * ncols > 65535)
		batch = 65535 / ncols;
	char *select = xasprintf("SELECT %s FROM \"%s\"%s", ncols ? cols.data : "*", table, has_id ? " ORDER BY id" : "");
	char *insert = insert_sql(table, cols.data, ncols, batch);
	struct xf_db_stmt *dst = NULL;
	src = NULL;
	if ((rc = store_db_prepare(from, select, &src, err)) == XF_OK)
		rc = store_db_prepare(to, insert, &dst, err);
	free(select);
	free(insert);
	/* A batch's rows are held until it is full; the last, shorter one goes at the end. */
	struct cell *held = xcalloc((size_t)(batch * (ncols ? ncols : 1)), sizeof *held);
	int nheld = 0;
	enum xf_db_step step = XF_DB_DONE;
	while (rc == XF_OK && (step = xf_db_step(src)) == XF_DB_ROW) {
		for (int i = 0; i < ncols; i++)
			hold_value(&held[nheld * ncols + i], src, i);
		if (++nheld == batch) {
			rc = write_held(to, table, cols.data, ncols, dst, batch, held, nheld, rows, err);
			nheld = 0;
		}
	}
	if (rc == XF_OK && step == XF_DB_ERROR)
		rc = store_db_fail(from, err, "读取要复制的记录");
	if (rc == XF_OK && nheld > 0)
		rc = write_held(to, table, cols.data, ncols, dst, batch, held, nheld, rows, err);
	for (int k = 0; k < batch * ncols; k++)
		free(held[k].s);
	free(held);
	buf_free(&cols);
	xf_db_finalize(src);
	xf_db_finalize(dst);
	return rc;
}

/* Copies every table both stores have; to is in its write transaction, from in a snapshot. */
static int copy_tables(struct xf_store *from, struct xf_store *to, long *rows, struct xf_err *err)
{
	struct xf_rows have, want;
	int rc = list_tables(from, &have, err);
	if (rc != XF_OK)
		return rc;
	if ((rc = list_tables(to, &want, err)) != XF_OK) {
		rows_free(&have);
		return rc;
	}
	for (size_t i = 0; rc == XF_OK && i < have.n; i++) {
		const char *table = have.v[i].v[0].val;
		if (!listed(&want, table))
			rc = xf_err_set(err, XF_EINVAL, "副本中没有表 %s：两边的数据库结构不同，请用同一版本的 xinfang 复制", table);
		else
			rc = copy_table(from, to, table, rows, err);
	}
	rows_free(&have);
	rows_free(&want);
	/* PostgreSQL's identities go on from the largest id copied (data/schema/pg/001_init.sql). */
	if (rc == XF_OK && xf_db_dialect(store_db(to)) == XF_DB_POSTGRESQL)
		rc = store_db_exec(to, "SELECT sync_identities()", err, "设置编号的起点");
	return rc;
}

/* True when a store holds no record yet: no schema, or only the migrations' (no audit record). */
static int store_is_empty(struct xf_store *st, int *version, bool *empty, struct xf_err *err)
{
	*empty = false;
	int rc = store_version(st, version, err);
	if (rc != XF_OK || *version == 0) {
		*empty = rc == XF_OK;
		return rc;
	}
	struct xf_db_stmt *stmt;
	if ((rc = store_db_prepare(st, "SELECT count(*) FROM audit", &stmt, err)) != XF_OK)
		return rc;
	enum xf_db_step step = xf_db_step(stmt);
	*empty = step == XF_DB_ROW && xf_db_column_int64(stmt, 0) == 0;
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : store_db_fail(st, err, "读取数据库");
}

/* Copies from into the store to (empty, made or brought to from's schema version here). */
int store_copy_into(struct xf_store *from, struct xf_store *to, long *rows, struct xf_err *err)
{
	*rows = 0;
	int version, have;
	bool empty;
	int rc = store_version(from, &version, err);
	if (rc == XF_OK)
		rc = store_is_empty(to, &have, &empty, err);
	if (rc != XF_OK)
		return rc;
	if (!empty)
		return xf_err_set(err, XF_EEXIST, "数据库 %s 里已有记录：只能复制到新建的空数据库，原有记录未动",
		                  xf_db_where(store_db(to)));
	if (have > version)
		return xf_err_set(err, XF_EINVAL, "数据库 %s 的版本（%d）比要复制的（%d）新：请用同一版本的 xinfang 复制",
		                  xf_db_where(store_db(to)), have, version);
	if ((rc = store_migrate(to, version, err)) != XF_OK)
		return rc;
	if ((rc = xf_db_begin_read(store_db(from), err)) != XF_OK)
		return rc;
	if ((rc = store_begin(to, err)) == XF_OK) {
		rc = copy_tables(from, to, rows, err);
		/* The rows came with their own audit records: the copy writes none of its own. */
		store_chain_forget(to);
		/* A server's text index cut at once, its tokens sorted and sent by COPY, before the
		 * commit would cut the same cases a few at a time (as a push does: several times faster) */
		if (rc == XF_OK && xf_db_dialect(store_db(to)) == XF_DB_POSTGRESQL && *store_search_ready(to))
			rc = store_pgsearch_flush_sorted(to, err);
		if (rc == XF_OK)
			rc = store_commit(to, err);
		else
			store_rollback(to);
	}
	xf_db_rollback(store_db(from));
	return rc;
}

/* Backs a PostgreSQL store up into a new SQLite file at path: written under a private
 * temporary name and given the final name only when the copy is complete, never replacing a
 * file (XF_EEXIST). */
int store_backup_rows(struct xf_store *st, const char *path, struct xf_err *err)
{
	struct xf_outfile out;
	int rc = fileperm_out_begin(&out, path, "备份文件", XF_OUT_BY_NAME | XF_OUT_NO_REPLACE, NULL, err);
	if (rc != XF_OK)
		return rc;
	struct xf_store *copy;
	long rows = 0;
	if ((rc = store_open(out.tmp, &copy, err)) == XF_OK) {
		rc = store_copy_into(st, copy, &rows, err);
		store_close(copy);
	}
	/* SQLite's companions of the temporary file, gone with a clean close; never left behind. */
	static const char *const companions[] = {"-wal", "-shm"};
	for (size_t i = 0; i < 2; i++) {
		char *p = xasprintf("%s%s", out.tmp, companions[i]);
		unlink(p);
		free(p);
	}
	if (rc == XF_OK)
		return fileperm_out_commit(&out, err);
	fileperm_out_abort(&out);
	return rc;
}

/* Restores an SQLite store (a verified backup) into the new, empty PostgreSQL database the
 * locator names. XF_EEXIST when it already holds records. */
int store_restore_rows(struct xf_store *backup, const char *locator, struct xf_err *err)
{
	struct xf_store *to;
	int rc = store_open(locator, &to, err);
	if (rc != XF_OK)
		return rc;
	long rows = 0;
	rc = store_copy_into(backup, to, &rows, err);
	store_close(to);
	return rc;
}

/* The schema the compiled-in migrations build: they are run into a scratch in-memory database
 * and the objects they leave read back. At build time tools/schema_expected_gen.c keeps the
 * result as a table (schema_expected.c); at run time it is made again only when the program
 * runs on another SQLite than it was built with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"
#include "store_schema.h"

/* The objects SQLite keeps for itself (autoindexes follow their table's SQL, statistics come
 * and go with ANALYZE) are not part of the comparison. */
static const char objects_sql[] = "SELECT type, name, sql FROM main.sqlite_master "
                                  "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";

/* Reads name, type and SQL of every object of a connection's main database. */
int store_schema_read(struct xf_db *db, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_db_stmt *stmt;
	if (xf_db_prepare(db, objects_sql, &stmt, NULL) != XF_OK)
		return xf_err_set(err, XF_EIO, "读取数据库结构失败：%s", xf_db_errdetail(db));
	size_t cap = 0;
	enum xf_db_step step;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->v = xrealloc(out->v, cap * sizeof *out->v);
		}
		store_db_row_fields(stmt, &out->v[out->n++]);
	}
	xf_db_finalize(stmt);
	if (step != XF_DB_DONE) {
		rows_free(out);
		return xf_err_set(err, XF_EIO, "读取数据库结构失败：%s", xf_db_errdetail(db));
	}
	return XF_OK;
}

/* Runs every compiled-in migration, in order, into a scratch in-memory SQLite database and reads
 * the schema they leave. */
int store_schema_build(struct xf_rows *out, struct xf_err *err)
{
	struct xf_db *db;
	if (xf_db_open(":memory:", NULL, &db, NULL) != XF_OK)
		return xf_err_set(err, XF_EIO, "无法建立对照用的内存数据库：请检查内存是否不足");
	/* The text index's tokenizer is SQLite's own (FTS5); the scratch database is always SQLite. */
	int rc = store_search_tokenizers(xf_db_native(db), err);
	/* One transaction: each statement on its own would re-read the whole schema after it. */
	if (rc == XF_OK)
		xf_db_exec(db, "BEGIN", NULL, "");
	for (size_t i = 0; rc == XF_OK && i < xf_migration_count; i++)
		if (xf_db_exec(db, xf_migrations[i].sql, NULL, "") != XF_OK)
			rc = xf_err_set(err, XF_EIO, "本程序的迁移脚本 %s 无法在对照用的数据库中执行（%s）：程序文件可能已损坏，请重新安装",
			                xf_migrations[i].name, xf_db_errdetail(db));
	if (rc == XF_OK)
		rc = store_schema_read(db, out, err);
	xf_db_close(db);
	return rc;
}

/* The SQLite version this program runs on. */
const char *store_schema_sqlite_version(void)
{
	return sqlite3_libversion();
}

/* The schema the compiled-in migrations build, and the store's own compared with it: every
 * table, index, view and trigger, by name, kind and SQL text. The expected schema is made by
 * running the migrations into a scratch in-memory database, so a new migration is followed
 * without a list to keep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"
#include "store_schema_pg.h"
#include "xinfang/store_chain.h"

/* The objects SQLite keeps for itself (autoindexes follow their table's SQL, statistics come
 * and go with ANALYZE) are not part of the comparison. */
static const char objects_sql[] = "SELECT type, name, sql FROM main.sqlite_master "
                                  "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";

/* The schema the migrations build, made once per process. */
static struct xf_rows expected_schema;
static bool expected_ready;

/* Reads name, type and SQL of every object of a connection's main database. */
static int read_objects(struct xf_db *db, struct xf_rows *out, struct xf_err *err)
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
static int build_expected(struct xf_rows *out, struct xf_err *err)
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
		rc = read_objects(db, out, err);
	xf_db_close(db);
	return rc;
}

/* The object of that name in a list, NULL when none. */
static const struct xf_fields *find_object(const struct xf_rows *rows, const char *name)
{
	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(fields_str(&rows->v[i], "name"), name) == 0)
			return &rows->v[i];
	return NULL;
}

/* Adds one schema problem. */
static void add_fault(struct xf_rows *faults, const char *type, const char *name, const char *problem)
{
	faults->v = xrealloc(faults->v, (faults->n + 1) * sizeof *faults->v);
	fields_init(&faults->v[faults->n]);
	fields_add(&faults->v[faults->n], "type", type);
	fields_add(&faults->v[faults->n], "name", name);
	fields_add(&faults->v[faults->n], "problem", problem);
	faults->n++;
}

/* Compares the store's tables, indexes, views and triggers with the migrations'. */
int store_schema_check(struct xf_store *st, struct xf_rows *faults, long *expected, struct xf_err *err)
{
	faults->v = NULL;
	faults->n = 0;
	*expected = 0;
	int rc;
	/* The comparison reads SQLite's own record of its schema; on PostgreSQL the same check is
	 * tests/pg/test_schema_same.py's for now (here: not yet, issue 19). */
	if (xf_db_dialect(store_db(st)) != XF_DB_SQLITE)
		return store_schema_check_pg(st, faults, expected, err);
	if (!expected_ready) {
		if ((rc = build_expected(&expected_schema, err)) != XF_OK)
			return rc;
		expected_ready = true;
	}
	struct xf_rows have;
	if ((rc = read_objects(store_db(st), &have, err)) != XF_OK)
		return rc;
	*expected = (long)expected_schema.n;
	for (size_t i = 0; i < expected_schema.n; i++) {
		const struct xf_fields *want = &expected_schema.v[i];
		const struct xf_fields *got = find_object(&have, fields_str(want, "name"));
		if (got == NULL)
			add_fault(faults, fields_str(want, "type"), fields_str(want, "name"), "missing");
		else if (strcmp(fields_str(got, "type"), fields_str(want, "type")) != 0 ||
		         strcmp(fields_str(got, "sql"), fields_str(want, "sql")) != 0)
			add_fault(faults, fields_str(got, "type"), fields_str(want, "name"), "changed");
	}
	for (size_t i = 0; i < have.n; i++)
		if (find_object(&expected_schema, fields_str(&have.v[i], "name")) == NULL)
			add_fault(faults, fields_str(&have.v[i], "type"), fields_str(&have.v[i], "name"), "extra");
	rows_free(&have);
	return XF_OK;
}

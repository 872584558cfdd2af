/* The schema of a PostgreSQL store compared with the one the compiled-in migrations
 * (data/schema/pg) build. PostgreSQL's DDL is transactional: the migrations run into a scratch
 * schema of their own inside a transaction on a second connection, its catalogue is read, and
 * the transaction is rolled back, leaving nothing behind. Both catalogues are described alike
 * (tables with their columns and constraints, indexes, views, triggers and the functions they
 * call), every schema name taken out, and compared object by object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_private.h"
#include "store_schema.h"
#include "store_schema_pg.h"
#include "xinfang/store_chain.h"

/* The objects of schema ?1 as (type, name, sql): a table's text is its columns (type, NOT NULL,
 * default, identity) and constraints; a function is counted with the triggers. Schema names
 * are taken out of every definition, so the scratch schema's read as the store's. */
static const char objects_sql[] =
	"WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = CAST(?1 AS TEXT)), "
	"objects AS ("
	" SELECT 'table' AS type, c.relname::text AS name, "
	"  (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) "
	"     || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END "
	"     || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') "
	"     || CASE a.attidentity WHEN 'd' THEN ' IDENTITY' WHEN 'a' THEN ' ALWAYS IDENTITY' ELSE '' END, ', ' "
	"     ORDER BY a.attnum) "
	"   FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
	"   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) "
	"  || coalesce((SELECT '; ' || string_agg(k.conname || ' ' || pg_get_constraintdef(k.oid), '; ' ORDER BY k.conname) "
	"   FROM pg_constraint k WHERE k.conrelid = c.oid), '') AS sql, ns.nspname "
	" FROM pg_class c JOIN ns ON c.relnamespace = ns.oid WHERE c.relkind IN ('r', 'p') "
	" UNION ALL SELECT 'index', i.relname::text, pg_get_indexdef(i.oid), ns.nspname "
	" FROM pg_class i JOIN ns ON i.relnamespace = ns.oid WHERE i.relkind = 'i' "
	" UNION ALL SELECT 'view', c.relname::text, pg_get_viewdef(c.oid), ns.nspname "
	" FROM pg_class c JOIN ns ON c.relnamespace = ns.oid WHERE c.relkind IN ('v', 'm') "
	" UNION ALL SELECT 'trigger', c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid), ns.nspname "
	" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN ns ON c.relnamespace = ns.oid WHERE NOT t.tgisinternal "
	" UNION ALL SELECT 'trigger', p.proname || '()', pg_get_functiondef(p.oid), ns.nspname "
	" FROM pg_proc p JOIN ns ON p.pronamespace = ns.oid"
	") SELECT type, name, replace(replace(sql, quote_ident(nspname) || '.', ''), nspname || '.', '') AS sql "
	"FROM objects ORDER BY name, type";

/* The schema the migrations build, made once per process. */
static struct xf_rows expected_schema;
static bool expected_ready;

/* Reads the objects of one schema of a connection. */
static int read_objects(struct xf_db *db, const char *schema, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_db_stmt *stmt;
	if (xf_db_prepare(db, objects_sql, &stmt, NULL) != XF_OK)
		return xf_err_set(err, XF_EIO, "读取数据库结构失败：%s", xf_db_errdetail(db));
	xf_db_bind_text(stmt, 1, schema, -1);
	enum xf_db_step step;
	size_t cap = 0;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		if (out->n == cap)
			out->v = xrealloc(out->v, (cap = cap ? cap * 2 : 64) * sizeof *out->v);
		store_db_row_fields(stmt, &out->v[out->n++]);
	}
	xf_db_finalize(stmt);
	if (step == XF_DB_DONE)
		return XF_OK;
	rows_free(out);
	return xf_err_set(err, XF_EIO, "读取数据库结构失败：%s", xf_db_errdetail(db));
}

/* Runs every compiled-in PostgreSQL migration into a scratch schema of a second connection to
 * the store's database, in one transaction, reads what they built and rolls it all back. */
static int build_expected(const char *locator, struct xf_rows *out, struct xf_err *err)
{
	struct xf_db *db;
	struct xf_err why;
	if (xf_db_open(locator, NULL, &db, &why) != XF_OK)
		return xf_err_set(err, XF_EIO, "无法为核对数据库结构再连接一次数据库：%s", why.msg);
	char schema[64];
	snprintf(schema, sizeof schema, "xinfang_expected_%ld", (long)getpid());
	char *begin = xasprintf("BEGIN; CREATE SCHEMA %s; SET LOCAL search_path = %s", schema, schema);
	int rc = XF_OK;
	if (xf_db_exec(db, begin, NULL, "") != XF_OK)
		rc = xf_err_set(err, XF_EDENIED,
		                "无法核对数据库结构：数据库账户不能建立临时的对照用 schema（%s）。请由数据库的所有者运行 "
		                "xinfang verify，或授予 CREATE 权限",
		                xf_db_errdetail(db));
	free(begin);
	for (size_t i = 0; rc == XF_OK && i < xf_pg_migration_count; i++)
		if (xf_db_exec(db, xf_pg_migrations[i].sql, NULL, "") != XF_OK)
			rc = xf_err_set(err, XF_EIO, "本程序的迁移脚本 pg/%s 无法在对照用的 schema 中执行（%s）：程序文件可能已损坏，请重新安装",
			                xf_pg_migrations[i].name, xf_db_errdetail(db));
	if (rc == XF_OK)
		rc = read_objects(db, schema, out, err);
	xf_db_rollback(db);
	xf_db_exec(db, "ROLLBACK", NULL, ""); /* the scratch schema goes with it */
	xf_db_close(db);
	return rc;
}

/* The object of that type and name in a list, NULL when none. */
static const struct xf_fields *find_object(const struct xf_rows *rows, const char *type, const char *name)
{
	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(fields_str(&rows->v[i], "name"), name) == 0 && strcmp(fields_str(&rows->v[i], "type"), type) == 0)
			return &rows->v[i];
	return NULL;
}

/* Compares a PostgreSQL store's schema (its current schema) with the migrations'. */
int store_schema_check_pg(struct xf_store *st, struct xf_rows *faults, long *expected, struct xf_err *err)
{
	faults->v = NULL;
	faults->n = 0;
	*expected = 0;
	int rc;
	if (!expected_ready) {
		if ((rc = build_expected(store_path(st), &expected_schema, err)) != XF_OK)
			return rc;
		expected_ready = true;
	}
	struct xf_db_stmt *stmt;
	char *schema = NULL;
	if (xf_db_prepare(store_db(st), "SELECT current_schema()", &stmt, NULL) == XF_OK) {
		if (xf_db_step(stmt) == XF_DB_ROW && xf_db_column_text(stmt, 0))
			schema = xstrdup(xf_db_column_text(stmt, 0));
		xf_db_finalize(stmt);
	}
	if (schema == NULL)
		return xf_err_set(err, XF_EIO, "读取数据库结构失败：%s", xf_db_errdetail(store_db(st)));
	struct xf_rows have;
	rc = read_objects(store_db(st), schema, &have, err);
	free(schema);
	if (rc != XF_OK)
		return rc;
	*expected = (long)expected_schema.n;
	for (size_t i = 0; i < expected_schema.n; i++) {
		const struct xf_fields *want = &expected_schema.v[i];
		const char *type = fields_str(want, "type"), *name = fields_str(want, "name");
		const struct xf_fields *got = find_object(&have, type, name);
		if (got == NULL)
			store_schema_add_fault(faults, type, name, "missing");
		else if (strcmp(fields_str(got, "sql"), fields_str(want, "sql")) != 0)
			store_schema_add_fault(faults, type, name, "changed");
	}
	for (size_t i = 0; i < have.n; i++) {
		const char *type = fields_str(&have.v[i], "type"), *name = fields_str(&have.v[i], "name");
		if (find_object(&expected_schema, type, name) == NULL)
			store_schema_add_fault(faults, type, name, "extra");
	}
	rows_free(&have);
	return XF_OK;
}

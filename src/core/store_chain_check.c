/* The row check `xinfang verify` makes: every covered row compared with its newest snapshot in
 * the records the chain walk proved, the differences named column by column; the read
 * transaction the checks share. The JSON in SQL is per dialect. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "store_chain_int.h"

/* verify's working table: the newest snapshot of every row, as a digest beside its record. */
static const char *const latest_create[] = {
	[XF_DB_SQLITE] = "CREATE TEMP TABLE IF NOT EXISTS xf_latest(key TEXT PRIMARY KEY, audit_id INTEGER, digest TEXT)",
	[XF_DB_POSTGRESQL] = "CREATE TEMP TABLE IF NOT EXISTS xf_latest(key text PRIMARY KEY, audit_id bigint, digest text)",
};

/* The name the working table is reached by. */
static const char *latest_table(struct xf_store *st)
{
	return xf_db_dialect(store_db(st)) == XF_DB_SQLITE ? "temp.xf_latest" : "pg_temp.xf_latest";
}

/* One read transaction for all the checks. */
int store_read_begin(struct xf_store *st, struct xf_err *err)
{
	struct xf_err ignored; /* said in the chain's own words */
	/* PostgreSQL's read-only transaction may fill a temporary table but not make one. */
	if (xf_db_dialect(store_db(st)) == XF_DB_POSTGRESQL && xf_db_exec(store_db(st), latest_create[XF_DB_POSTGRESQL],
	                                                                 &ignored, "") != XF_OK)
		return chain_fail(st, "读取数据库", err);
	if (xf_db_begin_read(store_db(st), &ignored) != XF_OK)
		return chain_fail(st, "读取数据库", err);
	return XF_OK;
}

/* Ends the read transaction. */
void store_read_end(struct xf_store *st)
{
	struct xf_err ignored; /* nothing was written: nothing to lose */
	if (xf_db_in_transaction(store_db(st)))
		xf_db_commit(store_db(st), &ignored);
}

/* xf_sha256(text): the hex SHA-256 of a text, so the newest snapshots are kept as digests. */
static void sql_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *v = sqlite3_value_text(argv[0]);
	if (v == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	char hex[65];
	xf_sha256_hex((const char *)v, (size_t)sqlite3_value_bytes(argv[0]), hex);
	sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

/* How a column the canonical JSON leaves out reads: its declared default. */
static const char *column_default(struct xf_store *st, const char *table, const char *column)
{
	struct xf_chain *c = *store_chain_slot(st);
	int t = chain_tracked_index(table);
	if (t < 0)
		return "（无此项）";
	if (c->defaults[t] == NULL) {
		c->defaults[t] = xcalloc(1, sizeof *c->defaults[t]);
		fields_init(c->defaults[t]);
		struct xf_db_stmt *stmt = chain_prepare(st, chain_table_info_sql[xf_db_dialect(store_db(st))]);
		if (stmt != NULL) {
			xf_db_bind_text(stmt, 1, table, -1);
			while (xf_db_step(stmt) == XF_DB_ROW) {
				char *declared = chain_info_default(st, stmt);
				char *d = chain_default_text(declared);
				if (d)
					fields_add(c->defaults[t], chain_col_text(stmt, 0), d);
				free(d);
				free(declared);
			}
			xf_db_finalize(stmt);
		}
	}
	const char *d = fields_get(c->defaults[t], column);
	return d ? d : "（无此项）";
}

/* Fills the differing columns of a row (recorded vs current JSON objects). */
static int diff_columns(struct xf_store *st, struct xf_row_fault *f, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	/* A value as text: a string's own text, anything else its JSON (as SQLite's json_each). */
	static const char *const sql[] = {
		[XF_DB_SQLITE] =
			"SELECT r.key, r.value, c.value, c.key IS NULL FROM json_each(?1) r LEFT JOIN json_each(?2) c ON c.key = r.key "
			"WHERE c.key IS NULL OR r.type <> c.type OR r.value IS NOT c.value "
			"UNION ALL SELECT c.key, NULL, c.value, 2 FROM json_each(?2) c "
			"WHERE c.key NOT IN (SELECT key FROM json_each(?1))",
		[XF_DB_POSTGRESQL] =
			"SELECT r.key, r.value #>> '{}', c.value #>> '{}', CASE WHEN c.key IS NULL THEN 1 ELSE 0 END "
			"FROM json_each(CAST(?1 AS json)) r LEFT JOIN json_each(CAST(?2 AS json)) c ON c.key = r.key "
			"WHERE c.key IS NULL OR json_typeof(r.value) <> json_typeof(c.value) "
			"OR CAST(r.value AS text) IS DISTINCT FROM CAST(c.value AS text) "
			"UNION ALL SELECT c.key, NULL, c.value #>> '{}', 2 FROM json_each(CAST(?2 AS json)) c "
			"WHERE c.key NOT IN (SELECT key FROM json_each(CAST(?1 AS json)))",
	};
	if ((stmt = chain_prepare(st, sql[xf_db_dialect(store_db(st))])) == NULL)
		return chain_fail(st, "比对记录", err);
	xf_db_bind_text(stmt, 1, f->recorded, -1);
	xf_db_bind_text(stmt, 2, f->current, -1);
	int rc;
	while ((rc = xf_db_step(stmt)) == XF_DB_ROW) {
		const char *key = chain_col_text(stmt, 0);
		int missing = (int)xf_db_column_int64(stmt, 3); /* 1: not in the row now, 2: not in the record */
		const char *was = missing == 2 ? column_default(st, f->table, key) : chain_col_text(stmt, 1);
		const char *now = missing == 1 ? column_default(st, f->table, key) : chain_col_text(stmt, 2);
		if (strcmp(was, now) == 0)
			continue;
		fields_add(&f->was, key, was);
		fields_add(&f->now, key, now);
	}
	xf_db_finalize(stmt);
	return rc == XF_DB_DONE ? XF_OK : chain_fail(st, "比对记录", err);
}

/* Fills the rows of a whole table that are only in the record (was) or only in the table (now). */
static int diff_rows(struct xf_store *st, struct xf_row_fault *f, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	static const char *const sql[] = {
		[XF_DB_SQLITE] = "SELECT 0, value FROM (SELECT value FROM json_each(?1) EXCEPT SELECT value FROM json_each(?2)) "
		                 "UNION ALL SELECT 1, value FROM (SELECT value FROM json_each(?2) EXCEPT "
		                 "SELECT value FROM json_each(?1))",
		[XF_DB_POSTGRESQL] =
			"SELECT 0, v FROM (SELECT CAST(value AS text) AS v FROM json_array_elements(CAST(?1 AS json)) "
			"EXCEPT SELECT CAST(value AS text) FROM json_array_elements(CAST(?2 AS json))) x "
			"UNION ALL SELECT 1, v FROM (SELECT CAST(value AS text) AS v FROM json_array_elements(CAST(?2 AS json)) "
			"EXCEPT SELECT CAST(value AS text) FROM json_array_elements(CAST(?1 AS json))) y",
	};
	if ((stmt = chain_prepare(st, sql[xf_db_dialect(store_db(st))])) == NULL)
		return chain_fail(st, "比对记录", err);
	xf_db_bind_text(stmt, 1, f->recorded ? f->recorded : "[]", -1);
	xf_db_bind_text(stmt, 2, f->current ? f->current : "[]", -1);
	int rc;
	while ((rc = xf_db_step(stmt)) == XF_DB_ROW)
		fields_add(xf_db_column_int64(stmt, 0) ? &f->now : &f->was, "行", chain_col_text(stmt, 1));
	xf_db_finalize(stmt);
	return rc == XF_DB_DONE ? XF_OK : chain_fail(st, "比对记录", err);
}

/* The recorded value of one snapshot key in one record. */
static char *recorded_value(struct xf_store *st, int64_t audit_id, const char *key)
{
	static const char *const sql[] = {
		[XF_DB_SQLITE] = "SELECT j.value FROM audit a, json_each(a.snapshot) j WHERE a.id = ?1 AND j.key = ?2",
		[XF_DB_POSTGRESQL] = "SELECT CASE WHEN json_typeof(j.value) = 'null' THEN NULL ELSE CAST(j.value AS text) END "
		                     "FROM audit a, json_each(CAST(a.snapshot AS json)) j WHERE a.id = ?1 AND j.key = ?2",
	};
	struct xf_db_stmt *stmt = chain_prepare(st, sql[xf_db_dialect(store_db(st))]);
	if (stmt == NULL)
		return NULL;
	xf_db_bind_int64(stmt, 1, audit_id);
	xf_db_bind_text(stmt, 2, key, -1);
	char *v = NULL;
	if (xf_db_step(stmt) == XF_DB_ROW && xf_db_column_type(stmt, 0) != XF_DB_NULL)
		v = xstrdup(chain_col_text(stmt, 0));
	xf_db_finalize(stmt);
	return v;
}

/* Builds a fault (recorded_as: the record's rows as given, NULL: as the record holds the key),
 * diffs it and hands it on; false when the caller wants no more. */
static bool report_fault_as(struct xf_store *st, int t, const char *key, int64_t audit_id, const char *recorded_as,
                            const char *current, xf_row_fault_fn fn, void *ctx, int *rc, struct xf_err *err)
{
	struct xf_row_fault f;
	memset(&f, 0, sizeof f);
	f.table = chain_tracked_tables[t].table;
	f.key = key;
	f.audit_id = audit_id;
	f.current = current;
	char *recorded = recorded_as ? xstrdup(recorded_as) : audit_id > 0 ? recorded_value(st, audit_id, key) : NULL;
	f.recorded = recorded;
	fields_init(&f.was);
	fields_init(&f.now);
	if (chain_tracked_tables[t].whole_order)
		*rc = diff_rows(st, &f, err);
	else if (recorded && current)
		*rc = diff_columns(st, &f, err);
	bool more = true;
	/* A snapshot that differs only in how the same values are written is no fault. */
	bool same = recorded && current && f.was.n == 0 && f.now.n == 0;
	if (*rc == XF_OK && !same)
		more = fn(ctx, &f);
	fields_free(&f.was);
	fields_free(&f.now);
	free(recorded);
	return more && *rc == XF_OK;
}

/* Builds a fault, diffs it and hands it on; false when the caller wants no more. */
static bool report_fault(struct xf_store *st, int t, const char *key, int64_t audit_id, const char *current,
                         xf_row_fault_fn fn, void *ctx, int *rc, struct xf_err *err)
{
	return report_fault_as(st, t, key, audit_id, NULL, current, fn, ctx, rc, err);
}

/* A whole table's snapshot from before it was kept per branch (a record's "number_seq" array
 * holding other branches' rows, as records written before this program kept it): the newest
 * such one in the records 1 to upto, its id in *id (0: none) and its array in *value. Until a
 * branch's own key is newer, its rows are checked against their part of it, so a store whose
 * records were written whole verifies as it did. */
static int old_whole(struct xf_store *st, int t, int64_t upto, int64_t *id, char **value, struct xf_err *err)
{
	*id = 0;
	*value = NULL;
	const char *name = chain_tracked_tables[t].table;
	char *sql = xf_db_dialect(store_db(st)) == XF_DB_SQLITE
	                    ? xasprintf("SELECT a.id, j.value FROM main.audit a, json_each(a.snapshot) j "
	                                "WHERE a.id BETWEEN 1 AND ?1 AND instr(a.snapshot, '\"%s\":[') > 0 "
	                                "AND instr(a.snapshot, '\"branch\":') > 0 AND json_valid(a.snapshot) "
	                                "AND j.key = '%s' AND instr(j.value, '\"branch\":') > 0 ORDER BY a.id DESC LIMIT 1",
	                                name, name)
	                    : xasprintf("SELECT a.id, CAST(j.value AS text) FROM audit a, json_each(CAST(a.snapshot AS json)) j "
	                                "WHERE a.id BETWEEN 1 AND ?1 AND a.snapshot LIKE '{%%' "
	                                "AND strpos(a.snapshot, '\"%s\":[') > 0 AND strpos(a.snapshot, '\"branch\":') > 0 "
	                                "AND j.key = '%s' AND strpos(CAST(j.value AS text), '\"branch\":') > 0 "
	                                "ORDER BY a.id DESC LIMIT 1",
	                                name, name);
	struct xf_db_stmt *stmt;
	int rc = chain_prepare_upto(st, sql, upto, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	int step = xf_db_step(stmt);
	if (step == XF_DB_ROW) {
		*id = xf_db_column_int64(stmt, 0);
		*value = xstrdup(chain_col_text(stmt, 1));
	}
	xf_db_finalize(stmt);
	return step == XF_DB_ROW || step == XF_DB_DONE ? XF_OK : chain_fail(st, "读取操作日志", err);
}

/* One branch's rows of a whole table's array (a row without a branch is branch 1's), in its
 * order and as written there. */
static char *branch_part(struct xf_store *st, const char *array, int64_t branch)
{
	static const char *const sql[] = {
		[XF_DB_SQLITE] = "SELECT '[' || coalesce(group_concat(value, ','), '') || ']' FROM (SELECT value "
		                 "FROM json_each(?1) WHERE coalesce(json_extract(value, '$.branch'), 1) = ?2 ORDER BY key)",
		[XF_DB_POSTGRESQL] = "SELECT '[' || coalesce(string_agg(CAST(e.v AS text), ',' ORDER BY e.n), '') || ']' "
		                     "FROM json_array_elements(CAST(?1 AS json)) WITH ORDINALITY AS e(v, n) "
		                     "WHERE coalesce(CAST(e.v ->> 'branch' AS bigint), 1) = ?2",
	};
	struct xf_db_stmt *stmt = chain_prepare(st, sql[xf_db_dialect(store_db(st))]);
	if (stmt == NULL)
		return NULL;
	xf_db_bind_text(stmt, 1, array, -1);
	xf_db_bind_int64(stmt, 2, branch);
	char *v = xf_db_step(stmt) == XF_DB_ROW ? xstrdup(chain_col_text(stmt, 0)) : NULL;
	xf_db_finalize(stmt);
	return v;
}

/* Compares a whole table (one branch's rows, for a table kept whole per branch) with the newest
 * snapshot of its key (or its part of the whole table's older snapshot old, numbered old_id,
 * when that is the newer); false when the caller wants no more. */
static bool check_whole(struct xf_store *st, int t, int64_t branch, int64_t old_id, const char *old,
                        xf_row_fault_fn fn, void *ctx, long *rows, int *rc, struct xf_err *err)
{
	struct xf_buf cur;
	buf_init(&cur);
	if ((*rc = chain_whole_table_json(st, t, branch, &cur, err)) != XF_OK) {
		buf_free(&cur);
		return false;
	}
	(*rows)++;
	char key[96];
	chain_whole_key(t, branch, key, sizeof key);
	char *sql = xasprintf("SELECT audit_id, digest FROM %s WHERE key = ?1", latest_table(st));
	struct xf_db_stmt *stmt = chain_prepare(st, sql);
	free(sql);
	if (stmt == NULL) {
		buf_free(&cur);
		*rc = chain_fail(st, "比对记录", err);
		return false;
	}
	xf_db_bind_text(stmt, 1, key, -1);
	int64_t audit_id = 0;
	bool differs = true, more = true;
	char *part = NULL; /* the branch's part of the older whole snapshot, when that is the newer */
	if (xf_db_step(stmt) == XF_DB_ROW) {
		char digest[65];
		xf_sha256_hex(cur.data, cur.len, digest);
		audit_id = xf_db_column_int64(stmt, 0);
		differs = xf_db_column_type(stmt, 1) == XF_DB_NULL || strcmp(chain_col_text(stmt, 1), digest) != 0;
	} else {
		differs = strcmp(cur.data, "[]") != 0; /* an empty table never written is fine */
	}
	xf_db_finalize(stmt);
	if (old != NULL && old_id >= audit_id) {
		if ((part = branch_part(st, old, branch)) == NULL) {
			buf_free(&cur);
			*rc = chain_fail(st, "比对记录", err);
			return false;
		}
		audit_id = old_id;
		differs = strcmp(part, cur.data) != 0;
	}
	if (differs)
		more = report_fault_as(st, t, key, audit_id, part, cur.data, fn, ctx, rc, err);
	free(part);
	buf_free(&cur);
	return more;
}

/* Orders branch ids. */
static int cmp_branch(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The branches a table kept whole per branch is checked for, in order: those with rows in it
 * and those with a snapshot key ("number_seq": 1, "number_seq@<n>": n; a key naming no branch
 * counts as one that names a branch with no rows, so its snapshot is reported). */
static int snapshot_branches(struct xf_store *st, int t, const char *old, int64_t **out, size_t *n,
                             xf_row_fault_fn fn, void *ctx, bool *more, struct xf_err *err)
{
	const char *name = chain_tracked_tables[t].table;
	size_t cap = 16;
	int64_t *v = xrealloc(NULL, cap * sizeof *v);
	*n = 0;
	char *table_sql = xasprintf("SELECT DISTINCT branch FROM %s\"%s\"", chain_main_schema(st), name);
	char *key_sql = xasprintf("SELECT key, audit_id FROM %s WHERE key = ?1 OR substr(key, 1, %zu) = ?2", latest_table(st),
	                          strlen(name) + 1);
	char at[96];
	snprintf(at, sizeof at, "%s@", name);
	int rc = XF_OK;
	for (int pass = 0; pass < 2 && rc == XF_OK; pass++) {
		struct xf_db_stmt *stmt = chain_prepare(st, pass == 0 ? table_sql : key_sql);
		if (stmt == NULL) {
			rc = chain_fail(st, "比对记录", err);
			break;
		}
		if (pass == 1) {
			xf_db_bind_text(stmt, 1, name, -1);
			xf_db_bind_text(stmt, 2, at, -1);
		}
		int step = XF_DB_DONE;
		while (*more && (step = xf_db_step(stmt)) == XF_DB_ROW) {
			int64_t b;
			if (pass == 0) {
				b = xf_db_column_int64(stmt, 0);
			} else {
				const char *key = chain_col_text(stmt, 0);
				char *end = NULL;
				b = strcmp(key, name) == 0 ? 1 : strtoll(key + strlen(at), &end, 10);
				if (end != NULL && (*end != '\0' || end == key + strlen(at) || b <= 1)) {
					/* A forged key: reported as a snapshot whose rows are gone. */
					char *k = xstrdup(key);
					*more = report_fault(st, t, k, xf_db_column_int64(stmt, 1), NULL, fn, ctx, &rc, err);
					free(k);
					continue;
				}
			}
			if (*n == cap)
				v = xrealloc(v, (cap *= 2) * sizeof *v);
			v[(*n)++] = b;
		}
		xf_db_finalize(stmt);
		if (*more && step != XF_DB_DONE && rc == XF_OK)
			rc = chain_fail(st, "比对记录", err);
	}
	free(table_sql);
	free(key_sql);
	/* ... and those with rows in the older whole snapshot (branch 1's have no branch there) */
	for (const char *p = old ? strstr(old, "\"branch\":") : NULL; p; p = strstr(p + 1, "\"branch\":")) {
		if (*n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof *v);
		v[(*n)++] = strtoll(p + 9, NULL, 10);
	}
	qsort(v, *n, sizeof *v, cmp_branch);
	size_t u = 0;
	for (size_t i = 0; i < *n; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	*n = u;
	*out = v;
	return rc;
}

/* Compares every covered row with its newest snapshot in the records 1 to upto. */
int store_chain_rows_check(struct xf_store *st, int64_t upto, xf_row_fault_fn fn, void *ctx, long *rows,
                           struct xf_err *err)
{
	*rows = 0;
	struct xf_db *db = store_db(st);
	struct xf_chain *c = *store_chain_slot(st);
	int rc = chain_refresh_schema(st, err);
	if (rc != XF_OK)
		return rc;
	/* The records' snapshots are read with SQLite's JSON functions and a digest function of
	 * ours into a TEMP table; on PostgreSQL with json_each (the json type keeps each value's
	 * text as written, so its digest is the digest of the canonical JSON) and sha256. */
	enum xf_db_dialect dialect = xf_db_dialect(db);
	const char *latest_name = latest_table(st);
	if (dialect == XF_DB_SQLITE)
		sqlite3_create_function(xf_db_native(db), "xf_sha256", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
		                        sql_sha256, NULL, NULL);
	/* The newest snapshot of every row, kept as a digest beside the record it is in; only the
	 * records the chain walk proved count (never one numbered below 1 or past a break). */
	struct xf_db_stmt *latest;
	struct xf_err ignored; /* said in the chain's own words */
	/* Made before the read transaction on PostgreSQL (store_read_begin), here when none is open. */
	if ((dialect == XF_DB_SQLITE || !xf_db_in_transaction(db)) &&
	    xf_db_exec(db, latest_create[dialect], &ignored, "") != XF_OK)
		return chain_fail(st, "读取操作日志", err);
	char *clear = xasprintf("DELETE FROM %s", latest_name);
	rc = xf_db_exec(db, clear, &ignored, "");
	free(clear);
	if (rc != XF_OK)
		return chain_fail(st, "读取操作日志", err);
	static const char *const fill[] = {
		[XF_DB_SQLITE] = "INSERT INTO temp.xf_latest(key, audit_id, digest) "
		                 " SELECT j.key, a.id, CASE WHEN j.type = 'null' THEN NULL ELSE xf_sha256(j.value) END "
		                 " FROM main.audit a, json_each(a.snapshot) j "
		                 " WHERE a.id BETWEEN 1 AND ?1 AND json_valid(a.snapshot) ORDER BY a.id "
		                 " ON CONFLICT(key) DO UPDATE SET audit_id = excluded.audit_id, digest = excluded.digest;",
		/* The newest record's value of each key: DISTINCT ON, newest first. */
		[XF_DB_POSTGRESQL] =
			"INSERT INTO pg_temp.xf_latest(key, audit_id, digest) "
			" SELECT DISTINCT ON (j.key) j.key, a.id, CASE WHEN json_typeof(j.value) = 'null' THEN NULL "
			"  ELSE encode(sha256(convert_to(CAST(j.value AS text), 'UTF8')), 'hex') END "
			" FROM audit a, json_each(CAST(a.snapshot AS json)) j "
			" WHERE a.id BETWEEN 1 AND ?1 AND a.snapshot LIKE '{%' ORDER BY j.key, a.id DESC",
	};
	if ((rc = chain_prepare_upto(st, fill[dialect], upto, &latest, err)) != XF_OK)
		return rc;
	int filled = xf_db_step(latest);
	xf_db_finalize(latest);
	if (filled != XF_DB_DONE)
		return chain_fail(st, "读取操作日志", err);
	bool more = true;
	for (int t = 0; t < NTRACKED && more && rc == XF_OK; t++) {
		if (c->held[t].n == 0)
			continue;
		const char *name = chain_tracked_tables[t].table;
		struct xf_db_stmt *stmt;
		char *sql;
		if (chain_tracked_tables[t].whole_order) {
			if (!chain_split_by_branch(c, t)) {
				more = check_whole(st, t, 1, 0, NULL, fn, ctx, rows, &rc, err);
				continue;
			}
			/* Every branch with rows in the table or a snapshot key of its own, or rows in
			 * a snapshot of the whole table from before. */
			int64_t *branches = NULL, old_id;
			size_t nb = 0;
			char *old;
			if ((rc = old_whole(st, t, upto, &old_id, &old, err)) == XF_OK &&
			    (rc = snapshot_branches(st, t, old, &branches, &nb, fn, ctx, &more, err)) == XF_OK)
				for (size_t k = 0; k < nb && more && rc == XF_OK; k++)
					more = check_whole(st, t, branches[k], old_id, old, fn, ctx, rows, &rc, err);
			free(branches);
			free(old);
			continue;
		}
		/* Rows whose newest snapshot is missing or differs. */
		sql = xasprintf("SELECT l.audit_id, l.digest, t.%s, %s "
		                "FROM %s\"%s\" t LEFT JOIN %s l ON l.key = '%s:' || t.%s ORDER BY t.%s",
		                c->held[t].key, c->held[t].select, chain_main_schema(st), name, latest_name, name, c->held[t].key,
		                c->held[t].key);
		stmt = chain_prepare(st, sql);
		free(sql);
		if (stmt == NULL) {
			rc = chain_fail(st, "比对记录", err);
			break;
		}
		struct xf_buf cur;
		buf_init(&cur);
		while (more && xf_db_step(stmt) == XF_DB_ROW) {
			(*rows)++;
			cur.len = 0;
			chain_stmt_row_json(db, stmt, 3, &c->held[t], &cur);
			char digest[65];
			xf_sha256_hex(cur.data, cur.len, digest);
			if (xf_db_column_type(stmt, 1) != XF_DB_NULL && strcmp(chain_col_text(stmt, 1), digest) == 0)
				continue;
			char key[96];
			snprintf(key, sizeof key, "%s:%lld", name, (long long)xf_db_column_int64(stmt, 2));
			more = report_fault(st, t, key, xf_db_column_int64(stmt, 0), cur.data, fn, ctx, &rc, err);
		}
		buf_free(&cur);
		xf_db_finalize(stmt);
		if (!more || rc != XF_OK)
			break;
		/* Rows recorded as present that are gone. */
		/* (PostgreSQL: a key whose number is not one, a forged one, matches no row.) */
		sql = xasprintf(dialect == XF_DB_SQLITE
		                    ? "SELECT l.key, l.audit_id FROM %s l WHERE l.key > '%s:' AND l.key < '%s;' "
		                      "AND l.digest IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s\"%s\" t "
		                      "WHERE t.%s = CAST(substr(l.key, %zu) AS INTEGER)) ORDER BY l.audit_id"
		                    : "SELECT l.key, l.audit_id FROM %s l WHERE l.key > '%s:' AND l.key < '%s;' "
		                      "AND l.digest IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s\"%s\" t "
		                      "WHERE CAST(t.%s AS text) = substr(l.key, %zu)) ORDER BY l.audit_id",
		                latest_name, name, name, chain_main_schema(st), name, c->held[t].key, strlen(name) + 2);
		stmt = chain_prepare(st, sql);
		free(sql);
		if (stmt == NULL) {
			rc = chain_fail(st, "比对记录", err);
			break;
		}
		while (more && xf_db_step(stmt) == XF_DB_ROW) {
			char *key = xstrdup(chain_col_text(stmt, 0));
			more = report_fault(st, t, key, xf_db_column_int64(stmt, 1), NULL, fn, ctx, &rc, err);
			free(key);
		}
		xf_db_finalize(stmt);
	}
	char *empty = xasprintf("DELETE FROM %s", latest_name);
	xf_db_exec(db, empty, &ignored, "");
	free(empty);
	return rc;
}

/* The ledger's SQL: the one-pass scan behind export and the long-running writer behind import. */
#include "xinfang/store_ledger.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* Binds the open-ended receipt range and the department (NULL: any). */
static void bind_range(sqlite3_stmt *stmt, const char *since, const char *until, const char *department)
{
	sqlite3_bind_text(stmt, 1, since ? since : "0000-00-00", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, until ? until : "9999-99-99", -1, SQLITE_TRANSIENT);
	if (department)
		sqlite3_bind_text(stmt, 3, department, -1, SQLITE_TRANSIENT);
}

/* Counts the cases of a period. */
int store_ledger_count(struct xf_store *st, const char *since, const char *until, const char *department,
                       long *count, struct xf_err *err)
{
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM cases WHERE received BETWEEN ?1 AND ?2 AND (?3 IS NULL OR department = ?3)", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sql_fail(st, rc, err, "统计台账行数");
	bind_range(stmt, since, until, department);
	rc = sqlite3_step(stmt);
	*count = rc == SQLITE_ROW ? (long)sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? XF_OK : store_sql_fail(st, rc, err, "统计台账行数");
}

static const char ledger_sql[] =
	"SELECT c.number, c.received, c.received_time, c.channel, "
	" coalesce(p.name, '') AS name, coalesce(p.gender, '') AS gender, coalesce(p.age, '') AS age, "
	" coalesce(p.id_type, '') AS id_type, coalesce(p.id_number, '') AS id_number, coalesce(p.phone, '') AS phone, coalesce(p.address, '') AS address, "
	" coalesce(p.work_unit, '') AS work_unit, c.people, c.anonymous, c.confidential, c.subject, c.accused, "
	" c.category, "
	" c.amount, c.summary, c.materials, c.first_asked, c.receiver, c.importance, c.spot_answer, "
	" c.jrt_channel, c.jrt_type, c.jrt_cause, c.state, c.closure, c.department, "
	" coalesce(t.co_departments, '') AS co_departments, coalesce(t.handler, '') AS transfer_handler, "
	" coalesce(i.text, t.instruction, '') AS instruction, coalesce(i.leader, t.leader, '') AS leader, "
	" coalesce(i.given_on, '') AS instructed_on, coalesce(t.opinion, '') AS opinion, "
	" coalesce(t.deadline, '') AS deadline, c.transferred_on, "
	" coalesce(o.findings, '') AS findings, coalesce(o.accountability, '') AS accountability, "
	" coalesce(o.rectification, '') AS rectification, coalesce(o.satisfaction, '') AS satisfaction, "
	" coalesce(o.handled_on, '') AS handled_on, coalesce(o.handler, '') AS outcome_handler, "
	" coalesce(o.dept_head, '') AS dept_head, coalesce(o.contact_phone, '') AS contact_phone, c.reported_on, "
	" coalesce(r.method, '') AS reply_method, c.replied_on, coalesce(r.content, '') AS reply_content, "
	" c.closed_on, coalesce(k.reason, '') AS closure_reason, coalesce(k.advice, '') AS advice, "
	" coalesce(k.voluntary, '') AS voluntary, "
	" c.due_transfer, c.due_handle, c.due_reply, c.orig_due_handle, c.orig_due_reply, c.ruleset, c.due_estimated, "
	" coalesce((SELECT group_concat(x.number, ',') FROM links l JOIN cases x ON x.id = l.linked_id "
	"           WHERE l.case_id = c.id), '') AS links, "
	" c.created_by, c.created_at "
	"FROM cases c "
	"LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	"LEFT JOIN transfers t ON t.id = (SELECT max(id) FROM transfers WHERE case_id = c.id) "
	"LEFT JOIN instructions i ON i.id = (SELECT max(id) FROM instructions WHERE case_id = c.id) "
	"LEFT JOIN outcomes o ON o.id = (SELECT max(id) FROM outcomes WHERE case_id = c.id) "
	"LEFT JOIN replies r ON r.id = (SELECT max(id) FROM replies WHERE case_id = c.id) "
	"LEFT JOIN closures k ON k.id = (SELECT max(id) FROM closures WHERE case_id = c.id) "
	"WHERE c.received BETWEEN ?1 AND ?2 AND (?3 IS NULL OR c.department = ?3) "
	"ORDER BY c.received, c.year, c.seq";

/* Every case of a period with its latest records. */
int store_ledger_scan(struct xf_store *st, const char *since, const char *until, const char *department,
                      xf_ledger_row_fn fn, void *ctx, struct xf_err *err)
{
	sqlite3 *db = store_sqlite(st);
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v2(db, ledger_sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sql_fail(st, rc, err, "读取台账");
	bind_range(stmt, since, until, department);
	int n = sqlite3_column_count(stmt);
	const char **names = xcalloc((size_t)n, sizeof *names);
	const char **values = xcalloc((size_t)n, sizeof *values);
	for (int i = 0; i < n; i++)
		names[i] = sqlite3_column_name(stmt, i);
	int stop = 0;
	while (stop == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			const unsigned char *v = sqlite3_column_text(stmt, i);
			values[i] = v ? (const char *)v : "";
		}
		stop = fn(ctx, n, names, values);
	}
	int result = XF_OK;
	if (stop != 0)
		result = stop;
	else if (rc != SQLITE_DONE)
		result = store_sql_fail(st, rc, err, "读取台账");
	sqlite3_finalize(stmt);
	free(names);
	free(values);
	return result;
}

/* One prepared INSERT, by the shape of its column list. */
struct bulk_stmt {
	char *shape; /* "table:col,col,..." */
	sqlite3_stmt *stmt;
};

struct xf_bulk {
	struct xf_store *st;
	sqlite3 *db;
	struct bulk_stmt *inserts;
	size_t n;
	sqlite3_stmt *case_id, *raise_seq, *note_case;
	bool writing;    /* inside the caller's write transaction: the index triggers are set aside */
	long cache_size; /* the connection's page cache before the import raised it */
	char **count_triggers; /* the status bar's count triggers, set aside while writing */
	size_t ncount_triggers;
	sqlite3_int64 last_case; /* the newest case before the import: those after it are counted */
	bool own_read;   /* a dry run: the writer holds a read transaction of its own */
};

/* The status bar's count triggers (schema version 14) set aside for the import's transaction:
 * fired per case they made every insert keep a statement journal and a dozen upserts (an
 * import 20 to 40 % slower); store_bulk_finish counts the imported cases at once and puts the
 * triggers back as they were written, and a rollback brings them back with everything else. */
static int counts_aside(struct xf_bulk *b, struct xf_err *err)
{
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v2(b->db,
	                            "SELECT sql, (SELECT coalesce(max(id), 0) FROM main.cases) FROM main.sqlite_schema "
	                            "WHERE type = 'trigger' AND tbl_name = 'cases' "
	                            "AND name IN ('pending_counts_insert', 'pending_counts_update', 'pending_counts_delete') "
	                            "ORDER BY name",
	                            -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sql_fail(b->st, rc, err, "准备导入");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		b->count_triggers = xrealloc(b->count_triggers, (b->ncount_triggers + 1) * sizeof *b->count_triggers);
		b->count_triggers[b->ncount_triggers++] = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		b->last_case = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_sql_fail(b->st, rc, err, "准备导入");
	static const char *const names[] = {"pending_counts_insert", "pending_counts_update", "pending_counts_delete"};
	for (size_t i = 0; i < sizeof names / sizeof names[0] && b->ncount_triggers; i++) {
		char *drop = xasprintf("DROP TRIGGER IF EXISTS main.%s", names[i]);
		rc = store_sql_exec(b->st, drop, err, "准备导入");
		free(drop);
		if (rc != XF_OK)
			return rc;
	}
	return XF_OK;
}

/* Before the import's commit: the imported cases counted per due date in one statement per
 * limit, scope and date (as the triggers would have, case by case), and the triggers back. */
int store_bulk_finish(struct xf_bulk *b, struct xf_err *err)
{
	if (!b->writing || b->ncount_triggers == 0)
		return XF_OK;
	int rc = XF_OK;
	for (int k = 0; k < 3 && rc == XF_OK; k++)
		for (int scope = 0; scope < 2 && rc == XF_OK; scope++)
			for (int all = 0; all < 2 && rc == XF_OK; all++) {
				char *recount = store_pending_recount_sql(k, scope, all, (long long)b->last_case);
				char *sql = xasprintf("INSERT INTO main.pending_counts (kind, scope, department, due, n) %s "
				                      "ON CONFLICT (kind, scope, department, due) DO UPDATE SET n = n + excluded.n",
				                      recount);
				rc = store_sql_exec(b->st, sql, err, "统计导入的时限");
				free(sql);
				free(recount);
			}
	for (size_t i = 0; i < b->ncount_triggers && rc == XF_OK; i++)
		rc = store_sql_exec(b->st, b->count_triggers[i], err, "统计导入的时限");
	return rc;
}

/* Starts a writer. */
int store_bulk_open(struct xf_store *st, struct xf_bulk **out, struct xf_err *err)
{
	struct xf_bulk *b = xcalloc(1, sizeof *b);
	b->st = st;
	b->db = store_sqlite(st);
	/* A large import updates a dozen indexes per case: a bigger page cache keeps them in memory. */
	sqlite3_stmt *pragma;
	if (sqlite3_prepare_v2(b->db, "PRAGMA cache_size", -1, &pragma, NULL) == SQLITE_OK) {
		b->cache_size = sqlite3_step(pragma) == SQLITE_ROW ? (long)sqlite3_column_int64(pragma, 0) : -2000;
		sqlite3_finalize(pragma);
	}
	sqlite3_exec(b->db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
	/* Outside the caller's transaction (a dry run) the lookups share one read transaction. */
	if (sqlite3_get_autocommit(b->db))
		b->own_read = sqlite3_exec(b->db, "BEGIN DEFERRED", NULL, NULL, NULL) == SQLITE_OK;
	else if (store_search_bulk_begin(st, err) == XF_OK && counts_aside(b, err) == XF_OK)
		b->writing = true;
	else {
		store_bulk_close(b, err); /* not writing: nothing to put back, err kept */
		*out = NULL;
		return err->code;
	}
	int rc = sqlite3_prepare_v2(b->db, "SELECT id FROM cases WHERE year = ?1 AND seq = ?2", -1, &b->case_id, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(b->db,
		                        "INSERT INTO number_seq(year, last) VALUES (?1, ?2) "
		                        "ON CONFLICT(year) DO UPDATE SET last = max(last, excluded.last)",
		                        -1, &b->raise_seq, NULL);
	if (rc != SQLITE_OK) {
		int code = store_sql_fail(b->st, rc, err, "准备导入");
		struct xf_err ignored; /* the preparing failure is the one to report */
		store_bulk_close(b, &ignored);
		*out = NULL;
		return code;
	}
	*out = b;
	return XF_OK;
}

/* Tables an import writes. */
static bool bulk_table_known(const char *table)
{
	static const char *const tables[] = {"cases",     "petitioners", "transfers", "instructions", "outcomes",
	                                     "replies",   "closures",    "links",     "imports"};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (strcmp(tables[i], table) == 0)
			return true;
	return false;
}

/* Checks the columns of a new shape against the table. */
static int bulk_check_columns(struct xf_bulk *b, const char *table, const struct xf_fields *cols,
                              struct xf_err *err)
{
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(b->db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &stmt, NULL) != SQLITE_OK)
		return store_sql_fail(b->st, SQLITE_ERROR, err, "准备导入");
	int rc = XF_OK;
	for (size_t i = 0; i < cols->n && rc == XF_OK; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, cols->v[i].key, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_ROW)
			rc = xf_err_set(err, XF_EINVAL, "内部错误：表 %s 没有字段 %s", table, cols->v[i].key);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* The prepared INSERT for a table and column list, made on first use. */
static int bulk_statement(struct xf_bulk *b, const char *table, const struct xf_fields *cols, sqlite3_stmt **out,
                          struct xf_err *err)
{
	struct xf_buf shape;
	buf_init(&shape);
	buf_puts(&shape, table);
	buf_puts(&shape, ":");
	for (size_t i = 0; i < cols->n; i++) {
		buf_puts(&shape, cols->v[i].key);
		buf_puts(&shape, ",");
	}
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->inserts[i].shape, shape.data) == 0) {
			buf_free(&shape);
			*out = b->inserts[i].stmt;
			return XF_OK;
		}
	if (!bulk_table_known(table)) {
		buf_free(&shape);
		return xf_err_set(err, XF_EINVAL, "内部错误：导入不写表 %s", table);
	}
	int rc = bulk_check_columns(b, table, cols, err);
	if (rc != XF_OK) {
		buf_free(&shape);
		return rc;
	}
	struct xf_buf sql;
	buf_init(&sql);
	store_insert_sql(&sql, table, cols);
	sqlite3_stmt *stmt;
	int prc = sqlite3_prepare_v3(b->db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	buf_free(&sql);
	if (prc != SQLITE_OK) {
		buf_free(&shape);
		return store_sql_fail(b->st, prc, err, "准备导入");
	}
	b->inserts = xrealloc(b->inserts, (b->n + 1) * sizeof *b->inserts);
	b->inserts[b->n].shape = shape.data;
	b->inserts[b->n].stmt = stmt;
	b->n++;
	*out = stmt;
	return XF_OK;
}

/* Inserts one row. */
int store_bulk_insert(struct xf_bulk *b, const char *table, const struct xf_fields *cols, int64_t *rowid,
                      struct xf_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = bulk_statement(b, table, cols, &stmt, err);
	if (rc != XF_OK)
		return rc;
	for (size_t i = 0; i < cols->n; i++)
		sqlite3_bind_text(stmt, (int)i + 1, cols->v[i].val, -1, SQLITE_STATIC);
	int step = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (step != SQLITE_DONE)
		return store_sql_fail(b->st, step, err, "导入记录");
	int64_t id = sqlite3_last_insert_rowid(b->db);
	if (rowid)
		*rowid = id;
	/* The trail's snapshot of the row from the values in hand, not read back. */
	store_chain_hold_row(b->st, table, id, cols);
	/* Every text an import writes belongs to a case it writes: noting the case is enough. */
	if (b->writing && strcmp(table, "cases") == 0)
		return store_search_note(b->st, &b->note_case, id, err);
	return XF_OK;
}

/* Looks a number up. */
int store_bulk_case_id(struct xf_bulk *b, int year, int seq, int64_t *id, struct xf_err *err)
{
	sqlite3_bind_int(b->case_id, 1, year);
	sqlite3_bind_int(b->case_id, 2, seq);
	int rc = sqlite3_step(b->case_id);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(b->case_id, 0) : 0;
	sqlite3_reset(b->case_id);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sql_fail(b->st, rc, err, "查找编号");
	return XF_OK;
}

/* The last number given in a year (0: none yet). */
int store_bulk_last_seq(struct xf_bulk *b, int year, int *last, struct xf_err *err)
{
	sqlite3_stmt *stmt;
	int rc = sqlite3_prepare_v2(b->db, "SELECT last FROM number_seq WHERE year = ?1", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sql_fail(b->st, rc, err, "读取编号顺序");
	sqlite3_bind_int(stmt, 1, year);
	rc = sqlite3_step(stmt);
	*last = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? XF_OK : store_sql_fail(b->st, rc, err, "读取编号顺序");
}

/* Raises a year's sequence. */
int store_bulk_raise_seq(struct xf_bulk *b, int year, int seq, struct xf_err *err)
{
	sqlite3_bind_int(b->raise_seq, 1, year);
	sqlite3_bind_int(b->raise_seq, 2, seq);
	int rc = sqlite3_step(b->raise_seq);
	sqlite3_reset(b->raise_seq);
	return rc == SQLITE_DONE ? XF_OK : store_sql_fail(b->st, rc, err, "更新编号顺序");
}

/* Finalizes the writer's statements and, after its transaction ended, puts the index's
 * triggers back; fails only when they could not be put back. */
int store_bulk_close(struct xf_bulk *b, struct xf_err *err)
{
	if (b == NULL)
		return XF_OK;
	for (size_t i = 0; i < b->n; i++) {
		sqlite3_finalize(b->inserts[i].stmt);
		free(b->inserts[i].shape);
	}
	free(b->inserts);
	sqlite3_finalize(b->case_id);
	sqlite3_finalize(b->raise_seq);
	sqlite3_finalize(b->note_case);
	for (size_t i = 0; i < b->ncount_triggers; i++)
		free(b->count_triggers[i]);
	free(b->count_triggers);
	int rc = b->writing ? store_search_bulk_end(b->st, err) : XF_OK;
	if (b->own_read)
		sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
	char *restore = sqlite3_mprintf("PRAGMA cache_size = %ld", b->cache_size ? b->cache_size : -2000);
	sqlite3_exec(b->db, restore, NULL, NULL, NULL);
	sqlite3_free(restore);
	free(b);
	return rc;
}

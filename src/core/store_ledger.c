/* The ledger's SQL: the one-pass scan behind export and the long-running writer behind import,
 * through the storage seam; what only SQLite has (its page cache, setting its count triggers
 * aside, the new row's id without RETURNING) is behind its dialect. */
#include "xinfang/store_ledger.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* Binds the open-ended receipt range and the department (NULL: any). */
static void bind_range(struct xf_db_stmt *stmt, const char *since, const char *until, const char *department)
{
	xf_db_bind_text(stmt, 1, since ? since : "0000-00-00", -1);
	xf_db_bind_text(stmt, 2, until ? until : "9999-99-99", -1);
	xf_db_bind_text(stmt, 3, department, -1); /* NULL: any */
}

/* Counts the cases of a period. */
int store_ledger_count(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                       const char *department, long *count, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	struct xf_err ignored; /* said as the count's failure */
	char *in_reach = store_reach_sql(reach, "branch", 4);
	char *sql = xasprintf("SELECT count(*) FROM cases WHERE received BETWEEN ?1 AND ?2 "
	                      "AND (CAST(?3 AS TEXT) IS NULL OR department = ?3) AND %s",
	                      in_reach);
	free(in_reach);
	int rc = store_db_prepare(st, sql, &stmt, &ignored);
	free(sql);
	if (rc != XF_OK)
		return store_db_fail(st, err, "统计台账行数");
	bind_range(stmt, since, until, department);
	store_reach_bind(stmt, reach, 4);
	enum xf_db_step step = xf_db_step(stmt);
	*count = step == XF_DB_ROW ? (long)xf_db_column_int64(stmt, 0) : 0;
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : store_db_fail(st, err, "统计台账行数");
}

/* The scan, with the aggregate that joins a case's linked numbers (SQLite's group_concat,
 * PostgreSQL's string_agg). */
#define LEDGER_SQL(JOINED) \
	"SELECT c.number, c.received, c.received_time, c.channel, " \
	" coalesce(p.name, '') AS name, coalesce(p.gender, '') AS gender, coalesce(p.age, '') AS age, " \
	" coalesce(p.id_type, '') AS id_type, coalesce(p.id_number, '') AS id_number, coalesce(p.phone, '') AS phone, coalesce(p.address, '') AS address, " \
	" coalesce(p.work_unit, '') AS work_unit, c.people, c.anonymous, c.confidential, c.subject, c.accused, " \
	" c.category, " \
	" c.amount, c.summary, c.materials, c.first_asked, c.receiver, c.importance, c.spot_answer, " \
	" c.jrt_channel, c.jrt_type, c.jrt_cause, c.state, c.closure, c.department, " \
	" coalesce(t.co_departments, '') AS co_departments, coalesce(t.handler, '') AS transfer_handler, " \
	" coalesce(i.text, t.instruction, '') AS instruction, coalesce(i.leader, t.leader, '') AS leader, " \
	" coalesce(i.given_on, '') AS instructed_on, coalesce(t.opinion, '') AS opinion, " \
	" coalesce(t.deadline, '') AS deadline, c.transferred_on, " \
	" coalesce(o.findings, '') AS findings, coalesce(o.accountability, '') AS accountability, " \
	" coalesce(o.rectification, '') AS rectification, coalesce(o.satisfaction, '') AS satisfaction, " \
	" coalesce(o.handled_on, '') AS handled_on, coalesce(o.handler, '') AS outcome_handler, " \
	" coalesce(o.dept_head, '') AS dept_head, coalesce(o.contact_phone, '') AS contact_phone, c.reported_on, " \
	" coalesce(r.method, '') AS reply_method, c.replied_on, coalesce(r.content, '') AS reply_content, " \
	" c.closed_on, coalesce(k.reason, '') AS closure_reason, coalesce(k.advice, '') AS advice, " \
	" coalesce(k.voluntary, '') AS voluntary, " \
	" c.due_transfer, c.due_handle, c.due_reply, c.orig_due_handle, c.orig_due_reply, c.ruleset, c.due_estimated, " \
	" coalesce((SELECT " JOINED " FROM links l JOIN cases x ON x.id = l.linked_id " \
	"           WHERE l.case_id = c.id), '') AS links, " \
	" c.created_by, c.created_at, c.branch " \
	"FROM cases c " \
	"LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 " \
	"LEFT JOIN transfers t ON t.id = (SELECT max(id) FROM transfers WHERE case_id = c.id) " \
	"LEFT JOIN instructions i ON i.id = (SELECT max(id) FROM instructions WHERE case_id = c.id) " \
	"LEFT JOIN outcomes o ON o.id = (SELECT max(id) FROM outcomes WHERE case_id = c.id) " \
	"LEFT JOIN replies r ON r.id = (SELECT max(id) FROM replies WHERE case_id = c.id) " \
	"LEFT JOIN closures k ON k.id = (SELECT max(id) FROM closures WHERE case_id = c.id) " \
	"WHERE c.received BETWEEN ?1 AND ?2 AND (CAST(?3 AS TEXT) IS NULL OR c.department = ?3) AND %s "       \
	"ORDER BY c.received, c.year, c.seq"

/* Every case of a period with its latest records. */
int store_ledger_scan(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                      const char *department, xf_ledger_row_fn fn, void *ctx, struct xf_err *err)
{
	static const char *const sql[] = {
		[XF_DB_SQLITE] = LEDGER_SQL("group_concat(x.number, ',')"),
		[XF_DB_POSTGRESQL] = LEDGER_SQL("string_agg(x.number, ',' ORDER BY l.id)"),
	};
	struct xf_db_stmt *stmt;
	struct xf_err ignored; /* said as the scan's failure */
	char *in_reach = store_reach_sql(reach, "c.branch", 4);
	char *text = xasprintf(sql[xf_db_dialect(store_db(st))], in_reach);
	free(in_reach);
	int rc = store_db_prepare(st, text, &stmt, &ignored);
	free(text);
	if (rc != XF_OK)
		return store_db_fail(st, err, "读取台账");
	bind_range(stmt, since, until, department);
	store_reach_bind(stmt, reach, 4);
	int n = xf_db_column_count(stmt);
	const char **names = xcalloc((size_t)n, sizeof *names);
	const char **values = xcalloc((size_t)n, sizeof *values);
	int stop = 0;
	bool named = false;
	enum xf_db_step step = XF_DB_DONE;
	while (stop == 0 && (step = xf_db_step(stmt)) == XF_DB_ROW) {
		/* The names are read once stepped: SQLite prepares a statement again when a bound
		 * LIKE pattern (the reach's path) lets it use an index, and the names read before
		 * that are gone with the old one. */
		for (int i = 0; i < n && !named; i++)
			names[i] = xf_db_column_name(stmt, i);
		named = true;
		for (int i = 0; i < n; i++) {
			const char *v = xf_db_column_text(stmt, i);
			values[i] = v ? v : "";
		}
		stop = fn(ctx, n, names, values);
	}
	int result = XF_OK;
	if (stop != 0)
		result = stop;
	else if (step != XF_DB_DONE)
		result = store_db_fail(st, err, "读取台账");
	xf_db_finalize(stmt);
	free(names);
	free(values);
	return result;
}

/* One prepared INSERT, by the shape of its column list. */
struct bulk_stmt {
	char *shape; /* "table:col,col,..." */
	struct xf_db_stmt *stmt;
};

struct xf_bulk {
	struct xf_store *st;
	struct xf_db *db;
	struct bulk_stmt *inserts;
	size_t n;
	struct xf_db_stmt *case_id, *raise_seq, *note_case;
	bool writing;    /* inside the caller's write transaction: the index triggers are set aside */
	long cache_size; /* the connection's page cache before the import raised it (SQLite) */
	char **count_triggers; /* the status bar's count triggers, set aside while writing */
	size_t ncount_triggers;
	int64_t last_case; /* the newest case before the import: those after it are counted */
	bool own_read;   /* a dry run: the writer holds a read transaction of its own */
};

/* The status bar's count triggers (schema version 14) set aside for the import's transaction:
 * fired per case they made every insert keep a statement journal and a dozen upserts (an
 * import 20 to 40 % slower); store_bulk_finish counts the imported cases at once and puts the
 * triggers back as they were written, and a rollback brings them back with everything else.
 * SQLite's: a trigger's text is read back from sqlite_schema. On PostgreSQL the triggers keep
 * counting case by case (setting them aside there is not yet: issue 19). */
static int counts_aside(struct xf_bulk *b, struct xf_err *err)
{
	if (xf_db_dialect(b->db) != XF_DB_SQLITE)
		return XF_OK;
	struct xf_db_stmt *stmt;
	struct xf_err ignored; /* said as the import's preparation */
	if (store_db_prepare(b->st,
	                     "SELECT sql, (SELECT coalesce(max(id), 0) FROM main.cases) FROM main.sqlite_schema "
	                     "WHERE type = 'trigger' AND tbl_name = 'cases' "
	                     "AND name IN ('pending_counts_insert', 'pending_counts_update', 'pending_counts_delete') "
	                     "ORDER BY name",
	                     &stmt, &ignored) != XF_OK)
		return store_db_fail(b->st, err, "准备导入");
	enum xf_db_step step;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		b->count_triggers = xrealloc(b->count_triggers, (b->ncount_triggers + 1) * sizeof *b->count_triggers);
		b->count_triggers[b->ncount_triggers++] = xstrdup(xf_db_column_text(stmt, 0));
		b->last_case = xf_db_column_int64(stmt, 1);
	}
	xf_db_finalize(stmt);
	if (step != XF_DB_DONE)
		return store_db_fail(b->st, err, "准备导入");
	static const char *const names[] = {"pending_counts_insert", "pending_counts_update", "pending_counts_delete"};
	for (size_t i = 0; i < sizeof names / sizeof names[0] && b->ncount_triggers; i++) {
		char *drop = xasprintf("DROP TRIGGER IF EXISTS main.%s", names[i]);
		int rc = store_db_exec(b->st, drop, err, "准备导入");
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
				char *sql = xasprintf("INSERT INTO main.pending_counts (branch, kind, scope, department, due, n) %s "
				                      "ON CONFLICT (branch, kind, scope, department, due) DO UPDATE SET n = n + excluded.n",
				                      recount);
				rc = store_db_exec(b->st, sql, err, "统计导入的时限");
				free(sql);
				free(recount);
			}
	for (size_t i = 0; i < b->ncount_triggers && rc == XF_OK; i++)
		rc = store_db_exec(b->st, b->count_triggers[i], err, "统计导入的时限");
	return rc;
}

/* SQLite's page cache of the connection in pages (negative: KiB); 0 elsewhere. */
static long cache_size(struct xf_bulk *b)
{
	struct xf_db_stmt *pragma;
	struct xf_err ignored; /* the cache is a help, not a need */
	long size = 0;
	if (xf_db_dialect(b->db) == XF_DB_SQLITE && store_db_prepare(b->st, "PRAGMA cache_size", &pragma, &ignored) == XF_OK) {
		size = xf_db_step(pragma) == XF_DB_ROW ? (long)xf_db_column_int64(pragma, 0) : -2000;
		xf_db_finalize(pragma);
	}
	return size;
}

/* Sets SQLite's page cache (a PostgreSQL server's shared buffers are its administrator's). */
static void set_cache_size(struct xf_bulk *b, long size)
{
	if (xf_db_dialect(b->db) != XF_DB_SQLITE)
		return;
	char *sql = xasprintf("PRAGMA cache_size = %ld", size);
	struct xf_err ignored; /* the cache is a help, not a need */
	store_db_exec(b->st, sql, &ignored, "");
	free(sql);
}

/* Starts a writer. */
int store_bulk_open(struct xf_store *st, struct xf_bulk **out, struct xf_err *err)
{
	struct xf_bulk *b = xcalloc(1, sizeof *b);
	b->st = st;
	b->db = store_db(st);
	/* A large import updates a dozen indexes per case: a bigger page cache keeps them in memory. */
	b->cache_size = cache_size(b);
	set_cache_size(b, -262144);
	/* Outside the caller's transaction (a dry run) the lookups share one read transaction. */
	struct xf_err ignored; /* without one each lookup reads on its own */
	if (!xf_db_in_transaction(b->db))
		b->own_read = xf_db_begin_read(b->db, &ignored) == XF_OK;
	else if (store_search_bulk_begin(st, err) == XF_OK && counts_aside(b, err) == XF_OK)
		b->writing = true;
	else {
		store_bulk_close(b, err); /* not writing: nothing to put back, err kept */
		*out = NULL;
		return err->code;
	}
	static const char *const raise[] = {
		[XF_DB_SQLITE] = "INSERT INTO number_seq(branch, year, last) VALUES (?3, ?1, ?2) "
		                 "ON CONFLICT(branch, year) DO UPDATE SET last = max(last, excluded.last)",
		[XF_DB_POSTGRESQL] = "INSERT INTO number_seq(branch, year, last) VALUES (?3, ?1, ?2) "
		                     "ON CONFLICT(branch, year) DO UPDATE SET last = greatest(number_seq.last, excluded.last)",
	};
	if (store_db_prepare(st, "SELECT id FROM cases WHERE branch = ?3 AND year = ?1 AND seq = ?2", &b->case_id, &ignored) != XF_OK ||
	    store_db_prepare(st, raise[xf_db_dialect(b->db)], &b->raise_seq, &ignored) != XF_OK) {
		int code = store_db_fail(b->st, err, "准备导入");
		store_bulk_close(b, &ignored); /* the preparing failure is the one to report */
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

/* Checks the columns of a new shape against the table (SQLite's catalogue, or the standard
 * information_schema on PostgreSQL). */
static int bulk_check_columns(struct xf_bulk *b, const char *table, const struct xf_fields *cols,
                              struct xf_err *err)
{
	static const char *const sql[] = {
		[XF_DB_SQLITE] = "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
		[XF_DB_POSTGRESQL] = "SELECT 1 FROM information_schema.columns "
		                     "WHERE table_schema = current_schema() AND table_name = ?1 AND column_name = ?2",
	};
	struct xf_db_stmt *stmt;
	struct xf_err ignored; /* said as the import's preparation */
	if (store_db_prepare(b->st, sql[xf_db_dialect(b->db)], &stmt, &ignored) != XF_OK)
		return store_db_fail(b->st, err, "准备导入");
	int rc = XF_OK;
	for (size_t i = 0; i < cols->n && rc == XF_OK; i++) {
		xf_db_reset(stmt);
		xf_db_bind_text(stmt, 1, table, -1);
		xf_db_bind_text(stmt, 2, cols->v[i].key, -1);
		if (xf_db_step(stmt) != XF_DB_ROW)
			rc = xf_err_set(err, XF_EINVAL, "内部错误：表 %s 没有字段 %s", table, cols->v[i].key);
	}
	xf_db_finalize(stmt);
	return rc;
}

/* The prepared INSERT for a table and column list, made on first use; on PostgreSQL it returns
 * the new row's id. SQLite gives it by sqlite3_last_insert_rowid instead: RETURNING there made
 * an import of 10^4 cases spend half as much CPU again (3.6 s instead of 2.4 s). */
static int bulk_statement(struct xf_bulk *b, const char *table, const struct xf_fields *cols, struct xf_db_stmt **out,
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
	if (xf_db_dialect(b->db) != XF_DB_SQLITE)
		buf_puts(&sql, " RETURNING id");
	struct xf_db_stmt *stmt;
	struct xf_err ignored; /* said as the import's preparation */
	int prc = store_db_prepare(b->st, sql.data, &stmt, &ignored);
	buf_free(&sql);
	if (prc != XF_OK) {
		buf_free(&shape);
		return store_db_fail(b->st, err, "准备导入");
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
	struct xf_db_stmt *stmt = NULL;
	int rc = bulk_statement(b, table, cols, &stmt, err);
	if (rc != XF_OK)
		return rc;
	for (size_t i = 0; i < cols->n; i++)
		xf_db_bind_text(stmt, (int)i + 1, cols->v[i].val, -1);
	bool sqlite = xf_db_dialect(b->db) == XF_DB_SQLITE;
	enum xf_db_step step = xf_db_step(stmt);
	int64_t id = sqlite ? sqlite3_last_insert_rowid(xf_db_native(b->db))
	             : step == XF_DB_ROW ? xf_db_column_int64(stmt, 0)
	                                 : 0;
	xf_db_reset(stmt);
	if (step != (sqlite ? XF_DB_DONE : XF_DB_ROW))
		return store_db_fail(b->st, err, "导入记录");
	if (rowid)
		*rowid = id;
	/* The trail's snapshot of the row from the values in hand, not read back. */
	store_chain_note(b->st, table, id);
	store_chain_hold_row(b->st, table, id, cols);
	/* Every text an import writes belongs to a case it writes: noting the case is enough. */
	if (b->writing && strcmp(table, "cases") == 0)
		return store_search_note(b->st, &b->note_case, id, err);
	return XF_OK;
}

/* Looks a number up. */
int store_bulk_case_id(struct xf_bulk *b, int64_t branch, int year, int seq, int64_t *id, struct xf_err *err)
{
	xf_db_bind_int64(b->case_id, 1, year);
	xf_db_bind_int64(b->case_id, 2, seq);
	xf_db_bind_int64(b->case_id, 3, branch > 0 ? branch : 1);
	enum xf_db_step step = xf_db_step(b->case_id);
	*id = step == XF_DB_ROW ? xf_db_column_int64(b->case_id, 0) : 0;
	xf_db_reset(b->case_id);
	if (step == XF_DB_ERROR)
		return store_db_fail(b->st, err, "查找编号");
	return XF_OK;
}

/* The last number given in a year (0: none yet). */
int store_bulk_last_seq(struct xf_bulk *b, int64_t branch, int year, int *last, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	struct xf_err ignored; /* said as the reading's failure */
	if (store_db_prepare(b->st, "SELECT last FROM number_seq WHERE branch = ?2 AND year = ?1", &stmt, &ignored) != XF_OK)
		return store_db_fail(b->st, err, "读取编号顺序");
	xf_db_bind_int64(stmt, 1, year);
	xf_db_bind_int64(stmt, 2, branch > 0 ? branch : 1);
	enum xf_db_step step = xf_db_step(stmt);
	*last = step == XF_DB_ROW ? (int)xf_db_column_int64(stmt, 0) : 0;
	xf_db_finalize(stmt);
	return step != XF_DB_ERROR ? XF_OK : store_db_fail(b->st, err, "读取编号顺序");
}

/* Raises a year's sequence. */
int store_bulk_raise_seq(struct xf_bulk *b, int64_t branch, int year, int seq, struct xf_err *err)
{
	xf_db_bind_int64(b->raise_seq, 1, year);
	xf_db_bind_int64(b->raise_seq, 2, seq);
	xf_db_bind_int64(b->raise_seq, 3, branch > 0 ? branch : 1);
	enum xf_db_step step = xf_db_step(b->raise_seq);
	xf_db_reset(b->raise_seq);
	if (step != XF_DB_DONE)
		return store_db_fail(b->st, err, "更新编号顺序");
	store_chain_note(b->st, "number_seq", 1); /* branch 1's rows (the import numbers its own) */
	return XF_OK;
}

/* Finalizes the writer's statements and, after its transaction ended, puts the index's
 * triggers back; fails only when they could not be put back. */
int store_bulk_close(struct xf_bulk *b, struct xf_err *err)
{
	if (b == NULL)
		return XF_OK;
	for (size_t i = 0; i < b->n; i++) {
		xf_db_finalize(b->inserts[i].stmt);
		free(b->inserts[i].shape);
	}
	free(b->inserts);
	xf_db_finalize(b->case_id);
	xf_db_finalize(b->raise_seq);
	xf_db_finalize(b->note_case);
	for (size_t i = 0; i < b->ncount_triggers; i++)
		free(b->count_triggers[i]);
	free(b->count_triggers);
	int rc = b->writing ? store_search_bulk_end(b->st, err) : XF_OK;
	if (b->own_read)
		xf_db_rollback(b->db);
	set_cache_size(b, b->cache_size ? b->cache_size : -2000);
	free(b);
	return rc;
}

/* The status bar's counts kept per due date (schema version 14): they follow every write to the
 * cases, the desk's moves and writes behind its back alike, and equal the counts of the cases
 * themselves with a neglected backlog, for the office and for a handler's department. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/ledger.h"
#include "xinfang/verify.h"

/* The states in which each limit is pending and its column, as the counts define them. */
static const char *const pending[XF_LIMIT_COUNT] = {
	"state = 'queued'",
	"state IN ('queued', 'transferred')",
	"state IN ('queued', 'transferred', 'reported')",
};
static const char *const column[XF_LIMIT_COUNT] = {"due_transfer", "due_handle", "due_reply"};

/* One number from raw SQL on the fixture's file. */
static long raw_long(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	long v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* Raw SQL on the fixture's file, as someone with the sqlite3 shell would run it. */
static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 1000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* Cases pending a limit with a due date in [from, to] (SQL text or NULL for an open end), of one
 * department (NULL: all), counted from the cases themselves. */
static long counted(struct fixture *fx, int k, const char *from, const char *to, const char *dept)
{
	char sql[600];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE %s AND %s >= '%s' AND %s <= '%s'%s%s%s", pending[k],
	         column[k], from ? from : "0000-00-00", column[k], to ? to : "9999-99-99", dept ? " AND department = '" : "",
	         dept ? dept : "", dept ? "'" : "");
	return raw_long(fx->db, sql);
}

/* The bar of a session on a date equals the counts of the cases by the bar's own rule. */
static void bar_matches_cases(struct fixture *fx, struct xf_session *s, const char *dept, const char *today)
{
	clock_set_today_iso(today, NULL);
	struct xf_status_counts c;
	struct xf_err err;
	assert_int_equal(case_status_counts(s, &c, &err), XF_OK);
	int t = clock_today();
	char yesterday[11], now[11], until[11];
	date_format(t - 1, yesterday);
	date_format(t, now);
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		date_format(t + s->rules.warn_days[k], until);
		assert_int_equal(c.overdue[k], counted(fx, k, NULL, yesterday, dept));
		assert_int_equal(c.nearing[k], counted(fx, k, now, until, dept));
	}
	assert_int_equal(c.pending_transfer, counted(fx, XF_LIMIT_TRANSFER, NULL, NULL, dept));
}

/* The kept counts are exactly the counts of the cases, date by date (rows at zero aside): a
 * recount into a temporary table, then each side looked up in the other. */
static void kept_equal_recounted(struct fixture *fx)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	struct xf_buf sql;
	buf_init(&sql);
	buf_puts(&sql, "CREATE TEMP TABLE recount (kind, scope, department, due, n, "
	               "PRIMARY KEY (kind, scope, department, due));");
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		const char *c = column[k];
		buf_printf(&sql,
		           "INSERT INTO temp.recount SELECT %d, 0, '', %s, count(*) FROM cases WHERE %s AND %s BETWEEN "
		           "'0000-00-00' AND '9999-99-99' GROUP BY %s;",
		           k, c, pending[k], c, c);
		buf_printf(&sql,
		           "INSERT INTO temp.recount SELECT %d, 1, department, %s, count(*) FROM cases WHERE %s AND %s BETWEEN "
		           "'0000-00-00' AND '9999-99-99' GROUP BY department, %s;",
		           k, c, pending[k], c, c);
		buf_printf(&sql,
		           "INSERT INTO temp.recount SELECT %d, 0, '', '*', count(*) FROM cases WHERE %s AND %s BETWEEN "
		           "'0000-00-00' AND '9999-99-99' HAVING count(*) > 0;",
		           k, pending[k], c);
		buf_printf(&sql,
		           "INSERT INTO temp.recount SELECT %d, 1, department, '*', count(*) FROM cases WHERE %s AND %s BETWEEN "
		           "'0000-00-00' AND '9999-99-99' GROUP BY department;",
		           k, pending[k], c);
	}
	char *msg = NULL;
	if (sqlite3_exec(db, sql.data, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
	buf_free(&sql);
	static const char *const compare[] = {
		"SELECT count(*) FROM temp.recount r LEFT JOIN pending_counts p USING (kind, scope, department, due) "
		"WHERE p.n IS NOT r.n",
		"SELECT count(*) FROM pending_counts p LEFT JOIN temp.recount r USING (kind, scope, department, due) "
		"WHERE p.n <> 0 AND p.n IS NOT r.n",
	};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *stmt;
		assert_int_equal(sqlite3_prepare_v2(db, compare[i], -1, &stmt, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(stmt, 0), 0);
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
}

/* A neglected backlog, the desk's moves and writes behind its back: the bar, the office's and
 * a handler's, always equals the cases' own counts, and the kept counts equal a recount. */
static void kept_counts_follow_every_write(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	/* The desk's moves along every path. */
	int64_t a = fixture_case(&fx, NULL), b = fixture_case(&fx, NULL), c = fixture_case(&fx, NULL);
	int64_t d = fixture_case(&fx, NULL);
	fixture_case(&fx, "spot_answer=已当场解释", NULL);
	fixture_move(&fx.head, a, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx.head, b, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx.clerk, b, XF_MV_OUTCOME, "findings=经核实情况属实", NULL);
	fixture_move(&fx.head, c, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx.clerk, c, XF_MV_RETURN, "reason=不属本部门职责", NULL);
	fixture_move(&fx.clerk, d, XF_MV_WITHDRAW, "reason=已协商解决", "voluntary=是", NULL);
	kept_equal_recounted(&fx);
	/* A backlog of 3,000 old cases left open, written behind the desk's back, over a thousand
	 * due dates and three departments. */
	raw_exec(fx.db,
	         "CREATE TEMP TABLE copies AS WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000) "
	         "SELECT c.*, k.i AS i FROM cases c, k WHERE c.id = (SELECT max(id) FROM cases);"
	         "UPDATE temp.copies SET id = NULL, year = 2019, seq = i, number = 'B' || i, "
	         "state = CASE i % 3 WHEN 0 THEN 'queued' WHEN 1 THEN 'transferred' ELSE 'reported' END, "
	         "closure = '', received = date('2021-01-01', '+' || (i % 1000) || ' days'), "
	         "department = CASE WHEN i % 3 = 0 THEN '' WHEN i % 2 THEN '个人金融部' ELSE '公司金融部' END, "
	         "due_transfer = date('2021-01-04', '+' || (i % 1000) || ' days'), "
	         "due_handle = date('2021-01-30', '+' || (i % 1000) || ' days'), "
	         "due_reply = date('2021-03-01', '+' || (i % 1000) || ' days');"
	         "ALTER TABLE temp.copies DROP COLUMN i;"
	         "INSERT INTO cases SELECT * FROM temp.copies;");
	assert_int_equal(raw_long(fx.db, "SELECT count(*) FROM cases WHERE year = 2019"), 3000);
	kept_equal_recounted(&fx);
	/* Changed behind the desk's back: states, departments, dates. */
	raw_exec(fx.db, "UPDATE cases SET state = 'closed' WHERE year = 2019 AND seq % 7 = 0;"
	                "UPDATE cases SET department = '个人金融部' WHERE year = 2019 AND seq % 11 = 0;"
	                "UPDATE cases SET due_handle = '2026-11-21' WHERE year = 2019 AND seq % 13 = 0;");
	kept_equal_recounted(&fx);
	/* The desk again, after them. */
	fixture_move(&fx.clerk, a, XF_MV_OUTCOME, "findings=经核实情况属实", NULL);
	fixture_move(&fx.head, c, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	kept_equal_recounted(&fx);
	const char *dates[] = {"2020-06-01", "2021-02-01", "2026-11-20", "2026-11-25", "2026-12-31", "2028-01-01"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		bar_matches_cases(&fx, &fx.clerk, NULL, dates[i]);
		bar_matches_cases(&fx, &fx.handler, "个人金融部", dates[i]);
	}
	fixture_close(&fx);
}

/* A store made before version 14 gets its counts from the cases it holds; so does one made
 * before version 17, which keeps them per branch. */
static void upgrade_counts_what_is_there(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t a = fixture_case(&fx, NULL);
	fixture_case(&fx, NULL);
	fixture_move(&fx.head, a, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	/* Back to the shape before the migration, then brought to 14 by this build (the rest of
	 * the store is at 17 already, and 17 adds columns, which cannot be added twice). */
	raw_exec(fx.db, "DROP TRIGGER pending_counts_insert; DROP TRIGGER pending_counts_update;"
	                "DROP TRIGGER pending_counts_delete; DROP TABLE pending_counts;"
	                "UPDATE cases SET state = 'queued', department = '' WHERE id = (SELECT max(id) FROM cases);"
	                "PRAGMA user_version = 13;");
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(store_open(fx.db, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 14, &err), XF_OK);
	store_close(st);
	kept_equal_recounted(&fx);
	/* Then 17's counts per branch, made from the cases in the same way. */
	const char *v17 = NULL;
	for (size_t i = 0; i < xf_migration_count; i++)
		if (xf_migrations[i].version == 17)
			v17 = strstr(xf_migrations[i].sql, "DROP TRIGGER pending_counts_insert;");
	assert_non_null(v17);
	raw_exec(fx.db, v17);
	raw_exec(fx.db, "PRAGMA user_version = 17;");
	kept_equal_recounted(&fx);
	assert_int_equal(raw_long(fx.db, "SELECT n FROM pending_counts WHERE kind = 0 AND scope = 0 AND due = '*'"),
	                 counted(&fx, XF_LIMIT_TRANSFER, NULL, NULL, NULL));
	fixture_close(&fx);
}

/* An import sets the count triggers aside for its transaction and counts its cases at once:
 * the counts equal a recount after it, the triggers are back exactly as the migration wrote
 * them, and the desk's next move is counted again. */
static void import_counts_its_cases(void **state)
{
	(void)state;
	struct fixture from, to;
	fixture_open(&from, "2026-11-20");
	int64_t a = fixture_case(&from, NULL), b = fixture_case(&from, NULL);
	fixture_case(&from, NULL);
	fixture_move(&from.head, a, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&from.head, b, XF_MV_TRANSFER, "dept=公司金融部", NULL);
	fixture_move(&from.clerk, b, XF_MV_OUTCOME, "findings=经核实情况属实", NULL);
	char path[400];
	snprintf(path, sizeof path, "%s/ledger.csv", from.dir);
	struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, "UTF-8", path, NULL, NULL, NULL, NULL};
	struct xf_err err;
	long rows;
	assert_int_equal(ledger_export(&from.head, &opts, &rows, &err), XF_OK);
	assert_int_equal(rows, 3);
	fixture_open(&to, "2026-11-20");
	int64_t before = fixture_case(&to, "received=2025-12-30 16:20", NULL); /* numbered apart from the file's */
	char *triggers = xstrdup("");
	sqlite3 *db;
	sqlite3_stmt *stmt;
	static const char list[] = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema WHERE type = "
	                           "'trigger' AND name LIKE 'pending_counts_%' ORDER BY name)";
	assert_int_equal(sqlite3_open(to.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, list, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	free(triggers);
	triggers = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	struct xf_import_report rep;
	if (ledger_import(&to.clerk, path, false, NULL, NULL, &rep, &err) != XF_OK)
		fail_msg("import: %s", err.msg);
	assert_int_equal(rep.imported, 3);
	import_report_free(&rep);
	kept_equal_recounted(&to);
	assert_int_equal(sqlite3_prepare_v2(db, list, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), triggers);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	free(triggers);
	fixture_move(&to.head, before, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	kept_equal_recounted(&to);
	bar_matches_cases(&to, &to.handler, "个人金融部", "2026-12-31");
	fixture_close(&to);
	fixture_close(&from);
}

/* Counts written behind the program's back fail verify: the kept counts are held to a recount
 * of the cases, so the bar cannot be made to show figures no case stands for. */
static void verify_names_forged_counts(void **state)
{
	(void)state;
	static const char *const forgeries[] = {
		"UPDATE pending_counts SET n = n + 7 WHERE kind = 1 AND scope = 0 AND due = '*'",
		"DELETE FROM pending_counts WHERE kind = 0",
		"INSERT INTO pending_counts VALUES (1, 2, 1, '公司金融部', '2026-11-21', 3)",
	};
	for (size_t i = 0; i < sizeof forgeries / sizeof forgeries[0]; i++) {
		struct fixture fx;
		fixture_open(&fx, "2026-11-20");
		int64_t a = fixture_case(&fx, NULL);
		fixture_case(&fx, NULL);
		fixture_move(&fx.head, a, XF_MV_TRANSFER, "dept=个人金融部", NULL);
		struct xf_err err;
		long differing = -1;
		assert_int_equal(store_pending_counts_check(fx.st, &differing, &err), XF_OK);
		assert_int_equal(differing, 0);
		raw_exec(fx.db, forgeries[i]);
		assert_int_equal(store_pending_counts_check(fx.st, &differing, &err), XF_OK);
		if (differing == 0)
			fail_msg("forgery %zu not seen", i);
		struct xf_verify v;
		assert_int_equal(verify_store(fx.st, 0, NULL, &v, &err), XF_OK);
		assert_true(v.failures > 0);
		assert_non_null(strstr(v.text.data, "状态栏的时限计数"));
		verify_free(&v);
		fixture_close(&fx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kept_counts_follow_every_write),
		cmocka_unit_test(upgrade_counts_what_is_there),
		cmocka_unit_test(import_counts_its_cases),
		cmocka_unit_test(verify_names_forged_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The audit trail's row snapshots built by the store's own code are the bytes SQLite's
 * json_patch('{}', json_object(...)) gave when the snapshots were built in SQL (as every store
 * made before holds them): compared row by row over every covered table of a demo store and of
 * a store holding 𠮷, control characters, quotes, big integers, NULLs and floats written behind
 * the program's back (the sqlite3 C API used as the sqlite3 shell would be). */
#include "testutil.h"

#include <regex.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store_private.h"
#include "xinfang/calendar.h"
#include "xinfang/limits.h"
#include "xinfang/store_chain.h"
#include "xinfang/verify.h"

/* The SQL expression the snapshots of a table were built with before: each column as
 * json_object's value, NULLIF'd with its declared default, the nulls dropped by the merge
 * patch (a new string; NULL when the table does not exist). */
static char *sql_row_expr(sqlite3 *raw, const char *table)
{
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT name, dflt_value FROM pragma_table_info(?1)", -1, &stmt, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "json_patch('{}', json_object(");
	int n = 0;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(stmt, 0);
		if (sqlite3_column_type(stmt, 1) == SQLITE_NULL)
			buf_printf(&b, "%s'%s', \"%s\"", n++ ? ", " : "", col, col);
		else
			buf_printf(&b, "%s'%s', NULLIF(\"%s\", %s)", n++ ? ", " : "", col, col,
			           (const char *)sqlite3_column_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	buf_puts(&b, "))");
	if (n == 0) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* The whole tables and their key order, as the trail keeps them. */
static const char *whole_order(const char *table)
{
	static const char *const whole[][2] = {
		{"settings", "key"},          {"departments", "id"},     {"channels", "name"},
		{"categories", "name"},       {"rulesets", "name"},      {"limit_rules", "ruleset, kind, category"},
		{"calendar_years", "year"},   {"calendar_days", "day"},  {"number_seq", "branch, year"},
		{"jrt_codes", "axis, code"},  {"branches", "id"},
	};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		if (strcmp(whole[i][0], table) == 0)
			return whole[i][1];
	return NULL;
}

/* Compares, for every row of every covered table, the store's JSON with SQLite's; returns the
 * rows compared. */
static long compare_all(struct xf_store *st, const char *path)
{
	sqlite3 *raw;
	assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	long rows = 0;
	for (const char *const *t = store_chain_tables(); *t; t++) {
		char *expr = sql_row_expr(raw, *t);
		if (expr == NULL)
			continue;
		const char *order = whole_order(*t);
		char *sql = order ? xasprintf("SELECT '[' || coalesce(group_concat(j, ','), '') || ']', 0 FROM "
		                              "(SELECT %s AS j FROM \"%s\" ORDER BY %s)",
		                              expr, *t, order)
		                  : xasprintf("SELECT %s, rowid FROM \"%s\" ORDER BY rowid", expr, *t);
		sqlite3_stmt *stmt;
		if (sqlite3_prepare_v2(raw, sql, -1, &stmt, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			struct xf_err err;
			char *mine = NULL;
			if (store_chain_row_json(st, *t, sqlite3_column_int64(stmt, 1), &mine, &err) != XF_OK)
				fail_msg("%s: %s", *t, err.msg);
			const char *theirs = (const char *)sqlite3_column_text(stmt, 0);
			if (strcmp(mine, theirs) != 0)
				fail_msg("%s row %lld:\n ours: %s\n SQL:  %s", *t, (long long)sqlite3_column_int64(stmt, 1), mine,
				         theirs);
			free(mine);
			rows++;
		}
		sqlite3_finalize(stmt);
		free(sql);
		free(expr);
	}
	sqlite3_close(raw);
	return rows;
}

/* Every row of a demo store (made by `xinfang init --demo`). */
static void test_demo_store(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-snapshot-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *db = xasprintf("%s/demo.db", dir);
	char *env_db = xasprintf("XINFANG_DB=%s", db);
	const char *env[] = {env_db, "XINFANG_PASSWORD=demo123", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"init", "--demo", NULL});
	if (r->status != 0)
		fail_msg("init --demo: %s", r->err);
	struct xf_store *st;
	struct xf_err err;
	if (store_open(db, &st, &err) != XF_OK)
		fail_msg("open: %s", err.msg);
	long rows = compare_all(st, db);
	assert_true(rows > 300);
	store_close(st);
	free(r);
	char *rm = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(rm), 0);
	free(rm);
	free(env_db);
	free(db);
}

/* Runs SQL on the store's file from another connection (an older build, the sqlite3 shell). */
static void behind_the_back(const char *path, const char *sql)
{
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s (in: %.200s)", msg, sql);
	sqlite3_close(raw);
}

/* Texts and numbers whose JSON is not plain: every control character, quotes and
 * backslashes, 𠮷 and other characters outside the BMP, DEL, big and negative integers, NULLs,
 * floats of every shape, a float or a text equal to a default and one that only looks so. */
static void test_odd_values(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	int64_t a = fixture_case(&fx, "name=𠮷野家", "phone=13812345678", NULL);
	int64_t b = fixture_case(&fx, "summary=第二件", NULL);
	char controls[40], *p = controls;
	for (int ch = 1; ch < 0x20; ch++)
		*p++ = (char)ch;
	*p = '\0';
	char *sql = xasprintf(
		"UPDATE cases SET summary = 'a%sb\"c\\d''e\x7f𠮷😀 ', subject = '\"\\\\/\\u0041', "
		" people = 9223372036854775807, materials = -9223372036854775808, confidential = 0.0, "
		" anonymous = '0', due_estimated = 1.5, version = 1.0, amount = 12.5, "
		" first_asked = 1e20, spot_answer = 0.1, accused = -0.0, importance = '一般' WHERE id = %lld;"
		"UPDATE cases SET people = 1e-7, materials = 123456789012345678.0, confidential = 1e300, "
		" anonymous = -1, subject = '', summary = x'e4b8ad' || '文', department = 3, version = 2.0 "
		" WHERE id = %lld;"
		"UPDATE petitioners SET name = '𠮷' || char(9, 10, 13, 8, 12, 0x1b) || '\"''', age = 36, ord = 0.0 "
		" WHERE case_id = %lld;"
		"INSERT INTO settings(key, value) VALUES ('odd\"key', 'line1' || char(10) || 'line2'), "
		" ('num', 42), ('float', 2.5);"
		/* Columns an older or newer schema may have: no default (NULL), defaults of every kind. */
		"ALTER TABLE cases ADD COLUMN note TEXT;"
		"ALTER TABLE cases ADD COLUMN level INTEGER DEFAULT -1;"
		"ALTER TABLE cases ADD COLUMN ratio REAL DEFAULT 0.5;"
		"ALTER TABLE cases ADD COLUMN quoted TEXT DEFAULT 'it''s';"
		"ALTER TABLE cases ADD COLUMN spare TEXT DEFAULT NULL;"
		"ALTER TABLE cases ADD COLUMN flag TEXT DEFAULT 0;"
		"UPDATE cases SET note = 'x', level = -1.0, ratio = 0.5, quoted = 'it''s', spare = 0, flag = '0' WHERE id = %lld;"
		"UPDATE cases SET level = '-1', ratio = '0.5', quoted = 'its' WHERE id = %lld;"
		"INSERT INTO calendar_days(day, work, name) VALUES ('2031-01-01', 0.0, 'x'), ('2031-01-02', '1', '');",
		controls, (long long)a, (long long)b, (long long)a, (long long)a, (long long)b);
	behind_the_back(fx.db, sql);
	free(sql);
	long rows = compare_all(fx.st, fx.db);
	assert_true(rows > 10);
	/* The same values once more after the program wrote them: its own snapshots agree too. */
	struct xf_err err;
	char *mine = NULL;
	assert_int_equal(store_chain_row_json(fx.st, "cases", a, &mine, &err), XF_OK);
	assert_non_null(strstr(mine, "\"people\":9223372036854775807"));
	assert_non_null(strstr(mine, "\"materials\":-9223372036854775808"));
	assert_non_null(strstr(mine, "\"first_asked\":\"1.0e+20\"")); /* a float into a text column */
	assert_non_null(strstr(mine, "\"due_estimated\":1.5,"));
	assert_non_null(strstr(mine, "\\u0001\\u0002"));
	assert_null(strstr(mine, "\"confidential\"")); /* 0.0 is the default 0 */
	assert_null(strstr(mine, "\"anonymous\"")); /* '0' into an integer column is 0 */
	assert_non_null(strstr(mine, "\"flag\":\"0\"")); /* the text '0' is not the default 0 */
	assert_null(strstr(mine, "\"quoted\"")); /* it's, the default */
	free(mine);
	assert_int_equal(store_chain_row_json(fx.st, "cases", b, &mine, &err), XF_OK);
	assert_non_null(strstr(mine, "\"confidential\":1.0e+300"));
	assert_non_null(strstr(mine, "\"people\":1.0e-07"));
	free(mine);
		assert_int_equal(store_chain_row_json(fx.st, "cases", 999999, &mine, &err), XF_OK);
	assert_string_equal(mine, "null");
	free(mine);
	fixture_close(&fx);
}

/* A store whose rows were written through the program with such values verifies: the
 * snapshots the program records and the rows it reads back agree byte for byte. */
static void test_program_writes_verify(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	int64_t a = fixture_case(&fx, "name=𠮷野家", "summary=引号\"与反斜杠\\，制表\t与换行\n结束", NULL);
	struct xf_err err;
	assert_int_equal(store_setting_set(fx.st, "odd\tkey", "𠮷\"\\\x01", &err), XF_OK);
	assert_true(a > 0);
	struct xf_verify v;
	xf_err_clear(&err);
	if (verify_store(fx.st, 0, NULL, &v, &err) != XF_OK)
		fail_msg("verify: %s", err.msg);
	if (v.failures != 0)
		fail_msg("verify: %s", v.text.data);
	verify_free(&v);
	assert_true(compare_all(fx.st, fx.db) > 10);
	fixture_close(&fx);
}


/* Runs verify and returns its number of failures, its text in *text (a new string). */
static int verify_failures(struct xf_store *st, char **text)
{
	struct xf_verify v;
	struct xf_err err;
	xf_err_clear(&err);
	if (verify_store(st, 0, NULL, &v, &err) != XF_OK)
		fail_msg("verify: %s", err.msg);
	int n = v.failures;
	*text = xstrdup(v.text.data ? v.text.data : "");
	verify_free(&v);
	return n;
}

/* Every write path of the store notes the rows it wrote itself (there is no update hook): a
 * reference list's rename, settings, numbering, a year of the calendar, the limit rules, rows
 * inserted and updated; verify then finds every row as its newest snapshot holds it. A row
 * written on the store's own connection without being noted is found by verify. */
static void test_every_write_noted(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	int64_t a = fixture_case(&fx, "name=张三", NULL);
	fixture_move(&fx.head, a, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	struct xf_err err;
	struct xf_fields f;
	fields_from(&f, "active=0", NULL);
	assert_int_equal(store_update_named(fx.st, "departments", "个人金融部", &f, &err), XF_OK);
	fields_free(&f);
	assert_int_equal(store_setting_set(fx.st, "office_name", "某某支行", &err), XF_OK);
	assert_int_equal(store_begin(fx.st, &err), XF_OK);
	int seq = 0;
	assert_int_equal(store_next_seq(fx.st, 1, 2031, &seq, &err), XF_OK);
	struct xf_calday days[1] = {{date_from_ymd(2031, 1, 1), false, "元旦"}};
	assert_int_equal(store_calendar_replace(fx.st, 2031, "test", days, 1, &err), XF_OK);
	struct xf_rules rules;
	assert_int_equal(store_rules_load(fx.st, &rules, &err), XF_OK);
	assert_true(rules.n > 1);
	rules.n--; /* one rule fewer: the table's snapshot must lose it */
	assert_int_equal(store_rules_replace(fx.st, &rules, &err), XF_OK);
	limits_free(&rules);
	fields_from(&f, "summary=改过的摘要", NULL);
	assert_int_equal(store_update(fx.st, "cases", a, &f, 0, &err), XF_OK);
	fields_free(&f);
	assert_int_equal(store_commit(fx.st, &err), XF_OK);
	char *text;
	if (verify_failures(fx.st, &text) != 0)
		fail_msg("verify: %s", text);
	free(text);

	/* The same kind of write, on the same connection, that nobody noted. */
	assert_int_equal(store_begin(fx.st, &err), XF_OK);
	assert_int_equal(xf_db_exec(store_db(fx.st), "UPDATE petitioners SET name = '李四' WHERE name = '张三'", &err, "test"),
	                 XF_OK);
	assert_int_equal(store_commit(fx.st, &err), XF_OK);
	assert_true(verify_failures(fx.st, &text) > 0);
	assert_non_null(strstr(text, "petitioners"));
	assert_non_null(strstr(text, "李四"));
	free(text);
	fixture_close(&fx);
}

/* Counts a row that differs from its newest snapshot. */
static bool count_fault(void *ctx, const struct xf_row_fault *f)
{
	fprintf(stderr, "fault: %s\n", f->key);
	++*(long *)ctx;
	return true;
}

/* A migration that writes rows of a covered table (007 gives every petitioner with an ID
 * number its kind) has them snapshotted in the upgrade: the upgraded store verifies. */
static void test_migration_writes_noted(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/old.db", dir);
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(store_open(path, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 6, &err), XF_OK);
	struct xf_fields f;
	assert_int_equal(store_begin(st, &err), XF_OK);
	fields_from(&f, "name=来访", NULL);
	assert_int_equal(store_insert(st, "channels", &f, NULL, &err), XF_OK);
	fields_free(&f);
	fields_from(&f, "name=服务态度", "kind=投诉", "grp=general", NULL);
	assert_int_equal(store_insert(st, "categories", &f, NULL, &err), XF_OK);
	fields_free(&f);
	fields_from(&f, "year=2025", "seq=1", "number=2025年第0001号", "state=queued", "received=2025-06-01",
	            "channel=来访", "category=服务态度", "summary=旧事项", "ruleset=seed", "due_transfer=2025-06-03",
	            "due_handle=2025-06-09", "due_reply=2025-07-01", "orig_due_handle=2025-06-09",
	            "orig_due_reply=2025-07-01", "created_by=admin", "created_at=2025-06-01 09:00:00", NULL);
	int64_t id = 0;
	assert_int_equal(store_insert(st, "cases", &f, &id, &err), XF_OK);
	fields_free(&f);
	char cid[32];
	snprintf(cid, sizeof cid, "case_id=%lld", (long long)id);
	fields_from(&f, cid, "name=王五", "id_number=110101199003071234", NULL);
	assert_int_equal(store_insert(st, "petitioners", &f, NULL, &err), XF_OK);
	fields_free(&f);
	assert_int_equal(store_commit(st, &err), XF_OK);
	if (store_migrate(st, 0, &err) != XF_OK)
		fail_msg("migrate: %s", err.msg);
	struct xf_rows rows;
	assert_int_equal(store_list(st, "petitioners", NULL, NULL, &rows, &err), XF_OK);
	assert_string_equal(fields_str(&rows.v[0], "id_type"), "居民身份证");
	rows_free(&rows);
	long nrows = 0, faults = 0;
	assert_int_equal(store_chain_rows_check(st, INT64_MAX, count_fault, &faults, &nrows, &err), XF_OK);
	assert_true(nrows > 2);
	assert_int_equal(faults, 0);
	store_close(st);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
}

/* No trigger of the schema (nor the connection's TEMP ones) writes a covered table: the write
 * path's own notes are all there is to note. */
static void test_no_trigger_writes_covered_tables(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	struct xf_buf pattern;
	buf_init(&pattern);
	buf_puts(&pattern, "(into|update|delete[[:space:]]+from)[[:space:]]+(main\\.|temp\\.)?\"?(");
	int n = 0;
	for (const char *const *t = store_chain_tables(); *t; t++)
		buf_printf(&pattern, "%s%s", n++ ? "|" : "", *t);
	buf_puts(&pattern, ")\"?([^a-z_]|$)");
	regex_t re;
	assert_int_equal(regcomp(&re, pattern.data, REG_EXTENDED | REG_ICASE | REG_NOSUB), 0);
	buf_free(&pattern);
	struct xf_db_stmt *stmt;
	struct xf_err err;
	assert_int_equal(xf_db_prepare(store_db(fx.st),
	                               "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' "
	                               "UNION ALL SELECT name, sql FROM sqlite_temp_schema WHERE type = 'trigger'",
	                               &stmt, &err),
	                 XF_OK);
	int triggers = 0;
	while (xf_db_step(stmt) == XF_DB_ROW) {
		const char *sql = xf_db_column_text(stmt, 1);
		/* The trigger's body only: its head names the table it fires on. */
		const char *body = strstr(sql, "BEGIN");
		assert_non_null(body);
		triggers++;
		if (regexec(&re, body, 0, NULL, 0) == 0)
			fail_msg("trigger %s writes a covered table: %s", xf_db_column_text(stmt, 0), body);
	}
	xf_db_finalize(stmt);
	regfree(&re);
	assert_true(triggers > 20); /* the no-delete guards, the counts, the index's own */
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_store),
		cmocka_unit_test(test_odd_values),
		cmocka_unit_test(test_program_writes_verify),
		cmocka_unit_test(test_every_write_noted),
		cmocka_unit_test(test_migration_writes_noted),
		cmocka_unit_test(test_no_trigger_writes_covered_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The record against an attacker with write access to the store file: audit records outside the
 * chain, a production store briefly turned into a training one to backdate work, records
 * replaced past the triggers, and schema objects dropped, changed or added (the sqlite3 C API
 * used as the sqlite3 shell would be). */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinfang/audit.h"
#include "xinfang/clock.h"
#include "xinfang/setup.h"
#include "xinfang/verify.h"

/* Runs SQL on a store file through a connection of its own; returns SQLite's code. */
static int raw(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* Runs SQL that must go through. */
static void attack(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("attack %s: %s", sql, msg);
	sqlite3_close(db);
}

/* Runs SQL with the audit trail's insert guard set aside and put back as it was, as an attacker
 * who read the schema would (where there is no guard, the SQL alone). */
static void attack_hidden(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'audit_next_only'", -1, &stmt,
	                                    NULL),
	                 SQLITE_OK);
	char *guard = sqlite3_step(stmt) == SQLITE_ROW ? xstrdup((const char *)sqlite3_column_text(stmt, 0)) : NULL;
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	char *all = xasprintf("BEGIN; %s %s %s; COMMIT;", guard ? "DROP TRIGGER audit_next_only;" : "", sql,
	                      guard ? guard : "SELECT 1");
	attack(path, all);
	free(all);
	free(guard);
}

/* Verifies a store; returns the number of failures (report kept in v). */
static int verify_st(struct xf_store *st, struct xf_verify *v)
{
	struct xf_err err;
	xf_err_clear(&err);
	if (verify_store(st, 0, NULL, v, &err) != XF_OK)
		fail_msg("verify: %s", err.msg);
	return v->failures;
}

/* Asserts that verify fails and its report holds each of the given texts. */
static void assert_caught(struct xf_store *st, const char *first, ...)
{
	struct xf_verify v;
	if (verify_st(st, &v) == 0)
		fail_msg("verify passed a tampered store:\n%s", v.text.data);
	va_list ap;
	va_start(ap, first);
	for (const char *want = first; want; want = va_arg(ap, const char *))
		if (strstr(v.text.data, want) == NULL)
			fail_msg("the report does not say \"%s\":\n%s", want, v.text.data);
	va_end(ap);
	verify_free(&v);
}

/* Asserts that verify passes. */
static void assert_clean(struct xf_store *st)
{
	struct xf_verify v;
	if (verify_st(st, &v) != 0)
		fail_msg("a clean store fails:\n%s", v.text.data);
	verify_free(&v);
}

/* A made-up admin and a made-up closed case, each with its snapshot in a record numbered 0 or -1
 * (the chain walk starts at 1): verify names the records and believes neither snapshot, so the
 * account and the case are named too; the forged record is no part of the case's history. */
static void test_outside_records_not_believed(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	int64_t id = fixture_case(&fx, "summary=网点排队时间过长", NULL);
	assert_int_equal(id, 1);
	assert_clean(fx.st);
	/* The made-up admin: the clerk's row and newest snapshot, renamed and promoted. */
	attack_hidden(fx.db,
	              "CREATE TEMP TABLE m AS SELECT * FROM operators WHERE name = 'clerk';"
	              "UPDATE m SET id = 99, name = 'mallory', role = 'admin';"
	              "INSERT INTO operators SELECT * FROM m;"
	              "INSERT INTO audit(id, at, wall, operator, action, before, after, snapshot, hash) "
	              " SELECT 0, at, wall, 'admin', 'user_add', '{}', '{}', json_object('operators:99', "
	              "  json_set(json_extract(snapshot, '$.\"operators:' || (SELECT id FROM operators WHERE name = 'clerk') || '\"'), "
	              "   '$.id', 99, '$.name', 'mallory', '$.role', 'admin')), '' FROM audit "
	              " WHERE json_extract(snapshot, '$.\"operators:' || (SELECT id FROM operators WHERE name = 'clerk') || '\"') "
	              "  IS NOT NULL ORDER BY id DESC LIMIT 1;");
	/* A made-up closed case (case 1 copied under another number), with its record in history;
	 * its snapshot keeps the program's order of keys, as a careful forger's would. */
	attack_hidden(fx.db,
	              "CREATE TEMP TABLE c AS SELECT * FROM cases WHERE id = 1;"
	              "UPDATE c SET id = 50, seq = 50, number = '2026年第0050号', state = 'closed';"
	              "INSERT INTO cases SELECT * FROM c;"
	              "INSERT INTO audit(id, at, wall, operator, action, case_id, before, after, snapshot, hash) "
	              " SELECT -1, at, wall, 'head', 'close', 50, '{}', '{}', json_object('cases:50', "
	              "  json_set(json_extract(snapshot, '$.\"cases:1\"'), '$.id', 50, '$.seq', 50, '$.number', '2026年第0050号', "
	              "   '$.state', 'closed')), '' "
	              " FROM audit WHERE json_extract(snapshot, '$.\"cases:1\"') IS NOT NULL ORDER BY id DESC LIMIT 1;");
	assert_caught(fx.st, "操作日志有 2 条编号小于 1 的记录（最大的是第 0 条）", "操作员 mallory（operators:99）没有任何操作日志记录",
	              "事项 2026年第0050号（cases:50）没有任何操作日志记录", NULL);
	struct xf_rows history;
	struct xf_err err;
	assert_int_equal(audit_case_history(&fx.head, 50, &history, &err), XF_OK);
	for (size_t i = 0; i < history.n; i++)
		if (atoll(fields_str(&history.v[i], "id")) < 1)
			fail_msg("record %s outside the chain shown as history", fields_str(&history.v[i], "id"));
	rows_free(&history);
	/* The desk's start check names them too. */
	char msg[512];
	assert_false(verify_desk_check(fx.st, msg, sizeof msg));
	assert_non_null(strstr(msg, "编号小于 1"));
	fixture_close(&fx);
}

/* INSERT OR REPLACE (which deletes without firing delete triggers), records numbered outside the
 * chain or without a number, and login counters deleted or renamed are refused by the schema;
 * the store still verifies after every refused try. */
static void test_schema_refuses_rewrites(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	fixture_case(&fx, NULL);
	static const char *const refused[] = {
		"INSERT OR REPLACE INTO audit(id, at, wall, operator, action, snapshot, hash) "
		"SELECT id, at, wall, operator, 'edit', snapshot, hash FROM audit WHERE id = 2",
		"REPLACE INTO audit(id, at, operator, action) VALUES (1, '2026-03-02 09:00:00', 'admin', 'init')",
		"INSERT INTO audit(id, at, operator, action) VALUES (0, '2026-03-02 09:00:00', 'admin', 'init')",
		"INSERT INTO audit(id, at, operator, action) VALUES (-1, '2026-03-02 09:00:00', 'admin', 'init')",
		"INSERT INTO audit(at, operator, action) VALUES ('2026-03-02 09:00:00', 'admin', 'init')",
		"INSERT INTO audit(id, at, operator, action) VALUES ((SELECT max(id) + 5 FROM audit), '2026-03-02', 'a', 'b')",
		"DELETE FROM logins",
		"UPDATE logins SET name = 'admin2' WHERE name = 'clerk'",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		int rc = raw(fx.db, refused[i]);
		if (rc == SQLITE_OK)
			fail_msg("the schema let through: %s", refused[i]);
		assert_int_equal(rc, SQLITE_CONSTRAINT);
	}
	assert_clean(fx.st);
	/* The program's own writes still go through, and the counters still count. */
	fixture_case(&fx, NULL);
	struct xf_session s;
	struct xf_err err;
	assert_int_not_equal(auth_login(fx.st, "clerk", "wrong-password", &s, &err), XF_OK);
	assert_int_equal(auth_login(fx.st, "clerk", "secret1", &s, &err), XF_OK);
	session_close(&s);
	assert_clean(fx.st);
	fixture_close(&fx);
}

/* Every table, index, view and trigger that differs from the migrations' is named: an index and
 * the search view dropped (the store still opens, so verify can say so), a trigger that would
 * forgive every wrong password added to the login counters, an extra table, a view changed. */
static void test_schema_objects_named(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	fixture_case(&fx, NULL);
	attack(fx.db, "DROP INDEX cases_due_reply;");
	assert_caught(fx.st, "索引 cases_due_reply 缺失（被删除）", NULL);
	char msg[512];
	assert_false(verify_desk_check(fx.st, msg, sizeof msg));
	assert_non_null(strstr(msg, "cases_due_reply"));
	attack(fx.db, "CREATE TRIGGER logins_forgive AFTER UPDATE OF failures ON logins BEGIN "
	              "UPDATE logins SET failures = 0, wait_until = 0 WHERE id = NEW.id; END;"
	              "CREATE TABLE notes (t TEXT);");
	assert_caught(fx.st, "触发器 logins_forgive 不是本程序建立的（多出）", "表 notes 不是本程序建立的（多出）",
	              "索引 cases_due_reply 缺失", NULL);
	attack(fx.db, "DROP VIEW search_source;");
	store_close(fx.st);
	struct xf_err err;
	if (setup_open(fx.db, &fx.st, &err) != XF_OK)
		fail_msg("a store without its view does not open for verify: %s", err.msg);
	assert_caught(fx.st, "视图 search_source 缺失（被删除）", "触发器 logins_forgive", NULL);
	fixture_close(&fx);
}

/* A production store made with the real clock, with admin and a clerk (password "secret1"). */
static void production_store(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	clock_set_today(-1);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/xinfang-test-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof fx->db, "%s/x.db", fx->dir);
	struct xf_err err;
	assert_int_equal(store_open(fx->db, &fx->st, &err), XF_OK);
	if (setup_init_mode(fx->st, test_datadir(), "admin", "secret1", 0, &fx->admin, &err) != XF_OK)
		fail_msg("init: %s", err.msg);
	assert_int_equal(auth_user_add(&fx->admin, "clerk", "operator", "王丽", "", "secret1", &err), XF_OK);
	assert_int_equal(auth_login(fx->st, "clerk", "secret1", &fx->clerk, &err), XF_OK);
}

/* A production store's kind is its trail's: set to training behind the program's back while a
 * settings change was recorded, and a case registered under a set date, both are named once the
 * setting is back; a setting left flipped is named as well. */
static void test_training_flip_named(void **state)
{
	(void)state;
	struct fixture fx;
	production_store(&fx);
	fixture_case(&fx, NULL);
	assert_clean(fx.st);
	attack(fx.db, "UPDATE settings SET value = '1' WHERE key = 'training'");
	struct xf_err err;
	assert_int_equal(clock_set_today_iso("2025-03-01", &err), XF_OK);
	assert_int_equal(setup_ruleset_use(&fx.admin, "seed", &err), XF_OK);
	fixture_case(&fx, "summary=倒签的登记", NULL);
	clock_set_today(-1);
	attack(fx.db, "UPDATE settings SET value = '0' WHERE key = 'training'");
	assert_caught(fx.st, "正式数据库的操作日志有", "业务时间不是实际时间", "业务时间 2025-03-01", "--today",
	              "设置 training 为“1”", NULL);
	attack(fx.db, "UPDATE settings SET value = '1' WHERE key = 'training'");
	assert_caught(fx.st, "设置 training 现为“1”", "定为正式数据库", NULL);
	fixture_close(&fx);
}

/* The steps with the real binary: flip the setting with the sqlite3 shell, register with
 * --today 2025-03-01, flip it back: verify fails and says what happened. */
static void test_training_flip_command_line(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-record-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/prod.db", dir);
	char *db = xasprintf("XINFANG_DB=%s", path);
	const char *env_admin[] = {db, "XINFANG_PASSWORD=Adm1n-pass-9", "XINFANG_USER=admin",
	                           "XINFANG_NEW_PASSWORD=Clerk-pass-9", NULL};
	const char *env_clerk[] = {db, "XINFANG_PASSWORD=Clerk-pass-9", "XINFANG_USER=clerk", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env_admin, (const char *[]){"init", NULL});
	if (r->status != 0)
		fail_msg("init: %s", r->err);
	run_xinfang(r, env_admin, (const char *[]){"user", "add", "clerk", "operator", NULL});
	if (r->status != 0)
		fail_msg("user add: %s", r->err);
	run_xinfang(r, env_clerk, (const char *[]){"--today", "2025-03-01", "new", "channel=来访", "category=服务态度",
	                                           "name=刘䶮", "summary=倒签", NULL});
	assert_int_equal(r->status, 1); /* a production store refuses the date */
	assert_non_null(strstr(r->err, "正式数据库"));
	attack(path, "UPDATE settings SET value = '1' WHERE key = 'training'");
	run_xinfang(r, env_clerk, (const char *[]){"--today", "2025-03-01", "new", "channel=来访", "category=服务态度",
	                                           "name=刘䶮", "summary=倒签", NULL});
	if (r->status != 0)
		fail_msg("new: %s", r->err);
	assert_non_null(strstr(r->out, "2025年第0001号"));
	attack(path, "UPDATE settings SET value = '0' WHERE key = 'training'");
	run_xinfang(r, env_admin, (const char *[]){"verify", NULL});
	if (r->status != 1 || strstr(r->err, "业务时间不是实际时间") == NULL || strstr(r->err, "2025-03-01") == NULL)
		fail_msg("verify after a flip: %d\n%s%s", r->status, r->out, r->err);
	free(r);
	free(db);
	free(path);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outside_records_not_believed),
		cmocka_unit_test(test_schema_refuses_rewrites),
		cmocka_unit_test(test_schema_objects_named),
		cmocka_unit_test(test_training_flip_named),
		cmocka_unit_test(test_training_flip_command_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

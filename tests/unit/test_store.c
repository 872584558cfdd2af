/* The store: migrations from an empty file, pragmas, nothing deleted, locks and conflicts. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinfang/clock.h"
#include "xinfang/setup.h"

/* A path in a new temporary directory. */
static void temp_db(char *dir, size_t dlen, char *path, size_t plen)
{
	snprintf(dir, dlen, "/tmp/xinfang-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, plen, "%s/s.db", dir);
}

/* Runs SQL on a raw connection, returning SQLite's code. */
static int raw_exec(const char *path, const char *sql, char **errmsg)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 100);
	int rc = sqlite3_exec(db, sql, NULL, NULL, errmsg);
	sqlite3_close(db);
	return rc;
}

/* A single integer from a raw query. */
static long raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	long v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

/* Each migration applies on top of the previous version, from an empty file. */
static void migrations_from_empty(void **state)
{
	(void)state;
	char dir[64], path[128];
	temp_db(dir, sizeof dir, path, sizeof path);
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(store_open(path, &st, &err), XF_OK);
	int v;
	assert_int_equal(store_version(st, &v, &err), XF_OK);
	assert_int_equal(v, 0);
	assert_true(xf_migration_count >= 1);
	for (size_t i = 0; i < xf_migration_count; i++) {
		assert_int_equal(store_migrate(st, xf_migrations[i].version, &err), XF_OK);
		assert_int_equal(store_version(st, &v, &err), XF_OK);
		assert_int_equal(v, xf_migrations[i].version);
		/* What each version held survives the next one. */
		char key[16];
		snprintf(key, sizeof key, "v%d", v);
		assert_int_equal(store_setting_set(st, key, "kept", &err), XF_OK);
		for (size_t k = 0; k <= i; k++) {
			char *val;
			snprintf(key, sizeof key, "v%d", xf_migrations[k].version);
			assert_int_equal(store_setting_get(st, key, &val, &err), XF_OK);
			assert_non_null(val);
			assert_string_equal(val, "kept");
			free(val);
		}
	}
	assert_int_equal(v, store_latest_version());
	/* Migrating again changes nothing. */
	assert_int_equal(store_migrate(st, 0, &err), XF_OK);
	store_close(st);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), store_latest_version());
	assert_true(raw_int(path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'") >= 20);
	char *journal = NULL;
	sqlite3 *db;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	journal = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	assert_string_equal(journal, "wal");
	free(journal);
	/* A file from a newer program is refused. */
	assert_int_equal(raw_exec(path, "PRAGMA user_version = 999", NULL), SQLITE_OK);
	assert_int_equal(store_open(path, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 0, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "升级"));
	store_close(st);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Opening something that is not a store, or a store never initialised. */
static void bad_files(void **state)
{
	(void)state;
	char dir[64], path[128];
	temp_db(dir, sizeof dir, path, sizeof path);
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(setup_open(path, &st, &err), XF_ENOTFOUND);
	assert_non_null(strstr(err.msg, "xinfang init"));
	FILE *f = fopen(path, "w");
	fputs("this is not a database, just text that is long enough to be a header............", f);
	fclose(f);
	int rc = setup_open(path, &st, &err);
	assert_int_equal(rc, XF_EIO);
	assert_non_null(strstr(err.msg, "不是 xinfang 数据库"));
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Nothing is deleted and the audit trail is never rewritten, even with raw SQL. */
static void nothing_is_deleted(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, NULL);
	assert_true(id > 0);
	char *msg = NULL;
	assert_int_not_equal(raw_exec(fx.db, "DELETE FROM cases", &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "never deleted"));
	sqlite3_free(msg);
	assert_int_not_equal(raw_exec(fx.db, "DELETE FROM audit", NULL), SQLITE_OK);
	assert_int_not_equal(raw_exec(fx.db, "UPDATE audit SET operator = 'x'", NULL), SQLITE_OK);
	assert_int_not_equal(raw_exec(fx.db, "DELETE FROM petitioners", NULL), SQLITE_OK);
	assert_int_equal(raw_int(fx.db, "SELECT count(*) FROM cases"), 1);
	fixture_close(&fx);
}

/* A store locked by another program gives a clear message and loses nothing. */
static void locked_database(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, NULL);
	sqlite3 *other;
	setenv("XINFANG_BUSY_MS", "200", 1);
	struct xf_store *st2;
	struct xf_err err;
	assert_int_equal(store_open(fx.db, &st2, &err), XF_OK);
	struct xf_session s2;
	assert_int_equal(auth_login(st2, "head", "secret1", &s2, &err), XF_OK);
	assert_int_equal(sqlite3_open(fx.db, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	/* A login must record its try, so it is refused as busy too. */
	struct xf_session s3;
	assert_int_equal(auth_login(st2, "clerk", "secret1", &s3, &err), XF_EBUSY);
	struct xf_fields f;
	fields_from(&f, "dept=个人金融部", NULL);
	assert_int_equal(case_move(&s2, id, XF_MV_TRANSFER, &f, 0, &err), XF_EBUSY);
	assert_non_null(strstr(err.msg, "占用"));
	assert_non_null(strstr(err.msg, "稍后重试"));
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	char buf[32];
	assert_string_equal(fixture_state(&fx, id, buf), "queued");
	/* Once free, the same move goes through. */
	assert_int_equal(case_move(&s2, id, XF_MV_TRANSFER, &f, 0, &err), XF_OK);
	assert_string_equal(fixture_state(&fx, id, buf), "transferred");
	fields_free(&f);
	session_close(&s2);
	store_close(st2);
	setenv("XINFANG_BUSY_MS", "5000", 1);
	fixture_close(&fx);
}

/* Another desk's commit changes PRAGMA data_version. */
static void data_version_notices_other_desks(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t v1, v2, v3;
	assert_int_equal(store_data_version(fx.st, &v1, NULL), XF_OK);
	assert_int_equal(store_data_version(fx.st, &v2, NULL), XF_OK);
	assert_true(v1 == v2);
	assert_int_equal(raw_exec(fx.db, "INSERT INTO settings(key, value) VALUES ('x', 'y')", NULL), SQLITE_OK);
	assert_int_equal(store_data_version(fx.st, &v3, NULL), XF_OK);
	assert_true(v3 != v2);
	fixture_close(&fx);
}

/* A year of the calendar is stamped with the one clock's time (the training date set), not the
 * database's own datetime('now'). */
static void calendar_loaded_at_follows_the_clock(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_err err;
	struct xf_calday day = {date_from_ymd(2031, 1, 1), false, "元旦"};
	assert_int_equal(store_begin(fx.st, &err), XF_OK);
	assert_int_equal(store_calendar_replace(fx.st, 2031, "test", &day, 1, &err), XF_OK);
	assert_int_equal(store_commit(fx.st, &err), XF_OK);
	assert_int_equal(raw_int(fx.db, "SELECT count(*) FROM calendar_years WHERE year = 2031 "
	                                "AND loaded_at LIKE '2026-11-20 __:__:__'"),
	                 1);
	fixture_close(&fx);
}

/* The tables (and the one kind of update the desk makes of every case) whose writes build a
 * temporary b-tree for each row: an IN list of three values or more, in a CHECK or in a
 * partial index's WHERE, is coded as one (EXPLAIN shows OpenEphemeral). Space-separated. */
static char *ephemeral_writes(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *tables;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", -1,
	                                    &tables, NULL),
	                 SQLITE_OK);
	struct xf_buf found;
	buf_init(&found);
	buf_puts(&found, "");
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		char *sql[] = {xasprintf("EXPLAIN INSERT INTO \"%s\" DEFAULT VALUES", name),
		               strcmp(name, "cases") == 0 ? xstrdup("EXPLAIN UPDATE cases SET state = ?1, importance = ?2 WHERE id = ?3")
		                                          : NULL};
		for (int k = 0; k < 2 && sql[k]; k++) {
			sqlite3_stmt *stmt;
			if (sqlite3_prepare_v2(db, sql[k], -1, &stmt, NULL) == SQLITE_OK) {
				/* The statement's own program (the triggers' follow, numbered from 0 again). */
				bool ephemeral = false;
				for (int row = 0; sqlite3_step(stmt) == SQLITE_ROW && (row == 0 || sqlite3_column_int(stmt, 0) > 0); row++)
					ephemeral |= strcmp((const char *)sqlite3_column_text(stmt, 1), "OpenEphemeral") == 0;
				sqlite3_finalize(stmt);
				if (ephemeral)
					buf_printf(&found, "%s%s%s", found.len ? " " : "", name, k ? ":update" : "");
			}
			free(sql[k]);
		}
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	return found.data;
}

/* No write builds a temporary b-tree per row (version 15 writes the lists as comparisons),
 * in a new store as in one upgraded from version 14, and the upgraded store's rows all pass
 * the tests as they now read. */
static void writes_build_no_temporary_tree(void **state)
{
	(void)state;
	char dir[64], path[128];
	temp_db(dir, sizeof dir, path, sizeof path);
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(store_open(path, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 14, &err), XF_OK);
	char *before = ephemeral_writes(path);
	/* The measure catches what version 14 had: the cases' state, the operators' role, … */
	assert_non_null(strstr(before, "cases"));
	assert_non_null(strstr(before, "cases:update"));
	assert_non_null(strstr(before, "operators"));
	assert_non_null(strstr(before, "outcomes"));
	free(before);
	assert_int_equal(store_migrate(st, 0, &err), XF_OK);
	store_close(st);
	char *after = ephemeral_writes(path);
	assert_string_equal(after, "");
	free(after);
	assert_int_equal(raw_exec(path, "INSERT INTO operators(name, role, pwhash, created_at) VALUES ('x', 'boss', '', '')",
	                          NULL),
	                 SQLITE_CONSTRAINT);
	char *fresh_dir = xasprintf("%s/fresh.db", dir);
	assert_int_equal(store_open(fresh_dir, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 0, &err), XF_OK);
	store_close(st);
	after = ephemeral_writes(fresh_dir);
	assert_string_equal(after, "");
	free(after);
	free(fresh_dir);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* A server's database is named by its hosts, port and name alone: the owner's locator (init,
 * verify) and a desk's (another user, target_session_attrs) find one anchor; another database
 * or host another. */
static void locator_names_the_database(void **state)
{
	(void)state;
	char *owner = store_locator_database("postgresql://dbhost/xinfang?user=xinfang_owner");
	assert_string_equal(owner, "postgresql://dbhost/xinfang");
	char *desk = store_locator_database("postgresql://clerk1@dbhost/xinfang?target_session_attrs=read-write");
	assert_string_equal(desk, "postgresql://dbhost/xinfang");
	char *socket = store_locator_database("postgresql:///xinfang?host=/run/pg&user=clerk1&port=5433&connect_timeout=5");
	assert_string_equal(socket, "postgresql:///xinfang?host=/run/pg&port=5433");
	char *service = store_locator_database("service=xinfang user=clerk1");
	assert_string_equal(service, "service=xinfang");
	free(owner), free(desk), free(socket), free(service);
	char *a = store_locator_file_name("postgresql://dbhost/xinfang?user=xinfang_owner");
	char *b = store_locator_file_name("postgresql://db1@dbhost/xinfang?user=clerk1&target_session_attrs=read-write");
	char *other_db = store_locator_file_name("postgresql://dbhost/xinfang2?user=clerk1");
	char *other_host = store_locator_file_name("postgresql://dbhost2/xinfang?user=clerk1");
	assert_string_equal(a, b);
	assert_string_not_equal(a, other_db);
	assert_string_not_equal(a, other_host);
	/* A locator naming nothing but the database keeps the name earlier versions gave it. */
	char *plain = store_locator_file_name("postgresql://dbhost/xinfang");
	char *plain_whole = store_locator_file_name_whole("postgresql://dbhost/xinfang");
	assert_string_equal(plain, plain_whole);
	char *whole = store_locator_file_name_whole("postgresql://dbhost/xinfang?user=xinfang_owner");
	assert_string_not_equal(whole, a);
	free(a), free(b), free(other_db), free(other_host), free(plain), free(plain_whole), free(whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migrations_from_empty),   cmocka_unit_test(bad_files),
		cmocka_unit_test(nothing_is_deleted),      cmocka_unit_test(locked_database),
		cmocka_unit_test(data_version_notices_other_desks), cmocka_unit_test(writes_build_no_temporary_tree),
		cmocka_unit_test(calendar_loaded_at_follows_the_clock), cmocka_unit_test(locator_names_the_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

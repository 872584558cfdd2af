/* The store on PostgreSQL: the migrations compiled in for it build an empty database up to the
 * newest version (all at once and one by one), the desk's privileges follow, and the store's
 * own statements (store.c, store_report.c) run there and read what SQLite would. Run beside a
 * throwaway cluster (tests/pg/with_cluster.sh: XINFANG_TEST_PG). The audit chain: an office day
 * through the core leaves the same records, snapshot for snapshot, as on SQLite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <regex.h>

#include "testutil.h"
#include "core/store_db.h"
#include "xinfang/calendar.h"
#include "xinfang/store.h"
#include "xinfang/store_chain.h"
#include "xinfang/verify.h"

/* The cluster's own database, where the test's databases are made. */
static const char *server;
/* The directory of the cluster's socket. */
static const char *socket_dir;

/* Runs SQL on the cluster's own database (asserting it worked). */
static void on_server(const char *sql)
{
	struct xf_db *db;
	struct xf_err err;
	assert_int_equal(xf_db_open(server, NULL, &db, &err), XF_OK);
	assert_int_equal(xf_db_exec(db, sql, &err, "test"), XF_OK);
	xf_db_close(db);
}

/* Makes an empty database as a DBA would (UTF8, byte order) and returns its locator. */
static char *fresh_database(const char *name)
{
	char *sql = xasprintf("DROP DATABASE IF EXISTS %s", name);
	on_server(sql);
	free(sql);
	sql = xasprintf("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'", name);
	on_server(sql);
	free(sql);
	return xasprintf("postgresql:///%s?host=%s&user=postgres", name, socket_dir);
}

/* Reads one integer from a query on the store's database. */
static int64_t query_int(const char *locator, const char *sql)
{
	struct xf_db *db;
	struct xf_db_stmt *stmt;
	struct xf_err err;
	assert_int_equal(xf_db_open(locator, NULL, &db, &err), XF_OK);
	assert_int_equal(xf_db_prepare(db, sql, &stmt, &err), XF_OK);
	assert_int_equal(xf_db_step(stmt), XF_DB_ROW);
	int64_t v = xf_db_column_int64(stmt, 0);
	xf_db_finalize(stmt);
	xf_db_close(db);
	return v;
}

/* Runs SQL on the store's database through a connection of its own (another desk). */
static void on_store(const char *locator, const char *sql)
{
	struct xf_db *db;
	struct xf_err err;
	assert_int_equal(xf_db_open(locator, NULL, &db, &err), XF_OK);
	if (xf_db_exec(db, sql, &err, "test") != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	xf_db_close(db);
}

/* An empty database is migrated to the newest version, the same number as SQLite's; again
 * changes nothing; the desk's role may append to the audit table but not change it. */
static void test_migrate_all(void **state)
{
	(void)state;
	char *loc = fresh_database("xf_all");
	struct xf_store *st;
	struct xf_err err;
	if (store_open(loc, &st, &err) != XF_OK)
		fail_msg("store_open: %s", err.msg);
	int v = -1;
	assert_int_equal(store_version(st, &v, &err), XF_OK);
	assert_int_equal(v, 0);
	if (store_migrate(st, 0, &err) != XF_OK)
		fail_msg("store_migrate: %s", err.msg);
	assert_int_equal(store_version(st, &v, &err), XF_OK);
	assert_int_equal(v, store_latest_version());
	assert_int_equal(xf_pg_migrations[xf_pg_migration_count - 1].version, store_latest_version());
	assert_int_equal(store_migrate(st, 0, &err), XF_OK);
	assert_int_equal(store_version(st, &v, &err), XF_OK);
	assert_int_equal(v, store_latest_version());
	store_close(st);
	assert_int_equal(query_int(loc, "SELECT count(*) FROM schema_version"), 1);
	assert_int_equal(query_int(loc, "SELECT CAST(has_table_privilege('xinfang_desk', 'audit', 'INSERT') AS integer)"), 1);
	assert_int_equal(query_int(loc, "SELECT CAST(has_table_privilege('xinfang_desk', 'audit', 'UPDATE') AS integer)"), 0);
	assert_int_equal(query_int(loc, "SELECT CAST(has_table_privilege('xinfang_desk', 'cases', 'UPDATE') AS integer)"), 1);
	free(loc);
}

/* One version at a time, as an upgrade goes: each step reaches exactly its version. */
static void test_migrate_stepwise(void **state)
{
	(void)state;
	char *loc = fresh_database("xf_steps");
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(store_open(loc, &st, &err), XF_OK);
	for (size_t i = 0; i < xf_pg_migration_count; i++) {
		if (store_migrate(st, xf_pg_migrations[i].version, &err) != XF_OK)
			fail_msg("%s: %s", xf_pg_migrations[i].name, err.msg);
		int v;
		assert_int_equal(store_version(st, &v, &err), XF_OK);
		assert_int_equal(v, xf_pg_migrations[i].version);
	}
	store_close(st);
	free(loc);
}

/* A migration that fails leaves the version where it was (the file and its version are one
 * transaction), with the message naming the file. */
static void test_migrate_failure_keeps_version(void **state)
{
	(void)state;
	char *loc = fresh_database("xf_fail");
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(store_open(loc, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 1, &err), XF_OK);
	/* Another hand made a table that migration 2 creates. */
	on_store(loc, "CREATE TABLE drafts (x integer)");
	assert_int_not_equal(store_migrate(st, 0, &err), XF_OK);
	assert_non_null(strstr(err.msg, "002_drafts.sql"));
	int v;
	assert_int_equal(store_version(st, &v, &err), XF_OK);
	assert_int_equal(v, 1);
	store_close(st);
	free(loc);
}

/* A migrated store with one department, category, channel and case written by another desk. */
static struct xf_store *store_with_a_case(const char *name, char **loc)
{
	*loc = fresh_database(name);
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(store_open(*loc, &st, &err), XF_OK);
	if (store_migrate(st, 0, &err) != XF_OK)
		fail_msg("store_migrate: %s", err.msg);
	on_store(*loc, "INSERT INTO departments(name) VALUES ('办公室');"
	               "INSERT INTO channels(name) VALUES ('来信');"
	               "INSERT INTO categories(name, kind, grp) VALUES ('服务', '投诉', 'general');"
	               "INSERT INTO cases(year, seq, number, state, received, channel, category, department, summary, "
	               "ruleset, due_transfer, due_handle, due_reply, orig_due_handle, orig_due_reply, created_by, "
	               "created_at) VALUES (2026, 7, '2026-0007', 'queued', '2026-11-02', '来信', '服务', '办公室', "
	               "'𠮷 的来信', 'seed', '2026-11-05', '2026-12-02', '2027-01-01', '2026-12-02', '2027-01-01', "
	               "'clerk', '2026-11-02 09:00:00');"
	               "INSERT INTO petitioners(case_id, ord, name) VALUES (1, 0, '张三');");
	return st;
}

/* The store's reads on PostgreSQL answer as on SQLite: a case by number and id, the lists with
 * and without their filters, the head's queue, the pending list and counts. */
static void test_reads(void **state)
{
	(void)state;
	char *loc;
	struct xf_store *st = store_with_a_case("xf_reads", &loc);
	struct xf_err err;
	int64_t id = 0;
	assert_int_equal(store_case_id(st, 1, 2026, 7, &id, &err), XF_OK);
	assert_int_equal(id, 1);
	assert_int_equal(store_case_id(st, 1, 2026, 8, &id, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, "没有 2026年第0008号 这件信访事项");
	struct xf_fields f;
	assert_int_equal(store_get(st, "cases", 1, &f, &err), XF_OK);
	assert_string_equal(fields_str(&f, "summary"), "𠮷 的来信");
	assert_string_equal(fields_str(&f, "version"), "1");
	fields_free(&f);
	struct xf_rows rows;
	assert_int_equal(store_list(st, "petitioners", "case_id", "1", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	assert_string_equal(fields_str(&rows.v[0], "name"), "张三");
	rows_free(&rows);
	if (store_case_briefs(st, NULL, NULL, NULL, NULL, XF_LIST_NEWEST, 10, &rows, &err) != XF_OK)
		fail_msg("store_case_briefs: %s", err.msg);
	assert_int_equal(rows.n, 1);
	assert_string_equal(fields_str(&rows.v[0], "name"), "张三");
	rows_free(&rows);
	assert_int_equal(store_case_briefs(st, NULL, "queued", "办公室", "clerk", XF_LIST_DUE_HANDLE, 10, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	assert_int_equal(store_case_briefs(st, NULL, "closed", NULL, NULL, XF_LIST_NEWEST, 10, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 0);
	rows_free(&rows);
	if (store_queue(st, NULL, 50, &rows, &err) != XF_OK)
		fail_msg("store_queue: %s", err.msg);
	assert_int_equal(rows.n, 1);
	assert_string_equal(fields_str(&rows.v[0], "number"), "2026-0007");
	assert_string_equal(fields_str(&rows.v[0], "sect"), "0");
	rows_free(&rows);
	assert_int_equal(store_pending_list(st, NULL, XF_LIMIT_TRANSFER, "2026-11-30", NULL, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	assert_int_equal(store_pending_list(st, NULL, XF_LIMIT_TRANSFER, "2026-11-04", "办公室", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 0);
	rows_free(&rows);
	assert_int_equal(store_petitioner_cases(st, NULL, "name", "张三", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	long n = -1;
	assert_int_equal(store_count_pending(st, NULL, XF_LIMIT_TRANSFER, NULL, "2026-11-30", NULL, &n, &err), XF_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_count_pending(st, NULL, XF_LIMIT_TRANSFER, "2026-11-06", "2026-11-30", "办公室", &n, &err), XF_OK);
	assert_int_equal(n, 0);
	if (store_pending_counts_check(st, &n, &err) != XF_OK)
		fail_msg("store_pending_counts_check: %s", err.msg);
	assert_int_equal(n, 0);
	store_close(st);
	free(loc);
}

/* Counts the scanned cases. */
static int count_row(void *ctx, const struct xf_stats_row *row)
{
	(void)row;
	++*(int *)ctx;
	return 0;
}

/* The statistics' queries run on PostgreSQL in one snapshot and count as on SQLite. */
static void test_statistics(void **state)
{
	(void)state;
	char *loc;
	struct xf_store *st = store_with_a_case("xf_stats", &loc);
	struct xf_err err;
	bool own;
	assert_int_equal(store_stats_begin(st, &own, &err), XF_OK);
	assert_true(own);
	int scanned = 0;
	if (store_stats_scan(st, NULL, "2026-01-01", "2026-12-31", "2026-11-20", count_row, &scanned, &err) != XF_OK)
		fail_msg("store_stats_scan: %s", err.msg);
	assert_int_equal(scanned, 1);
	struct xf_reach branch1 = {1, NULL}, branch2 = {2, NULL}, top = {1, "/1/"};
	scanned = 0;
	if (store_stats_scan(st, &top, "2026-01-01", "2026-12-31", "2026-11-20", count_row, &scanned, &err) != XF_OK)
		fail_msg("store_stats_scan in reach: %s", err.msg);
	assert_int_equal(scanned, 1);
	scanned = 0;
	assert_int_equal(store_stats_scan(st, &branch2, "2026-01-01", "2026-12-31", "2026-11-20", count_row, &scanned, &err),
	                 XF_OK);
	assert_int_equal(scanned, 0);
	struct xf_rows grouped;
	if (store_stats_first_transfer_fix(st, &branch1, "2026-01-01", "2026-12-31", &grouped, &err) != XF_OK)
		fail_msg("first transfer: %s", err.msg);
	assert_int_equal(grouped.n, 0);
	rows_free(&grouped);
	if (store_stats_repeats(st, &top, "2026-01-01", "2026-12-31", &grouped, &err) != XF_OK)
		fail_msg("repeats: %s", err.msg);
	assert_int_equal(grouped.n, 0);
	rows_free(&grouped);
	if (store_stats_satisfaction(st, &top, "2026-01-01", "2026-12-31", false, 0, 0, &grouped, &err) != XF_OK)
		fail_msg("satisfaction: %s", err.msg);
	assert_int_equal(grouped.n, 0);
	rows_free(&grouped);
	assert_int_equal(store_stats_satisfaction(st, NULL, NULL, NULL, true, 1, 1, &grouped, &err), XF_OK);
	assert_int_equal(grouped.n, 1);
	assert_string_equal(fields_str(&grouped.v[0], "stated"), "0");
	rows_free(&grouped);
	struct xf_rows rows;
	if (store_stats_weeks(st, &top, "2026-10-26", "2026-11-01", "2026-11-02", "2026-11-08", &rows, &err) != XF_OK)
		fail_msg("weeks: %s", err.msg);
	assert_int_equal(rows.n, 1);
	assert_string_equal(fields_str(&rows.v[0], "last"), "0");
	assert_string_equal(fields_str(&rows.v[0], "this"), "1");
	rows_free(&rows);
	assert_int_equal(store_stats_jrt(st, &branch1, "2026-01-01", "2026-12-31", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	int64_t ids[] = {1};
	assert_int_equal(store_stats_handlers(st, ids, 1, &rows, &err), XF_OK);
	assert_string_equal(fields_str(&rows.v[0], "handler"), "");
	rows_free(&rows);
	store_stats_end(st, own);
	store_close(st);
	free(loc);
}

/* Numbering, the calendar, drafts and a reference list's rename, in the store's transactions. */
static void test_writes_outside_the_chain(void **state)
{
	(void)state;
	char *loc;
	struct xf_store *st = store_with_a_case("xf_writes", &loc);
	struct xf_err err;
	assert_int_equal(store_begin(st, &err), XF_OK);
	int seq = 0;
	assert_int_equal(store_next_seq(st, 1, 2027, &seq, &err), XF_OK);
	assert_int_equal(seq, 1);
	assert_int_equal(store_next_seq(st, 1, 2027, &seq, &err), XF_OK);
	assert_int_equal(seq, 2);
	struct xf_calday days[2] = {{date_from_ymd(2027, 1, 1), false, "元旦"}, {date_from_ymd(2027, 1, 4), true, "调休"}};
	if (store_calendar_replace(st, 2027, "test", days, 2, &err) != XF_OK)
		fail_msg("calendar: %s", err.msg);
	assert_int_equal(store_calendar_replace(st, 2027, "again", days, 1, &err), XF_OK);
	assert_int_equal(store_commit(st, &err), XF_OK);
	struct xf_calendar cal;
	assert_int_equal(store_calendar_load(st, &cal, &err), XF_OK);
	assert_int_equal(cal.first_year, 2027);
	assert_int_equal(cal.n, 1);
	assert_string_equal(cal.days[0].name, "元旦");
	calendar_free(&cal);
	assert_int_equal(query_int(loc, "SELECT count(*) FROM calendar_years WHERE source = 'again' AND loaded_at <> ''"), 1);

	assert_int_equal(store_draft_put(st, "clerk", "register", "{\"summary\": \"𠮷\", \"people\": 2}", "2026-11-20 10:00:00", &err), XF_OK);
	struct xf_fields f;
	char at[20];
	bool found = false;
	assert_int_equal(store_draft_get(st, "clerk", "register", &f, at, &found, &err), XF_OK);
	assert_true(found);
	assert_string_equal(at, "2026-11-20 10:00:00");
	assert_string_equal(fields_str(&f, "summary"), "𠮷");
	assert_string_equal(fields_str(&f, "people"), "2");
	fields_free(&f);
	assert_int_equal(store_draft_drop(st, "clerk", "register", &err), XF_OK);
	assert_int_equal(store_draft_get(st, "clerk", "register", &f, at, &found, &err), XF_OK);
	assert_false(found);
	fields_free(&f);

	fields_init(&f);
	fields_set(&f, "active", "0");
	assert_int_equal(store_update_named(st, "departments", "办公室", &f, &err), XF_OK);
	assert_int_equal(store_update_named(st, "departments", "没有", &f, &err), XF_ENOTFOUND);
	fields_free(&f);
	char *value = NULL;
	assert_int_equal(store_setting_get(st, "no such", &value, &err), XF_OK);
	assert_null(value);
	store_close(st);
	free(loc);
}


/* Counts a row that differs from its newest snapshot (and names it). */
static bool count_fault(void *ctx, const struct xf_row_fault *f)
{
	fprintf(stderr, "row fault: %s\n", f->key);
	++*(long *)ctx;
	return true;
}

/* One office day through the core's own calls: two registrations (one of two petitioners), a
 * transfer, an outcome, a reply, a setting changed, a department renamed. */
static void office_day(struct fixture *fx)
{
	int64_t a = fixture_case(fx, "name=张三", "summary=𠮷 的来信：\"引号\" 与\t制表", "people=2", NULL);
	int64_t b = fixture_case(fx, "anonymous=是", "amount=12.50", NULL);
	fixture_move(&fx->head, a, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx->clerk, a, XF_MV_OUTCOME, "findings=经核实情况属实", "satisfaction=满意", NULL);
	fixture_move(&fx->clerk, a, XF_MV_REPLY, "method=书面", NULL);
	fixture_move(&fx->clerk, b, XF_MV_MATERIAL, "description=补充材料", "copies=2", NULL);
	struct xf_err err;
	assert_int_equal(store_setting_set(fx->st, "office_name", "某某支行", &err), XF_OK);
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "active", "0");
	assert_int_equal(store_update_named(fx->st, "departments", "运营管理部", &f, &err), XF_OK);
	fields_free(&f);
	/* "No value" for an INTEGER column: its declared default on both (PostgreSQL refuses ''). */
	fields_init(&f);
	fields_set(&f, "materials", "");
	if (store_update(fx->st, "cases", b, &f, 0, &err) != XF_OK)
		fail_msg("update with no value: %s", err.msg);
	fields_free(&f);
	fields_init(&f);
	fields_set(&f, "case_id", "2");
	fields_set(&f, "department", "监察室");
	fields_set(&f, "deadline", "2026-12-20");
	fields_set(&f, "transfer_date", "2026-11-20");
	fields_set(&f, "masked", "");
	fields_set(&f, "at", "2026-11-20 10:00:00");
	fields_set(&f, "actor", "head");
	if (store_insert(fx->st, "transfers", &f, NULL, &err) != XF_OK)
		fail_msg("insert with no value: %s", err.msg);
	fields_free(&f);
	assert_int_equal(store_get(fx->st, "cases", b, &f, &err), XF_OK);
	assert_string_equal(fields_str(&f, "materials"), "0");
	fields_free(&f);
}

/* The audit records of a store as "action|operator|case|before|after|snapshot" lines, what
 * differs between two runs by design overwritten. A new string. */
static char *audit_text(struct xf_store *st)
{
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(st, "audit", NULL, NULL, &rows, &err), XF_OK);
	struct xf_buf b;
	buf_init(&b);
	for (size_t i = 0; i < rows.n; i++) {
		const struct xf_fields *r = &rows.v[i];
		buf_printf(&b, "%s|%s|%s|%s|%s|%s\n", fields_str(r, "action"), fields_str(r, "operator"),
		           fields_str(r, "case_id"), fields_str(r, "before"), fields_str(r, "after"), fields_str(r, "snapshot"));
	}
	rows_free(&rows);
	/* What differs by design between two runs: the times of day, the store's random id and the
	 * password hashes' random salts (each overwritten with x's, their lengths kept). */
	static const char *const random[] = {"[0-2][0-9]:[0-5][0-9]:[0-5][0-9]",
	                                     "\"store_id\",\"value\":\"[0-9a-f]+\"", "\"pwhash\":\"[^\"]*\""};
	for (size_t k = 0; k < sizeof random / sizeof random[0]; k++) {
		regex_t re;
		assert_int_equal(regcomp(&re, random[k], REG_EXTENDED), 0);
		regmatch_t m;
		for (size_t off = 0; regexec(&re, b.data + off, 1, &m, 0) == 0; off += (size_t)m.rm_eo)
			memset(b.data + off + m.rm_so, 'x', (size_t)(m.rm_eo - m.rm_so));
		regfree(&re);
	}
	return b.data;
}

/* The same day on an SQLite file and on PostgreSQL leaves the same audit records, snapshot
 * for snapshot (the canonical JSON byte for byte), and the chain's hashes recompute on
 * PostgreSQL; every row there is as its newest snapshot holds it. */
static void test_chain_same_as_sqlite(void **state)
{
	(void)state;
	struct fixture lite, pg;
	fixture_open_at(&lite, "2026-11-20", NULL);
	office_day(&lite);
	char *want = audit_text(lite.st);
	fixture_close(&lite);
	char *loc = fresh_database("xf_chain");
	fixture_open_at(&pg, "2026-11-20", loc);
	office_day(&pg);
	char *got = audit_text(pg.st);
	assert_non_null(strstr(got, "\"cases:1\":{"));
	assert_non_null(strstr(got, "\"settings\":["));
	assert_string_equal(got, want);
	struct xf_chain_walk walk;
	struct xf_err err;
	assert_int_equal(store_chain_walk(pg.st, 1, &walk, &err), XF_OK);
	assert_int_equal(walk.fault, XF_CHAIN_OK);
	assert_true(walk.records > 10);
	long rows = 0, faults = 0;
	if (store_chain_rows_check(pg.st, walk.head.id, count_fault, &faults, &rows, &err) != XF_OK)
		fail_msg("rows check: %s", err.msg);
	assert_true(rows > 10);
	assert_int_equal(faults, 0);
	fixture_close(&pg);
	/* A desk connecting as a login role of the desk's role (no CREATE on the database) passes
	 * the quick check at its start: the schema's comparison is left to the full verify. */
	on_server("DROP ROLE IF EXISTS xf_clerk_login; CREATE ROLE xf_clerk_login LOGIN IN ROLE xinfang_desk");
	char *desk = xasprintf("postgresql:///xf_chain?host=%s&user=xf_clerk_login", socket_dir);
	struct xf_store *st;
	if (store_open(desk, &st, &err) != XF_OK)
		fail_msg("open as the desk: %s", err.msg);
	char msg[1024];
	if (!verify_desk_check(st, msg, sizeof msg))
		fail_msg("the desk's check: %s", msg);
	/* It writes through the chain with the desk's privileges: a record appended, and chained. */
	if (store_setting_set(st, "office_name", "另一支行", &err) != XF_OK)
		fail_msg("a write as the desk: %s", err.msg);
	assert_int_equal(store_chain_walk(st, 1, &walk, &err), XF_OK);
	assert_int_equal(walk.fault, XF_CHAIN_OK);
	assert_int_equal(query_int(desk, "SELECT count(*) FROM audit WHERE snapshot LIKE '%另一支行%'"), 1);
	store_close(st);
	free(desk);
	free(want);
	free(got);
	free(loc);
}

/* Runs the tests beside the cluster named by XINFANG_TEST_PG. */
int main(void)
{
	server = getenv("XINFANG_TEST_PG");
	socket_dir = getenv("XINFANG_TEST_PG_DIR");
	if (server == NULL || socket_dir == NULL) {
		fprintf(stderr, "test_store_pg: run it through tests/pg/with_cluster.sh\n");
		return 1;
	}
	/* A PostgreSQL store's anchor is the configuration's: one of the test's own. */
	char *anchor = xasprintf("%s/test.anchor", socket_dir);
	setenv("XINFANG_ANCHOR", anchor, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_all),
		cmocka_unit_test(test_migrate_stepwise),
		cmocka_unit_test(test_migrate_failure_keeps_version),
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_statistics),
		cmocka_unit_test(test_writes_outside_the_chain),
		cmocka_unit_test(test_chain_same_as_sqlite),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(anchor);
	return failed;
}

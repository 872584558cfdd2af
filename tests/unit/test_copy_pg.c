/* Backup and restore between the backends (src/core/store_copy.c): a demo SQLite store goes
 * into a new PostgreSQL database and back out into a new SQLite file, which holds every row the
 * original held, rebuilds its own text index and status counts, and verifies against the chain
 * it carried across. Run beside a throwaway cluster (tests/pg/with_cluster.sh). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store_db.h"
#include "core/store_private.h"
#include "xinfang/store_chain.h"
#include "xinfang/verify.h"

/* The cluster's own database, and the directory of its socket. */
static const char *server;
static const char *socket_dir;
/* A temporary directory for the SQLite files. */
static char dir[] = "/tmp/xfcopy.XXXXXX";

/* Every row of a table as one text, in a stable order (NULL and '' told apart). */
static char *dump_table(const char *path, const char *table)
{
	struct xf_db *db;
	struct xf_db_stmt *stmt;
	struct xf_err err;
	assert_int_equal(xf_db_open(path, NULL, &db, &err), XF_OK);
	/* The status counts keep a due date's row when its count falls to 0; a copy counts afresh. */
	char *sql = xasprintf("SELECT * FROM \"%s\"%s ORDER BY 1, 2", table,
	                      strcmp(table, "pending_counts") == 0 ? " WHERE n <> 0" : "");
	if (xf_db_prepare(db, sql, &stmt, &err) != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	free(sql);
	struct xf_buf out;
	buf_init(&out);
	buf_puts(&out, "");
	while (xf_db_step(stmt) == XF_DB_ROW) {
		for (int i = 0; i < xf_db_column_count(stmt); i++) {
			const char *v = xf_db_column_text(stmt, i);
			buf_printf(&out, "%s=%s%c", xf_db_column_name(stmt, i), v ? v : "\\N", i + 1 < xf_db_column_count(stmt) ? '|' : '\n');
		}
	}
	xf_db_finalize(stmt);
	xf_db_close(db);
	return out.data;
}

/* The user tables of an SQLite file, the text index's and the derived counts' among them. */
static struct xf_rows sqlite_tables(const char *path)
{
	struct xf_db *db;
	struct xf_db_stmt *stmt;
	struct xf_err err;
	struct xf_rows rows = {0};
	assert_int_equal(xf_db_open(path, NULL, &db, &err), XF_OK);
	assert_int_equal(xf_db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
	                                   "AND name NOT LIKE 'search%' ORDER BY name", &stmt, &err), XF_OK);
	size_t cap = 0;
	while (xf_db_step(stmt) == XF_DB_ROW) {
		if (rows.n == cap) {
			cap = cap ? cap * 2 : 32;
			rows.v = xrealloc(rows.v, cap * sizeof *rows.v);
		}
		fields_init(&rows.v[rows.n]);
		fields_add(&rows.v[rows.n++], "name", xf_db_column_text(stmt, 0));
	}
	xf_db_finalize(stmt);
	xf_db_close(db);
	return rows;
}

/* One integer from a query on a store. */
static int64_t query_int(const char *path, const char *sql)
{
	struct xf_db *db;
	struct xf_db_stmt *stmt;
	struct xf_err err;
	assert_int_equal(xf_db_open(path, NULL, &db, &err), XF_OK);
	if (xf_db_prepare(db, sql, &stmt, &err) != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	assert_int_equal(xf_db_step(stmt), XF_DB_ROW);
	int64_t v = xf_db_column_int64(stmt, 0);
	xf_db_finalize(stmt);
	xf_db_close(db);
	return v;
}

/* A demo store made by the real program, its path a new string. */
static char *demo_store(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *env_db = xasprintf("XINFANG_DB=%s", path);
	const char *env[] = {env_db, "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"init", "--demo", NULL});
	if (r->status != 0)
		fail_msg("init --demo: %s", r->err);
	free(r);
	free(env_db);
	return path;
}

/* SQLite → PostgreSQL → SQLite keeps every row of every table; the copy's text index and
 * status counts are its own and equal the original's; it verifies against the chain it carried;
 * a second copy into the same database and a backup over a file are refused, touching nothing. */
static void test_round_trip(void **state)
{
	(void)state;
	char *original = demo_store("original.db");
	char pg[256];
	test_pg_database("pg-copy", pg, sizeof pg);
	struct xf_store *from, *to;
	struct xf_err err;
	assert_int_equal(store_open(original, &from, &err), XF_OK);
	assert_int_equal(store_open(pg, &to, &err), XF_OK);
	long rows = 0;
	/* the schema first, as the copy would make it: a fixed cost per migration (each one's record
	 * reads the covered tables' columns again), whatever the rows */
	int version = 0;
	assert_int_equal(store_version(from, &version, &err), XF_OK);
	uint64_t trips = xf_db_round_trips(store_db(to));
	if (store_migrate(to, version, &err) != XF_OK)
		fail_msg("store_migrate: %s", err.msg);
	uint64_t schema_trips = xf_db_round_trips(store_db(to)) - trips;
	trips = xf_db_round_trips(store_db(to));
	if (store_copy_into(from, to, &rows, &err) != XF_OK)
		fail_msg("store_copy_into: %s", err.msg);
	assert_true(rows > 1000);
	/* many rows go by each statement (a round trip per row made a large restore take hours): the
	 * copy's round trips are a small fraction of its rows, and the schema's bounded per version */
	trips = xf_db_round_trips(store_db(to)) - trips;
	print_message("restore: schema (%d versions) in %llu round trips, %ld rows in %llu\n", version,
	              (unsigned long long)schema_trips, rows, (unsigned long long)trips);
	assert_true(trips < (uint64_t)rows / 4);
	assert_true(schema_trips < (uint64_t)version * 80);
	int64_t audits = query_int(pg, "SELECT count(*) FROM audit");
	assert_int_equal(audits, query_int(original, "SELECT count(*) FROM audit"));
	long again = 0;
	assert_int_equal(store_copy_into(from, to, &again, &err), XF_EEXIST);
	assert_non_null(strstr(err.msg, "已有记录"));
	assert_int_equal(query_int(pg, "SELECT count(*) FROM audit"), audits);
	/* New rows on PostgreSQL are numbered on from the copied ones. */
	assert_int_equal(query_int(pg, "SELECT nextval(pg_get_serial_sequence('cases', 'id'))"),
	                 query_int(original, "SELECT max(id) FROM cases") + 1);
	store_close(from);

	char *back = xasprintf("%s/back.db", dir);
	if (store_backup(to, back, &err) != XF_OK)
		fail_msg("store_backup: %s", err.msg);
	assert_int_equal(store_backup(to, back, &err), XF_EEXIST);
	char *nodir = xasprintf("%s/no/such/back.db", dir);
	assert_int_not_equal(store_backup(to, nodir, &err), XF_OK);
	assert_non_null(strstr(err.msg, "备份文件"));
	struct stat sb;
	assert_int_not_equal(lstat(nodir, &sb), 0);
	store_close(to);

	struct xf_rows tables = sqlite_tables(original);
	assert_true(tables.n > 20);
	for (size_t i = 0; i < tables.n; i++) {
		const char *t = fields_str(&tables.v[i], "name");
		char *a = dump_table(original, t), *b = dump_table(back, t);
		if (strcmp(a, b) != 0)
			fail_msg("table %s differs after the round trip:\n%.600s\n---\n%.600s", t, a, b);
		free(a);
		free(b);
	}
	rows_free(&tables);
	assert_int_equal(query_int(back, "PRAGMA user_version"), query_int(original, "PRAGMA user_version"));
	assert_int_equal(query_int(back, "SELECT count(*) FROM search_rows"), query_int(original, "SELECT count(*) FROM search_rows"));
	assert_true(query_int(back, "SELECT count(*) FROM search_rows") > 0);

	struct xf_store *copy;
	struct xf_verify report;
	assert_int_equal(store_open(back, &copy, &err), XF_OK);
	if (verify_store(copy, XF_VERIFY_NEW_ANCHOR, NULL, &report, &err) != XF_OK)
		fail_msg("verify: %s", err.msg);
	if (report.failures != 0)
		fail_msg("the copy does not verify: %s", report.first);
	assert_true(report.rows > 100);
	buf_free(&report.text);
	store_close(copy);
	free(nodir);
	free(back);
	test_pg_drop(pg);
	free(original);
}

/* Runs the tests beside the cluster named by XINFANG_TEST_PG. */
int main(void)
{
	server = getenv("XINFANG_TEST_PG");
	socket_dir = getenv("XINFANG_TEST_PG_DIR");
	if (server == NULL || socket_dir == NULL) {
		fprintf(stderr, "test_copy_pg: run it through tests/pg/with_cluster.sh\n");
		return 1;
	}
	if (mkdtemp(dir) == NULL)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	char *rm = xasprintf("rm -rf %s", dir);
	if (system(rm) != 0)
		failed++;
	free(rm);
	return failed;
}

/* Helpers of the storage seam's tests: statements that must succeed (a failure fails the test
 * with the seam's message). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dbutil.h"

/* Runs a script that must succeed. */
void exec_ok(struct xf_db *db, const char *sql)
{
	struct xf_err err;
	if (xf_db_exec(db, sql, &err, "测试") != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
}

/* Prepares a statement that must prepare. */
struct xf_db_stmt *prep(struct xf_db *db, const char *sql)
{
	struct xf_db_stmt *st = NULL;
	struct xf_err err;
	if (xf_db_prepare(db, sql, &st, &err) != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	return st;
}

/* The first column of the first row of a query that must give one. */
int64_t query_int(struct xf_db *db, const char *sql)
{
	struct xf_db_stmt *st = prep(db, sql);
	if (xf_db_step(st) != XF_DB_ROW)
		fail_msg("%s: %s", sql, xf_db_errdetail(db));
	int64_t v = xf_db_column_int64(st, 0);
	xf_db_finalize(st);
	return v;
}

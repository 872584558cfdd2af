/* Helpers of the storage seam's tests (test_db.c, test_db_reconnect.c): statements that must
 * succeed, through the seam's private header. */
#ifndef XINFANG_TEST_DBUTIL_H
#define XINFANG_TEST_DBUTIL_H

#include <stdint.h>

#include "core/store_db.h"

/* Runs a script that must succeed. */
void exec_ok(struct xf_db *db, const char *sql);
/* Prepares a statement that must prepare. */
struct xf_db_stmt *prep(struct xf_db *db, const char *sql);
/* The first column of the first row of a query without parameters that must give one. */
int64_t query_int(struct xf_db *db, const char *sql);

#endif

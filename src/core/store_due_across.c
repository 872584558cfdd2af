/* The store's side of the head office's limits list across branches: the cases in reach whose
 * limits are nearing or past, earliest first, a page at a time, through the partial due-date
 * indexes that carry the branch (schema version 20). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* The states in which each limit is still pending, as the partial indexes cases_due_* say
 * them (INDEXED BY needs the same terms). */
static const char *const pending[XF_LIMIT_COUNT] = {
	"c.state = 'queued'",
	"c.state IN ('queued', 'transferred')",
	"(c.state = 'queued' OR c.state = 'transferred' OR c.state = 'reported')",
};
static const char *const due_of[XF_LIMIT_COUNT] = {"due_transfer", "due_handle", "due_reply"};

/* One limit's first rows: its pending cases in reach due by parameter to_param, earliest first
 * (in the index's order: date, branch, id, so no sort),
 * at most ?5 of them. */
static void one_limit(struct xf_buf *b, bool sqlite, int kind, int to_param, const char *in_reach)
{
	buf_printf(b,
	           "SELECT * FROM (SELECT c.id, c.number, c.state, c.%s AS due, %d AS kind, c.branch, c.department, "
	           "c.anonymous FROM cases c %s%s WHERE %s AND c.%s <= ?%d AND %s ORDER BY c.%s, c.branch, c.id LIMIT ?5) AS k%d",
	           due_of[kind], kind, sqlite ? "INDEXED BY cases_" : "", sqlite ? due_of[kind] : "", pending[kind],
	           due_of[kind], to_param, in_reach, due_of[kind], kind);
}

/* The cases in reach with a limit nearing or past, by due date. */
int store_due_across(struct xf_store *st, const struct xf_reach *reach, const char *const to[XF_LIMIT_COUNT],
                     long offset, long limit, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	bool sqlite = xf_db_dialect(store_db(st)) == XF_DB_SQLITE;
	char *in_reach = store_reach_sql(reach, "c.branch", 4);
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "SELECT c.id, c.number, c.state, c.due, c.kind, c.department, b.code AS branch_code, "
	             "b.name AS branch_name, " XF_LIST_NAME " FROM (");
	one_limit(&b, sqlite, XF_LIMIT_HANDLE, 1, in_reach);
	buf_puts(&b, " UNION ALL ");
	one_limit(&b, sqlite, XF_LIMIT_REPLY, 2, in_reach);
	buf_puts(&b, " UNION ALL ");
	one_limit(&b, sqlite, XF_LIMIT_TRANSFER, 3, in_reach);
	buf_puts(&b, ") c JOIN branches b ON b.id = c.branch LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 "
	             "ORDER BY c.due, c.kind, c.branch, c.id LIMIT ?6 OFFSET ?7");
	free(in_reach);
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st, b.data, &stmt, err);
	buf_free(&b);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, to[XF_LIMIT_HANDLE], -1);
	xf_db_bind_text(stmt, 2, to[XF_LIMIT_REPLY], -1);
	xf_db_bind_text(stmt, 3, to[XF_LIMIT_TRANSFER], -1);
	store_reach_bind(stmt, reach, 4);
	xf_db_bind_int64(stmt, 5, offset + limit);
	xf_db_bind_int64(stmt, 6, limit);
	xf_db_bind_int64(stmt, 7, offset);
	return store_db_collect(st, stmt, out, err);
}

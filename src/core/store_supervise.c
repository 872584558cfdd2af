/* The store's queries for the head office's supervision: urgings joined to their cases and
 * branches, the reach and the filters in SQL (one statement text per reach shape). */
#include "xinfang/store_supervise.h"

#include <stdlib.h>

#include "store_private.h"

/* Urgings in reach, of a branch and a case (0: any). */
int store_supervision_list(struct xf_store *st, const struct xf_reach *reach, int64_t branch, int64_t case_id,
                           struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	char *in_reach = store_reach_sql(reach, "c.branch", 3);
	char *sql = xasprintf(
		"SELECT sv.id, sv.case_id, c.number, b.code AS branch_code, b.name AS branch_name, sv.deadline, sv.request, "
		"sv.at, sv.actor, sv.answered_at, sv.answer, sv.answered_by "
		"FROM supervisions sv JOIN cases c ON c.id = sv.case_id JOIN branches b ON b.id = c.branch "
		"WHERE %s AND (CAST(?1 AS BIGINT) = 0 OR c.branch = ?1) AND (CAST(?2 AS BIGINT) = 0 OR sv.case_id = ?2) "
		"ORDER BY CASE WHEN CAST(?2 AS BIGINT) = 0 AND sv.answered_at <> '' THEN 1 ELSE 0 END, "
		"CASE WHEN CAST(?2 AS BIGINT) = 0 THEN sv.deadline ELSE '' END, sv.id",
		in_reach);
	free(in_reach);
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st, sql, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, branch);
	xf_db_bind_int64(stmt, 2, case_id);
	store_reach_bind(stmt, reach, 3);
	return store_db_collect(st, stmt, out, err);
}

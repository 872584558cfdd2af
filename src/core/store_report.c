/* The store's side of statistics: aggregate queries over a range of receipt dates. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* Prepares sql and binds ?1..?n to the given texts. */
static int prepare_bound(struct xf_store *st, const char *sql, const char *const *args, int n, sqlite3_stmt **stmt,
                         struct xf_err *err)
{
	int rc = store_sql_prepare(st, sql, stmt, err);
	if (rc != XF_OK)
		return rc;
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(*stmt, i + 1, args[i], -1, SQLITE_STATIC);
	return XF_OK;
}

/* Runs a bound query into rows. */
static int query_rows(struct xf_store *st, const char *sql, const char *const *args, int n, struct xf_rows *out,
                      struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *stmt;
	int rc = prepare_bound(st, sql, args, n, &stmt, err);
	if (rc != XF_OK)
		return rc;
	return store_sql_collect(st, stmt, out, err);
}

/* Counts per group: one sort of the period's index entries, nothing else read. */
int store_stats_groups(struct xf_store *st, const char *since, const char *until, struct xf_rows *out,
                       struct xf_err *err)
{
	const char *args[] = {since, until};
	return query_rows(st,
	                  "SELECT channel, category, department, importance, state, count(*) AS n "
	                  "FROM cases INDEXED BY cases_stats WHERE received BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4, 5",
	                  args, 2, out, err);
}

/* The rates' counts in one streaming pass over the period's index entries; a case returned
 * and transferred again counts its first transfer (found through the few returned cases). */
int store_stats_sums(struct xf_store *st, const char *since, const char *until, struct xf_fields *out,
                     struct xf_err *err)
{
	const char *args[] = {since, until};
	struct xf_rows rows;
	int rc = query_rows(st,
	                    "SELECT count(*) AS n, "
	                    "sum(transferred_on <> '') AS transferred, "
	                    "sum(transferred_on <> '' AND transferred_on <= due_transfer) AS transferred_on_time, "
	                    "sum(reported_on <> '') AS reported, "
	                    "sum(reported_on <> '' AND reported_on <= due_handle) AS reported_on_time, "
	                    "sum(replied_on <> '') AS replied, "
	                    "sum(replied_on <> '' AND replied_on <= due_reply) AS replied_on_time, "
	                    "sum(state = 'closed') AS closed, "
	                    "(SELECT coalesce(sum(f.first <= c.due_transfer) - sum(c.transferred_on <= c.due_transfer), 0) "
	                    " FROM (SELECT t.case_id, min(t.transfer_date) AS first FROM transfers t "
	                    "  WHERE t.case_id IN (SELECT case_id FROM returns) GROUP BY t.case_id) f "
	                    " JOIN cases c ON c.id = f.case_id "
	                    " WHERE c.received BETWEEN ?1 AND ?2 AND c.transferred_on <> '') AS first_transfer_fix "
	                    "FROM cases INDEXED BY cases_stats WHERE received BETWEEN ?1 AND ?2",
	                    args, 2, &rows, err);
	fields_init(out);
	if (rc != XF_OK)
		return rc;
	if (rows.n == 1) {
		*out = rows.v[0];
		fields_init(&rows.v[0]);
	}
	rows_free(&rows);
	return XF_OK;
}

/* Counts by the JR/T codes (read through the receipt index: the codes are not in cases_stats). */
int store_stats_jrt(struct xf_store *st, const char *since, const char *until, struct xf_rows *out,
                    struct xf_err *err)
{
	const char *args[] = {since, until};
	return query_rows(st,
	                  "SELECT jrt_channel, jrt_type, jrt_cause, count(*) AS n FROM cases INDEXED BY cases_received "
	                  "WHERE received BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3",
	                  args, 2, out, err);
}

/* Outcomes by satisfaction. */
int store_stats_satisfaction(struct xf_store *st, const char *since, const char *until, struct xf_rows *out,
                             struct xf_err *err)
{
	const char *args[] = {since, until};
	return query_rows(st,
	                  "SELECT o.satisfaction, count(*) AS n FROM cases c INDEXED BY cases_stats "
	                  "JOIN outcomes o INDEXED BY outcomes_satisfaction ON o.case_id = c.id "
	                  "WHERE c.received BETWEEN ?1 AND ?2 AND c.reported_on <> '' GROUP BY o.satisfaction",
	                  args, 2, out, err);
}

/* Receipt and outcome dates of the cases with an outcome. */
int store_stats_handling(struct xf_store *st, const char *since, const char *until, struct xf_rows *out,
                         struct xf_err *err)
{
	const char *args[] = {since, until};
	return query_rows(st,
	                  "SELECT received, reported_on, count(*) AS n FROM cases INDEXED BY cases_stats "
	                  "WHERE received BETWEEN ?1 AND ?2 AND reported_on <> '' GROUP BY received, reported_on",
	                  args, 2, out, err);
}

/* The pairs of cases linked as repeat petitions, each as (earlier, later). */
#define REPEAT_PAIRS                                                                                               \
	"pairs AS (SELECT CASE WHEN a.received < b.received OR (a.received = b.received AND a.id < b.id) "          \
	" THEN a.id ELSE b.id END AS earlier, "                                                                       \
	" CASE WHEN a.received < b.received OR (a.received = b.received AND a.id < b.id) "                           \
	" THEN b.id ELSE a.id END AS later "                                                                          \
	" FROM links l JOIN cases a ON a.id = l.case_id JOIN cases b ON b.id = l.linked_id "                        \
	" WHERE l.kind = 'repeat' AND l.case_id <> l.linked_id) "

/* Repeat petitions and closed cases that were not settled the first time. */
int store_stats_repeats(struct xf_store *st, const char *since, const char *until, long *repeats,
                        long *closed_not_first, struct xf_err *err)
{
	const char *args[] = {since, until};
	sqlite3_stmt *stmt;
	int rc = prepare_bound(st,
	                       "WITH " REPEAT_PAIRS
	                       "SELECT (SELECT count(*) FROM cases c WHERE c.id IN (SELECT later FROM pairs) "
	                       "  AND c.received BETWEEN ?1 AND ?2), "
	                       " (SELECT count(*) FROM cases c WHERE c.id IN "
	                       "  (SELECT case_id FROM returns UNION SELECT earlier FROM pairs) "
	                       "  AND c.state = 'closed' AND c.received BETWEEN ?1 AND ?2)",
	                       args, 2, &stmt, err);
	if (rc != XF_OK)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*repeats = sqlite3_column_int64(stmt, 0);
		*closed_not_first = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? XF_OK : store_sql_fail(st, rc, err, "统计重复信访");
}

/* Counts per category in two weeks. */
int store_stats_weeks(struct xf_store *st, const char *prev_from, const char *prev_to, const char *from,
                      const char *to, struct xf_rows *out, struct xf_err *err)
{
	const char *args[] = {prev_from, prev_to, from, to};
	return query_rows(st,
	                  "SELECT category, sum(received <= ?2) AS last, sum(received >= ?3) AS this "
	                  "FROM cases INDEXED BY cases_stats WHERE received BETWEEN ?1 AND ?4 "
	                  "GROUP BY category ORDER BY category",
	                  args, 4, out, err);
}

/* Overdue cases by department or handler. */
int store_stats_overdue(struct xf_store *st, const char *since, const char *until, const char *today,
                        bool by_handler, struct xf_rows *out, struct xf_err *err)
{
	const char *args[] = {since, until, today};
	const char *label = by_handler
	                        ? "coalesce(nullif((SELECT o.handler FROM outcomes o WHERE o.case_id = c.id "
	                          "ORDER BY o.id DESC LIMIT 1), ''), (SELECT t.handler FROM transfers t "
	                          "WHERE t.case_id = c.id ORDER BY t.id DESC LIMIT 1), '')"
	                        : "c.department";
	char *sql = xasprintf("SELECT %s AS label, count(*) AS n FROM cases c INDEXED BY cases_stats "
	                      "WHERE c.received BETWEEN ?1 AND ?2 AND c.transferred_on <> '' "
	                      "AND ((c.reported_on <> '' AND c.reported_on > c.due_handle) "
	                      " OR (c.reported_on = '' AND c.state = 'transferred' AND c.due_handle < ?3)) "
	                      "GROUP BY 1 ORDER BY 2 DESC, 1",
	                      label);
	int rc = query_rows(st, sql, args, 3, out, err);
	free(sql);
	return rc;
}

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

/* Opens the report's read transaction unless one is open. */
int store_stats_begin(struct xf_store *st, bool *own, struct xf_err *err)
{
	*own = false;
	if (!sqlite3_get_autocommit(store_sqlite(st)))
		return XF_OK;
	int rc = store_sql_exec(st, "BEGIN; SELECT count(*) FROM main.sqlite_schema;", err, "统计");
	*own = rc == XF_OK;
	return rc;
}

/* Ends what store_stats_begin opened. */
void store_stats_end(struct xf_store *st, bool own)
{
	if (own && !sqlite3_get_autocommit(store_sqlite(st)))
		sqlite3_exec(store_sqlite(st), "COMMIT", NULL, NULL, NULL);
}

/* Every case of the period, once, through the covering index. */
int store_stats_scan(struct xf_store *st, const char *since, const char *until, const char *today,
                     int (*fn)(void *ctx, const struct xf_stats_row *row), void *ctx, struct xf_err *err)
{
	const char *args[] = {since, until, today};
	sqlite3_stmt *stmt;
	int rc = prepare_bound(st,
	                       "SELECT c.received, c.channel, c.category, c.department, c.importance, c.state, c.reported_on, "
	                       "(c.transferred_on <> '') + ((c.transferred_on <> '' AND c.transferred_on <= c.due_transfer) * 2) "
	                       "+ ((c.reported_on <> '') * 4) + ((c.reported_on <> '' AND c.reported_on <= c.due_handle) * 8) "
	                       "+ ((c.replied_on <> '') * 16) + ((c.replied_on <> '' AND c.replied_on <= c.due_reply) * 32) "
	                       "+ ((c.transferred_on <> '' AND (c.reported_on > c.due_handle OR (c.reported_on = '' "
	                       "   AND c.state = 'transferred' AND c.due_handle < ?3))) * 64), "
	                       "c.id FROM cases c INDEXED BY cases_stats WHERE c.received BETWEEN ?1 AND ?2",
	                       args, 3, &stmt, err);
	if (rc != XF_OK)
		return rc;
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *v[7];
		for (int i = 0; i < 7; i++) {
			const unsigned char *t = sqlite3_column_text(stmt, i);
			v[i] = t ? (const char *)t : "";
		}
		struct xf_stats_row row = {v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		                           (unsigned)sqlite3_column_int(stmt, 7), sqlite3_column_int64(stmt, 8)};
		if ((rc = fn(ctx, &row)) != 0) {
			sqlite3_finalize(stmt);
			return rc;
		}
	}
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? XF_OK : store_sql_fail(st, step, err, "统计");
}

/* The on-time transfers gained or lost by counting the first transfer of returned cases. */
int store_stats_first_transfer_fix(struct xf_store *st, const char *since, const char *until, long *fix,
                                   struct xf_err *err)
{
	const char *args[] = {since, until};
	sqlite3_stmt *stmt;
	int rc = prepare_bound(st,
	                       "SELECT coalesce(sum(f.first <= c.due_transfer) - sum(c.transferred_on <= c.due_transfer), 0) "
	                       "FROM (SELECT t.case_id, min(t.transfer_date) AS first FROM transfers t "
	                       " WHERE t.case_id IN (SELECT case_id FROM returns) GROUP BY t.case_id) f "
	                       "CROSS JOIN cases c ON c.id = f.case_id "
	                       "WHERE c.received BETWEEN ?1 AND ?2 AND c.transferred_on <> ''",
	                       args, 2, &stmt, err);
	if (rc != XF_OK)
		return rc;
	rc = sqlite3_step(stmt);
	*fix = rc == SQLITE_ROW ? (long)sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? XF_OK : store_sql_fail(st, rc, err, "统计转办");
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

/* The pairs of cases linked as repeat petitions, each as (earlier, later). */
#define REPEAT_PAIRS                                                                                               \
	"pairs AS (SELECT CASE WHEN a.received < b.received OR (a.received = b.received AND a.id < b.id) "          \
	" THEN a.id ELSE b.id END AS earlier, "                                                                       \
	" CASE WHEN a.received < b.received OR (a.received = b.received AND a.id < b.id) "                           \
	" THEN b.id ELSE a.id END AS later "                                                                          \
	" FROM links l CROSS JOIN cases a ON a.id = l.case_id CROSS JOIN cases b ON b.id = l.linked_id "                        \
	" WHERE l.kind = 'repeat' AND l.case_id <> l.linked_id) "

/* Repeat petitions and closed cases that were not settled the first time. */
int store_stats_repeats(struct xf_store *st, const char *since, const char *until, long *repeats,
                        long *closed_not_first, struct xf_err *err)
{
	const char *args[] = {since, until};
	sqlite3_stmt *stmt;
	int rc = prepare_bound(st,
	                       "WITH " REPEAT_PAIRS
	                       "SELECT (SELECT count(*) FROM (SELECT DISTINCT later AS id FROM pairs) p "
	                       "  CROSS JOIN cases c ON c.id = p.id WHERE c.received BETWEEN ?1 AND ?2), "
	                       " (SELECT count(*) FROM (SELECT case_id AS id FROM returns UNION SELECT earlier FROM pairs) p "
	                       "  CROSS JOIN cases c ON c.id = p.id WHERE c.state = 'closed' AND c.received BETWEEN ?1 AND ?2)",
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

/* The handler of each case: the latest outcome's, else the latest transfer's, else "". */
int store_stats_handlers(struct xf_store *st, const int64_t *ids, size_t n, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *stmt;
	int rc = store_sql_prepare(st,
	                           "SELECT coalesce(nullif((SELECT o.handler FROM outcomes o WHERE o.case_id = ?1 "
	                           "ORDER BY o.id DESC LIMIT 1), ''), (SELECT t.handler FROM transfers t "
	                           "WHERE t.case_id = ?1 ORDER BY t.id DESC LIMIT 1), '')",
	                           &stmt, err);
	if (rc != XF_OK)
		return rc;
	out->v = xcalloc(n ? n : 1, sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(stmt, 1, ids[i]);
		int step = sqlite3_step(stmt);
		const unsigned char *h = step == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
		fields_init(&out->v[i]);
		fields_add(&out->v[i], "handler", h ? (const char *)h : "");
		out->n++;
		sqlite3_reset(stmt);
		if (step != SQLITE_ROW) {
			sqlite3_finalize(stmt);
			rows_free(out);
			return store_sql_fail(st, step, err, "统计经办人");
		}
	}
	sqlite3_finalize(stmt);
	return XF_OK;
}

/* Satisfaction of the outcomes of the cases with ids in [lo, hi] (all of them, when
 * `whole_range`), else of the outcomes of the cases received in [since, until]. */
int store_stats_satisfaction(struct xf_store *st, const char *since, const char *until, bool whole_range,
                             int64_t lo, int64_t hi, long *satisfied, long *stated, struct xf_err *err)
{
	sqlite3_stmt *stmt;
	int rc;
	if (whole_range) {
		rc = store_sql_prepare(st,
		                       "SELECT sum(satisfaction IN ('满意', '基本满意')), sum(satisfaction <> '未表态') "
		                       "FROM outcomes INDEXED BY outcomes_satisfaction WHERE case_id BETWEEN ?1 AND ?2",
		                       &stmt, err);
		if (rc == XF_OK) {
			sqlite3_bind_int64(stmt, 1, lo);
			sqlite3_bind_int64(stmt, 2, hi);
		}
	} else {
		const char *args[] = {since, until};
		rc = prepare_bound(st,
		                   "SELECT sum(o.satisfaction IN ('满意', '基本满意')), sum(o.satisfaction <> '未表态') "
		                   "FROM cases c INDEXED BY cases_stats "
		                   "JOIN outcomes o INDEXED BY outcomes_satisfaction ON o.case_id = c.id "
		                   "WHERE c.received BETWEEN ?1 AND ?2 AND c.reported_on <> ''",
		                   args, 2, &stmt, err);
	}
	if (rc != XF_OK)
		return rc;
	rc = sqlite3_step(stmt);
	*satisfied = rc == SQLITE_ROW ? (long)sqlite3_column_int64(stmt, 0) : 0;
	*stated = rc == SQLITE_ROW ? (long)sqlite3_column_int64(stmt, 1) : 0;
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW ? XF_OK : store_sql_fail(st, rc, err, "统计满意度");
}

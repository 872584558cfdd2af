/* The store's side of statistics: aggregate queries over a range of receipt dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* The statement for the store's dialect: SQLite keeps its planner's hints, which PostgreSQL has
 * no words for (its planner chooses): INDEXED BY name goes, and CROSS JOIN (SQLite's fixed join
 * order; every one here has its ON) becomes JOIN. A new string. */
static char *dialect_sql(struct xf_store *st, const char *sql)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	if (xf_db_dialect(store_db(st)) == XF_DB_SQLITE) {
		buf_puts(&b, sql);
		return b.data;
	}
	static const char hint[] = "INDEXED BY ", cross[] = "CROSS JOIN";
	const char *p = sql;
	for (;;) {
		const char *h = strstr(p, hint), *c = strstr(p, cross);
		const char *q = h && (!c || h < c) ? h : c;
		if (q == NULL)
			break;
		buf_add(&b, p, (size_t)(q - p));
		if (q == h) {
			p = q + strlen(hint);
			p += strcspn(p, " ");
			p += strspn(p, " ");
		} else {
			buf_puts(&b, "JOIN");
			p = q + strlen(cross);
		}
	}
	buf_puts(&b, p);
	return b.data;
}

/* Prepares sql (for the dialect) and binds ?1..?n to the given texts. */
static int prepare_bound(struct xf_store *st, const char *sql, const char *const *args, int n,
                         struct xf_db_stmt **stmt, struct xf_err *err)
{
	char *text = dialect_sql(st, sql);
	int rc = store_db_prepare(st, text, stmt, err);
	free(text);
	if (rc != XF_OK)
		return rc;
	for (int i = 0; i < n; i++)
		xf_db_bind_text(*stmt, i + 1, args[i], -1);
	return XF_OK;
}

/* Opens the report's read transaction (one snapshot for all its queries) unless one is open. */
int store_stats_begin(struct xf_store *st, bool *own, struct xf_err *err)
{
	*own = false;
	struct xf_db *db = store_db(st);
	if (xf_db_in_transaction(db))
		return XF_OK;
	if (xf_db_begin_read(db, NULL) != XF_OK)
		return store_db_fail(st, err, "统计");
	*own = true;
	return XF_OK;
}

/* Ends what store_stats_begin opened. */
void store_stats_end(struct xf_store *st, bool own)
{
	if (own && xf_db_in_transaction(store_db(st)))
		xf_db_commit(store_db(st), NULL);
}

/* Every case of the period, once, through the covering index. */
int store_stats_scan(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                     const char *today, int (*fn)(void *ctx, const struct xf_stats_row *row), void *ctx,
                     struct xf_err *err)
{
	const char *args[] = {since, until, today};
	struct xf_db_stmt *stmt;
	char *in_reach = store_reach_sql(reach, "c.branch", 4);
	char *sql = xasprintf("SELECT c.received, c.channel, c.category, c.department, c.importance, c.state, c.reported_on, "
	                       "CAST(c.transferred_on <> '' AS INTEGER) "
	                       "+ CAST(c.transferred_on <> '' AND c.transferred_on <= c.due_transfer AS INTEGER) * 2 "
	                       "+ CAST(c.reported_on <> '' AS INTEGER) * 4 "
	                       "+ CAST(c.reported_on <> '' AND c.reported_on <= c.due_handle AS INTEGER) * 8 "
	                       "+ CAST(c.replied_on <> '' AS INTEGER) * 16 "
	                       "+ CAST(c.replied_on <> '' AND c.replied_on <= c.due_reply AS INTEGER) * 32 "
	                       "+ CAST(c.transferred_on <> '' AND (c.reported_on > c.due_handle OR (c.reported_on = '' "
	                       "   AND c.state = 'transferred' AND c.due_handle < ?3)) AS INTEGER) * 64, "
	                       "c.id, c.branch FROM cases c INDEXED BY cases_stats WHERE c.received BETWEEN ?1 AND ?2 AND %s",
	                       in_reach);
	free(in_reach);
	int rc = prepare_bound(st, sql, args, 3, &stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	store_reach_bind(stmt, reach, 4);
	enum xf_db_step step;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		const char *v[7];
		for (int i = 0; i < 7; i++) {
			const char *t = xf_db_column_text(stmt, i);
			v[i] = t ? t : "";
		}
		struct xf_stats_row row = {v[0], v[1], v[2], v[3], v[4], v[5], v[6],
		                           (unsigned)xf_db_column_int64(stmt, 7), xf_db_column_int64(stmt, 8),
		                           xf_db_column_int64(stmt, 9)};
		if ((rc = fn(ctx, &row)) != 0) {
			xf_db_finalize(stmt);
			return rc;
		}
	}
	xf_db_finalize(stmt);
	return step == XF_DB_DONE ? XF_OK : store_db_fail(st, err, "统计");
}

/* Prepares sql, a format with one %s for the reach's condition on column, binding ?1..?n to
 * the texts and the reach at ?n+1. */
static int prepare_in_reach(struct xf_store *st, const char *fmt, const struct xf_reach *reach, const char *column,
                            const char *const *args, int n, struct xf_db_stmt **stmt, struct xf_err *err)
{
	char *in_reach = store_reach_sql(reach, column, n + 1);
	char *sql = xasprintf(fmt, in_reach, in_reach);
	free(in_reach);
	int rc = prepare_bound(st, sql, args, n, stmt, err);
	free(sql);
	if (rc == XF_OK)
		store_reach_bind(*stmt, reach, n + 1);
	return rc;
}

/* Runs a query made by prepare_in_reach into rows. */
static int rows_in_reach(struct xf_store *st, const char *fmt, const struct xf_reach *reach, const char *column,
                         const char *const *args, int n, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_db_stmt *stmt;
	int rc = prepare_in_reach(st, fmt, reach, column, args, n, &stmt, err);
	if (rc != XF_OK)
		return rc;
	return store_db_collect(st, stmt, out, err);
}

/* The on-time transfers gained or lost by counting the first transfer of returned cases, per
 * branch. */
int store_stats_first_transfer_fix(struct xf_store *st, const struct xf_reach *reach, const char *since,
                                   const char *until, struct xf_rows *out, struct xf_err *err)
{
	const char *args[] = {since, until};
	return rows_in_reach(st,
	                     "SELECT c.branch, count(*) FILTER (WHERE f.first <= c.due_transfer) "
	                     "- count(*) FILTER (WHERE c.transferred_on <= c.due_transfer) AS fix "
	                     "FROM (SELECT t.case_id, min(t.transfer_date) AS first FROM transfers t "
	                     " WHERE t.case_id IN (SELECT case_id FROM returns) GROUP BY t.case_id) f "
	                     "CROSS JOIN cases c ON c.id = f.case_id "
	                     "WHERE c.received BETWEEN ?1 AND ?2 AND c.transferred_on <> '' AND %s GROUP BY c.branch",
	                     reach, "c.branch", args, 2, out, err);
}

/* Counts by the JR/T codes (read through the receipt index: the codes are not in cases_stats). */
int store_stats_jrt(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                    struct xf_rows *out, struct xf_err *err)
{
	const char *args[] = {since, until};
	return rows_in_reach(st,
	                     "SELECT jrt_channel, jrt_type, jrt_cause, count(*) AS n FROM cases INDEXED BY cases_received "
	                     "WHERE received BETWEEN ?1 AND ?2 AND %s GROUP BY 1, 2, 3",
	                     reach, "branch", args, 2, out, err);
}

/* The pairs of cases linked as repeat petitions, each as (earlier, later). */
#define REPEAT_PAIRS                                                                                               \
	"pairs AS (SELECT CASE WHEN a.received < b.received OR (a.received = b.received AND a.id < b.id) "          \
	" THEN a.id ELSE b.id END AS earlier, "                                                                       \
	" CASE WHEN a.received < b.received OR (a.received = b.received AND a.id < b.id) "                           \
	" THEN b.id ELSE a.id END AS later "                                                                          \
	" FROM links l CROSS JOIN cases a ON a.id = l.case_id CROSS JOIN cases b ON b.id = l.linked_id "                        \
	" WHERE l.kind = 'repeat' AND l.case_id <> l.linked_id) "

/* Repeat petitions and closed cases that were not settled the first time, per branch. */
int store_stats_repeats(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                        struct xf_rows *out, struct xf_err *err)
{
	const char *args[] = {since, until};
	return rows_in_reach(st,
	                     "WITH " REPEAT_PAIRS ", "
	                     "counted AS (SELECT c.branch, 1 AS r, 0 AS nf FROM (SELECT DISTINCT later AS id FROM pairs) p "
	                     "  CROSS JOIN cases c ON c.id = p.id WHERE c.received BETWEEN ?1 AND ?2 AND %s "
	                     " UNION ALL SELECT c.branch, 0, 1 "
	                     "  FROM (SELECT case_id AS id FROM returns UNION SELECT earlier FROM pairs) p "
	                     "  CROSS JOIN cases c ON c.id = p.id WHERE c.state = 'closed' AND c.received BETWEEN ?1 AND ?2 "
	                     "  AND %s) "
	                     "SELECT branch, sum(r) AS repeats, sum(nf) AS not_first FROM counted GROUP BY branch",
	                     reach, "c.branch", args, 2, out, err);
}

/* Counts per category in two weeks. */
int store_stats_weeks(struct xf_store *st, const struct xf_reach *reach, const char *prev_from, const char *prev_to,
                      const char *from, const char *to, struct xf_rows *out, struct xf_err *err)
{
	const char *args[] = {prev_from, prev_to, from, to};
	return rows_in_reach(st,
	                     "SELECT category, count(*) FILTER (WHERE received <= ?2) AS last, "
	                     "count(*) FILTER (WHERE received >= ?3) AS this "
	                     "FROM cases INDEXED BY cases_stats WHERE received BETWEEN ?1 AND ?4 AND %s "
	                     "GROUP BY category ORDER BY category",
	                     reach, "branch", args, 4, out, err);
}

/* The handler of each case: the latest outcome's, else the latest transfer's, else "". */
int store_stats_handlers(struct xf_store *st, const int64_t *ids, size_t n, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st,
	                           "SELECT coalesce(nullif((SELECT o.handler FROM outcomes o WHERE o.case_id = ?1 "
	                           "ORDER BY o.id DESC LIMIT 1), ''), (SELECT t.handler FROM transfers t "
	                           "WHERE t.case_id = ?1 ORDER BY t.id DESC LIMIT 1), '')",
	                           &stmt, err);
	if (rc != XF_OK)
		return rc;
	out->v = xcalloc(n ? n : 1, sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		xf_db_bind_int64(stmt, 1, ids[i]);
		enum xf_db_step step = xf_db_step(stmt);
		const char *h = step == XF_DB_ROW ? xf_db_column_text(stmt, 0) : NULL;
		fields_init(&out->v[i]);
		fields_add(&out->v[i], "handler", h ? h : "");
		out->n++;
		xf_db_reset(stmt);
		if (step != XF_DB_ROW) {
			xf_db_finalize(stmt);
			rows_free(out);
			return store_db_fail(st, err, "统计经办人");
		}
	}
	xf_db_finalize(stmt);
	return XF_OK;
}

/* Satisfaction of the outcomes of the cases with ids in [lo, hi] (all of them, when
 * `whole_range`: one row, branch 0), else of the outcomes of the cases received in [since,
 * until] in reach, per branch. */
int store_stats_satisfaction(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                             bool whole_range, int64_t lo, int64_t hi, struct xf_rows *out, struct xf_err *err)
{
	if (!whole_range) {
		const char *args[] = {since, until};
		return rows_in_reach(st,
		                     "SELECT c.branch, count(*) FILTER (WHERE o.satisfaction = '满意' OR o.satisfaction = '基本满意') "
		                     "AS satisfied, count(*) FILTER (WHERE o.satisfaction <> '未表态') AS stated "
		                     "FROM cases c INDEXED BY cases_stats "
		                     "JOIN outcomes o INDEXED BY outcomes_satisfaction ON o.case_id = c.id "
		                     "WHERE c.received BETWEEN ?1 AND ?2 AND c.reported_on <> '' AND %s GROUP BY c.branch",
		                     reach, "c.branch", args, 2, out, err);
	}
	out->v = NULL;
	out->n = 0;
	struct xf_db_stmt *stmt;
	int rc = prepare_bound(st,
	                       "SELECT 0 AS branch, count(*) FILTER (WHERE satisfaction = '满意' OR satisfaction = '基本满意') "
	                       "AS satisfied, count(*) FILTER (WHERE satisfaction <> '未表态') AS stated "
	                       "FROM outcomes INDEXED BY outcomes_satisfaction WHERE case_id BETWEEN ?1 AND ?2",
	                       NULL, 0, &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, lo);
	xf_db_bind_int64(stmt, 2, hi);
	return store_db_collect(st, stmt, out, err);
}

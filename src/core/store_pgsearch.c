/* The store's text index on PostgreSQL: kept in the same transaction as every write that changes
 * a case's searchable texts, and searched as FTS5 is on SQLite, with the same rows in the same
 * order. The server's triggers (data/schema/pg/016) note the changed cases in search_dirty; at
 * the commit the program cuts them again with its own tokenizer into the token table
 * (store_search_pg.c). A search with words walks the token table newest row first
 * (search_pg_match_compile) and then reads the cases of the rows found; one with case numbers or
 * filters alone reads the cases, as on SQLite. Only the seam is spoken to. */
#include "store_pgsearch.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"
#include "store_search_pg.h"

/* Cases cut again per round of a flush: their texts are held in memory meanwhile. */
#define FLUSH_BATCH 1000

/* The low 32 bits of an index row: its case. */
#define CASE_OF_ROW 4294967295LL

/* Appends an integer to an array literal being built ("{" already there). */
static void array_add(struct xf_buf *b, int64_t v)
{
	buf_printf(b, "%s%" PRId64, b->len > 1 ? "," : "", v);
}

/* Runs a statement of one bound array and no result. */
static int run_with_array(struct xf_store *st, const char *sql, const char *array, struct xf_err *err,
                          const char *what)
{
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st, sql, &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_text(stmt, 1, array, -1);
	return store_db_run(st, stmt, err, what);
}

/* Frees the texts of docs[0..n) and the array. */
static void docs_free(struct search_pg_doc *docs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)docs[i].texts);
		free((char *)docs[i].people);
		free((char *)docs[i].numbers);
		free((char *)docs[i].facets);
	}
	free(docs);
}

/* Writes index rows whose old rows are gone, with their tokens, and points search_rows at them:
 * by one statement when they fit one (a commit's case or two), else by a few per batch. */
static int put_rows(struct xf_store *st, const struct search_pg_doc *docs, size_t n, struct xf_err *err)
{
	bool done;
	int rc = search_pg_put_absent(store_db(st), docs, n, &done, err);
	if (rc != XF_OK || done)
		return rc;
	if ((rc = search_pg_put(store_db(st), docs, n, err)) != XF_OK)
		return rc;
	struct xf_buf rows;
	buf_init(&rows);
	buf_puts(&rows, "{");
	for (size_t i = 0; i < n; i++)
		array_add(&rows, docs[i].row);
	buf_puts(&rows, "}");
	rc = run_with_array(st,
	                    "INSERT INTO search_rows (case_id, row) SELECT r & 4294967295, r "
	                    "FROM unnest(CAST(?1 AS bigint[])) AS u(r) "
	                    "ON CONFLICT (case_id) DO UPDATE SET row = EXCLUDED.row",
	                    rows.data, err, "更新全文检索");
	buf_free(&rows);
	return rc;
}

/* One round of a flush, one statement: takes up to FLUSH_BATCH noted cases off search_dirty,
 * deletes their index rows (those search_rows points at, and any under the rows they get now:
 * a changed receipt date moves the row; and their tokens) and reads their texts
 * from search_source, in row order, each row beside the count taken off (one row of NULLs when
 * none of them has a case). The cases are looked up by their ids as one array (a join on them
 * read the whole view); no parameter, so the server plans it once per connection (the view's
 * plan cost a millisecond at every commit). */
#define STR_(x) #x
#define STR(x) STR_(x)
static const char flush_round_sql[] =
	"WITH dirty AS (DELETE FROM search_dirty WHERE case_id IN "
	" (SELECT case_id FROM search_dirty ORDER BY case_id LIMIT " STR(FLUSH_BATCH) ") RETURNING case_id), "
	"fresh AS (SELECT case_id, row, texts, people, numbers, facets FROM search_source "
	" WHERE case_id = ANY (ARRAY(SELECT case_id FROM dirty))), "
	"old AS (SELECT row FROM search_rows WHERE case_id = ANY (ARRAY(SELECT case_id FROM dirty)) "
	" UNION SELECT row FROM fresh), "
	"gone AS (DELETE FROM search WHERE rowid = ANY (ARRAY(SELECT row FROM old))), "
	"tokens_gone AS (DELETE FROM search_tokens WHERE row = ANY (ARRAY(SELECT row FROM old))) "
	"SELECT d.n, f.row, f.texts, f.people, f.numbers, f.facets "
	"FROM (SELECT count(*) AS n FROM dirty) d LEFT JOIN fresh f ON true ORDER BY f.row";

/* Takes one round of noted cases (flush_round_sql): their docs appended to *docs, *taken how
 * many notes it took off. */
static int take_round(struct xf_store *st, struct search_pg_doc **docs, size_t *ndocs, size_t *cap, size_t *taken,
                      struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st, flush_round_sql, &stmt, err);
	if (rc != XF_OK)
		return rc;
	*taken = 0;
	enum xf_db_step step;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		*taken = (size_t)xf_db_column_int64(stmt, 0);
		if (xf_db_column_type(stmt, 1) == XF_DB_NULL)
			continue;
		if (*ndocs == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			*docs = xrealloc(*docs, *cap * sizeof **docs);
		}
		struct search_pg_doc *d = &(*docs)[(*ndocs)++];
		d->row = xf_db_column_int64(stmt, 1);
		d->texts = xstrdup(xf_db_column_text(stmt, 2) ? xf_db_column_text(stmt, 2) : "");
		d->people = xstrdup(xf_db_column_text(stmt, 3) ? xf_db_column_text(stmt, 3) : "");
		d->numbers = xstrdup(xf_db_column_text(stmt, 4) ? xf_db_column_text(stmt, 4) : "");
		d->facets = xstrdup(xf_db_column_text(stmt, 5) ? xf_db_column_text(stmt, 5) : "");
	}
	xf_db_finalize(stmt);
	return step == XF_DB_ERROR ? store_db_fail(st, err, "更新全文检索") : XF_OK;
}

/* Cuts again every case noted as changed, in rounds: the notes of this transaction, and any an
 * earlier writer left (a write from psql, a migration). */
int store_pgsearch_flush(struct xf_store *st, struct xf_err *err)
{
	for (;;) {
		struct search_pg_doc *docs = NULL;
		size_t n = 0, ndocs = 0, cap = 0;
		int rc = take_round(st, &docs, &ndocs, &cap, &n, err);
		if (rc == XF_OK && ndocs > 0)
			rc = put_rows(st, docs, ndocs, err);
		docs_free(docs, ndocs);
		if (rc != XF_OK || n < FLUSH_BATCH)
			return rc;
	}
}

/* Cases whose tokens one sorted load sorts together (their texts and tokens in memory). */
#define SORTED_CASES 5000

/* Points search_rows at index rows just written. */
static int point_rows(struct xf_store *st, const struct search_pg_doc *docs, size_t n, struct xf_err *err)
{
	struct xf_buf rows;
	buf_init(&rows);
	buf_puts(&rows, "{");
	for (size_t i = 0; i < n; i++)
		array_add(&rows, docs[i].row);
	buf_puts(&rows, "}");
	int rc = run_with_array(st,
	                        "INSERT INTO search_rows (case_id, row) SELECT r & 4294967295, r "
	                        "FROM unnest(CAST(?1 AS bigint[])) AS u(r) "
	                        "ON CONFLICT (case_id) DO UPDATE SET row = EXCLUDED.row",
	                        rows.data, err, "更新全文检索");
	buf_free(&rows);
	return rc;
}

/* Cuts again every case noted as changed, as store_pgsearch_flush does, thousands at a time
 * with their tokens sorted in the index's order before they go: for many cases written at once
 * with the index left waiting (a push), where it is several times faster. */
int store_pgsearch_flush_sorted(struct xf_store *st, struct xf_err *err)
{
	bool more = true;
	int rc = XF_OK;
	while (rc == XF_OK && more) {
		struct search_pg_doc *docs = NULL;
		size_t ndocs = 0, cap = 0;
		while (rc == XF_OK && more && ndocs < SORTED_CASES) {
			size_t n = 0;
			rc = take_round(st, &docs, &ndocs, &cap, &n, err);
			more = n >= FLUSH_BATCH;
		}
		if (rc == XF_OK && ndocs > 0 && (rc = search_pg_put_sorted(store_db(st), docs, ndocs, err)) == XF_OK)
			rc = point_rows(st, docs, ndocs, err);
		docs_free(docs, ndocs);
	}
	return rc;
}

/* Keeps the index when the database notes changed cases (version 16 on), and cuts what waits. */
int store_pgsearch_attach(struct xf_store *st, bool *ready, struct xf_err *err)
{
	*ready = false;
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st,
	                          "SELECT to_regclass('search_dirty') IS NOT NULL AND to_regclass('search_tokens') IS NOT NULL",
	                          &stmt, err);
	if (rc != XF_OK)
		return rc;
	enum xf_db_step step = xf_db_step(stmt);
	bool kept = step == XF_DB_ROW && xf_db_column_int64(stmt, 0) != 0;
	xf_db_finalize(stmt);
	if (step != XF_DB_ROW)
		return store_db_fail(st, err, "准备全文检索");
	if (!kept)
		return XF_OK;
	*ready = true;
	if ((rc = store_db_prepare(st, "SELECT EXISTS (SELECT 1 FROM search_dirty)", &stmt, err)) != XF_OK)
		return rc;
	step = xf_db_step(stmt);
	bool waiting = step == XF_DB_ROW && xf_db_column_int64(stmt, 0) != 0;
	xf_db_finalize(stmt);
	if (step != XF_DB_ROW)
		return store_db_fail(st, err, "准备全文检索");
	if (!waiting || xf_db_in_transaction(store_db(st)))
		return XF_OK;
	/* Another desk writing now: its commit cuts what waits, this one need not wait for it. */
	struct xf_err busy;
	if (xf_db_begin_write(store_db(st), &busy) != XF_OK)
		return busy.code == XF_EBUSY ? XF_OK : (*err = busy, busy.code);
	if ((rc = store_pgsearch_flush(st, err)) == XF_OK)
		rc = xf_db_commit(store_db(st), err);
	if (rc != XF_OK)
		xf_db_rollback(store_db(st));
	return rc;
}

/* The statement of a search by case numbers or by filters alone (as store_search.c's
 * FROM_NUMBERS and FROM_FILTERS, newest receipt first): columns, then ?1 since, ?2 until, ?3
 * state, ?4 department, ?5 category, ?6 channel, ?7 importance, ?8 the handler's department, ?9
 * a case left out, ?10 the case numbers (a JSON array), ?11 limit (NULL: all), ?12 offset, ?13
 * the reach (none for the whole store); a count wraps it in count(*). */
static char *cases_sql(const char *columns, const struct xf_reach *reach, bool petitioner, bool count)
{
	char *in_reach = store_reach_sql(reach, "c.branch", 13);
	char *sql = xasprintf(
	    "%sSELECT %s FROM cases c LEFT JOIN search_rows r ON r.case_id = c.id %s"
	    "WHERE (CAST(?1 AS text) IS NULL OR c.received >= CAST(?1 AS text)) "
	    "AND (CAST(?2 AS text) IS NULL OR c.received <= CAST(?2 AS text)) "
	    "AND (CAST(?3 AS text) IS NULL OR c.state = CAST(?3 AS text)) "
	    "AND (CAST(?4 AS text) IS NULL OR c.department = CAST(?4 AS text)) "
	    "AND (CAST(?5 AS text) IS NULL OR c.category = CAST(?5 AS text)) "
	    "AND (CAST(?6 AS text) IS NULL OR c.channel = CAST(?6 AS text)) "
	    "AND (CAST(?7 AS text) IS NULL OR c.importance = CAST(?7 AS text)) "
	    "AND (CAST(?8 AS text) IS NULL OR c.department = CAST(?8 AS text)) "
	    "AND (CAST(?9 AS bigint) IS NULL OR c.id <> CAST(?9 AS bigint)) "
	    "AND (CAST(?10 AS text) IS NULL OR c.number IN (SELECT json_array_elements_text(CAST(?10 AS json)))) AND %s "
	    "ORDER BY c.received DESC, c.id DESC LIMIT CAST(?11 AS bigint) OFFSET CAST(?12 AS bigint)%s",
	    count ? "SELECT count(*) FROM (" : "", columns,
	    petitioner ? "LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 " : "", in_reach, count ? ") m" : "");
	free(in_reach);
	return sql;
}

/* Binds a text, or NULL for none. */
static void bind_text_or_null(struct xf_db_stmt *stmt, int i, const char *v)
{
	if (v)
		xf_db_bind_text(stmt, i, v, -1);
	else
		xf_db_bind_null(stmt, i);
}

/* Prepares a search by numbers or filters with its values bound, reading `columns` (NULL: only
 * counting): rows [offset, offset + limit) of what it finds, or all of them. */
static int prepare_filters(struct xf_store *st, const struct xf_search_sql *q, const char *columns, bool petitioner,
                           bool all, struct xf_db_stmt **stmt, struct xf_err *err)
{
	char *sql = cases_sql(columns ? columns : "1", q->reach, petitioner, columns == NULL);
	int rc = store_db_prepare(st, sql, stmt, err);
	free(sql);
	if (rc != XF_OK)
		return rc;
	const char *text[] = {q->since,   q->until,      q->state,        q->department,
	                      q->category, q->channel,    q->importance,   q->handler_dept};
	for (int i = 0; i < 8; i++)
		bind_text_or_null(*stmt, i + 1, text[i]);
	if (q->exclude_id)
		xf_db_bind_int64(*stmt, 9, q->exclude_id);
	else
		xf_db_bind_null(*stmt, 9);
	bind_text_or_null(*stmt, 10, q->numbers);
	if (all || q->limit < 0)
		xf_db_bind_null(*stmt, 11);
	else
		xf_db_bind_int64(*stmt, 11, q->limit);
	xf_db_bind_int64(*stmt, 12, all || q->offset < 0 ? 0 : q->offset);
	store_reach_bind(*stmt, q->reach, 13);
	return XF_OK;
}

/* Reads the cases of a search by numbers or filters, rows [offset, offset + limit) of them
 * (limit < 0: all); with words (case numbers and words), every case's index row is asked
 * whether the words are in it, as SQLite's EXISTS does: there are as few as the numbers typed. */
static int cases_by_filters(struct xf_store *st, const struct xf_search_sql *q, bool lean, struct xf_rows *out,
                            struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	bool words = q->match != NULL;
	struct xf_db_stmt *stmt;
	int rc = prepare_filters(st, q, lean ? LEAN_COLUMNS("r.row") : RESULT_COLUMNS("r.row"), !lean, words, &stmt,
	                         err);
	if (rc != XF_OK)
		return rc;
	if ((rc = store_db_collect(st, stmt, out, err)) != XF_OK || !words)
		return rc;
	/* The words on each case's index row, then the page of those that hold them. */
	size_t kept = 0;
	long skipped = 0;
	for (size_t i = 0; i < out->n && rc == XF_OK; i++) {
		const char *row = fields_str(&out->v[i], "search_row");
		bool found = false;
		if (*row)
			rc = search_pg_row_matches(store_db(st), strtoll(row, NULL, 10), q->match, &found, err);
		if (found && skipped < q->offset)
			skipped++, found = false;
		if (found && (q->limit < 0 || kept < (size_t)q->limit)) {
			struct xf_fields keep = out->v[i];
			out->v[i] = out->v[kept];
			out->v[kept++] = keep;
		}
	}
	for (size_t i = kept; i < out->n; i++)
		fields_free(&out->v[i]);
	out->n = kept;
	if (rc != XF_OK)
		rows_free(out);
	return rc;
}

/* The index rows a search's dates allow: below *before (the row after `until`'s day, or the
 * batch's own bound if lower) and from *floor (`since`'s day) on, as SQLite's julianday reads
 * the dates (day_number, pg/008). */
static int date_bounds(struct xf_store *st, const struct xf_search_sql *q, int64_t *before, int64_t *floor,
                       struct xf_err *err)
{
	*before = q->before_row;
	*floor = 0;
	if (q->since == NULL && q->until == NULL)
		return XF_OK;
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st,
	                          "SELECT coalesce(day_number(CAST(?1 AS text)), 0) << 32, "
	                          "(coalesce(day_number(CAST(?2 AS text)), 1073741823) + 1) << 32",
	                          &stmt, err);
	if (rc != XF_OK)
		return rc;
	bind_text_or_null(stmt, 1, q->since);
	bind_text_or_null(stmt, 2, q->until);
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW) {
		*floor = xf_db_column_int64(stmt, 0);
		int64_t upper = xf_db_column_int64(stmt, 1);
		if (*before <= 0 || upper < *before)
			*before = upper;
	}
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : store_db_fail(st, err, "全文检索");
}

/* Prepares a search with words: the walk down the index (search_pg_match_compile) wrapped in
 * head and tail, whose own parameters are ?1 the case left out, ?2 limit, ?3 offset, and after
 * the walk's own the reach (the rows of cases in reach only). */
static int prepare_words(struct xf_store *st, const struct xf_search_sql *q, const char *head, const char *tail,
                         struct xf_db_stmt **stmt, struct xf_err *err)
{
	int64_t before, floor;
	int rc = date_bounds(st, q, &before, &floor, err);
	struct search_pg_match m;
	if (rc != XF_OK || (rc = search_pg_match_compile(store_db(st), q->match, 4, &m, err)) != XF_OK)
		return rc;
	/* The reach as a filter on each row's case, read by a scalar subquery: a filter keeps the
	 * walk's order, where EXISTS could become a join that does not. */
	int reach_p = m.first + 2 + m.nparams;
	char *branch_of_row = xasprintf("(SELECT c.branch FROM cases c WHERE c.id = (w.row & %lld))", CASE_OF_ROW);
	char *reach_cond = store_reach_sql(q->reach, branch_of_row, reach_p);
	free(branch_of_row);
	char *sql = xasprintf("%s(%s) w WHERE (CAST(?1 AS bigint) IS NULL OR (w.row & %lld) <> CAST(?1 AS bigint)) "
	                      "AND %s LIMIT CAST(?2 AS bigint) OFFSET CAST(?3 AS bigint)%s",
	                      head, m.sql, CASE_OF_ROW, reach_cond, tail);
	free(reach_cond);
	rc = store_db_prepare(st, sql, stmt, err);
	free(sql);
	if (rc == XF_OK) {
		search_pg_match_bind(*stmt, &m, before, floor);
		if (q->exclude_id)
			xf_db_bind_int64(*stmt, 1, q->exclude_id);
		else
			xf_db_bind_null(*stmt, 1);
		if (q->limit < 0)
			xf_db_bind_null(*stmt, 2);
		else
			xf_db_bind_int64(*stmt, 2, q->limit);
		xf_db_bind_int64(*stmt, 3, q->offset > 0 ? q->offset : 0);
		store_reach_bind(*stmt, q->reach, reach_p);
	}
	search_pg_match_free(&m);
	return rc;
}

/* A search with words and no case numbers: the index rows found, newest first, and their
 * cases, by one statement (the rows found and then their cases took two round trips). The
 * filters are in the words already (search.c adds the facets' tokens), as FTS5 finds them on
 * SQLite. */
static int cases_by_words(struct xf_store *st, const struct xf_search_sql *q, struct xf_rows *out,
                          struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	char *head = xasprintf("SELECT %s FROM (SELECT w.row FROM ", q->lean ? LEAN_COLUMNS("w.row") : RESULT_COLUMNS("w.row"));
	char *tail = xasprintf(") w JOIN cases c ON c.id = (w.row & %lld) %sORDER BY w.row DESC", CASE_OF_ROW,
	                       q->lean ? "" : "LEFT JOIN petitioners p ON p.case_id = c.id AND p.ord = 0 ");
	struct xf_db_stmt *stmt;
	int rc = prepare_words(st, q, head, tail, &stmt, err);
	free(head);
	free(tail);
	return rc == XF_OK ? store_db_collect(st, stmt, out, err) : rc;
}

/* Runs a search on PostgreSQL: through the token table when there are words, else by the cases. */
int store_pgsearch_cases(struct xf_store *st, const struct xf_search_sql *q, struct xf_rows *out, struct xf_err *err)
{
	if (q->match && !q->numbers)
		return cases_by_words(st, q, out, err);
	return cases_by_filters(st, q, q->lean, out, err);
}

/* Runs a count's statement (finalized). */
static int count_of(struct xf_store *st, struct xf_db_stmt *stmt, long *count, struct xf_err *err)
{
	enum xf_db_step step = xf_db_step(stmt);
	*count = step == XF_DB_ROW ? (long)xf_db_column_int64(stmt, 0) : 0;
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : store_db_fail(st, err, "全文检索计数");
}

/* Counts what a search finds from its offset on, at most its limit, reading no texts. */
int store_pgsearch_count(struct xf_store *st, const struct xf_search_sql *q, long *count, struct xf_err *err)
{
	*count = 0;
	struct xf_db_stmt *stmt;
	int rc;
	if (q->match && !q->numbers) {
		if ((rc = prepare_words(st, q, "SELECT count(*) FROM (SELECT 1 FROM ", ") m", &stmt, err)) != XF_OK)
			return rc;
		return count_of(st, stmt, count, err);
	}
	if (q->numbers && q->match) {
		struct xf_rows rows;
		if ((rc = cases_by_filters(st, q, true, &rows, err)) == XF_OK)
			*count = (long)rows.n;
		rows_free(&rows);
		return rc;
	}
	if ((rc = prepare_filters(st, q, NULL, false, false, &stmt, err)) != XF_OK)
		return rc;
	return count_of(st, stmt, count, err);
}

/* Adds to the rows that have none their cases' indexed texts, read from search_source by one
 * statement for all of them (a case not found gets empty texts, as one read alone gives). */
int store_pgsearch_rows_source(struct xf_store *st, struct xf_fields *rows, size_t n, struct xf_err *err)
{
	static const char *const keys[] = {"texts", "people", "numbers"};
	struct xf_buf ids;
	buf_init(&ids);
	buf_puts(&ids, "{");
	size_t want = 0;
	for (size_t i = 0; i < n; i++)
		if (!fields_get(&rows[i], "texts")) {
			array_add(&ids, strtoll(fields_str(&rows[i], "id"), NULL, 10));
			want++;
		}
	buf_puts(&ids, "}");
	int rc = XF_OK;
	struct xf_db_stmt *stmt;
	if (want > 0 && (rc = store_db_prepare(st,
	                                       "SELECT case_id, texts, people, numbers FROM search_source "
	                                       "WHERE case_id = ANY (CAST(?1 AS bigint[]))",
	                                       &stmt, err)) == XF_OK) {
		xf_db_bind_text(stmt, 1, ids.data, -1);
		enum xf_db_step step;
		while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
			int64_t id = xf_db_column_int64(stmt, 0);
			for (size_t i = 0; i < n; i++)
				if (!fields_get(&rows[i], "texts") && strtoll(fields_str(&rows[i], "id"), NULL, 10) == id)
					for (int k = 0; k < 3; k++) {
						const char *v = xf_db_column_text(stmt, k + 1);
						fields_set(&rows[i], keys[k], v ? v : "");
					}
		}
		xf_db_finalize(stmt);
		if (step != XF_DB_DONE)
			rc = store_db_fail(st, err, "全文检索");
	}
	for (size_t i = 0; i < n && rc == XF_OK; i++)
		if (!fields_get(&rows[i], "texts"))
			for (int k = 0; k < 3; k++)
				fields_set(&rows[i], keys[k], "");
	buf_free(&ids);
	return rc;
}

/* The store's side of search: the FTS5 tokenizer, keeping the index with every change in the
 * same transaction, and the search query itself, through the storage seam. On SQLite the index
 * is FTS5 (the tokenizer registered on the native handle, the re-indexing statements kept
 * there); on PostgreSQL the same tokenizer fills the token table of data/schema/pg/008, kept and
 * searched by store_pgsearch.c, which each entry point here hands over to. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pgsearch.h"
#include "store_private.h"
#include "store_search_pg.h"
#include "xinfang/search.h"

/* FTS5's API pointer of a connection. */
static fts5_api *fts5_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return api;
}

/* The tokenizer has no settings: one static instance. */
static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ctx, (void)argv, (void)argc;
	static int instance;
	*out = (Fts5Tokenizer *)&instance;
	return SQLITE_OK;
}

/* Nothing to free. */
static void tok_delete(Fts5Tokenizer *t)
{
	(void)t;
}

/* FTS5's token callback with its context. */
struct tok_bridge {
	void *ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
};

/* Hands one token to FTS5. */
static int tok_emit(void *ctx, bool colocated, const char *token, size_t len, size_t start, size_t end)
{
	struct tok_bridge *b = ctx;
	return b->xToken(b->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, token, (int)len, (int)start, (int)end);
}

/* Tokenizes for FTS5: queries as queries, documents and highlighting as documents. */
static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                        int (*xToken)(void *, int, const char *, int, int, int))
{
	(void)t;
	struct tok_bridge b = {ctx, xToken};
	enum xf_tok_mode mode = (flags & FTS5_TOKENIZE_QUERY) ? XF_TOK_QUERY : XF_TOK_DOCUMENT;
	return search_tokenize(text, len > 0 ? (size_t)len : 0, mode, tok_emit, &b);
}

/* Registers the tokenizer on a connection (the store's, or a scratch one the migrations run in). */
int store_search_tokenizers(sqlite3 *db, struct xf_err *err)
{
	fts5_api *api = fts5_of(db);
	if (api == NULL || api->iVersion < 2)
		return xf_err_set(err, XF_EIO, "这个 SQLite 没有全文检索（FTS5）：请安装带 FTS5 的 libsqlite3");
	/* One tokenizer under two names: `xinfang` for the index of versions 8 to 10 (still built
	 * on the way up), `xinfang2` for version 11's, which older builds do not know and so
	 * cannot write in their shape. */
	static fts5_tokenizer tokenizer = {tok_create, tok_delete, tok_tokenize};
	if (api->xCreateTokenizer(api, "xinfang", NULL, &tokenizer, NULL) != SQLITE_OK ||
	    api->xCreateTokenizer(api, "xinfang2", NULL, &tokenizer, NULL) != SQLITE_OK)
		return xf_err_set(err, XF_EIO, "无法登记全文检索的分词器");
	return XF_OK;
}

/* True on a PostgreSQL store (its index is store_pgsearch.c's). */
static bool on_pg(struct xf_store *st)
{
	return xf_db_dialect(store_db(st)) != XF_DB_SQLITE;
}

/* Registers the tokenizer (SQLite) and attaches when the index exists. */
int store_search_open(struct xf_store *st, struct xf_err *err)
{
	if (on_pg(st))
		return store_search_attach(st, err);
	int rc = store_search_tokenizers(xf_db_native(store_db(st)), err);
	return rc == XF_OK ? store_search_attach(st, err) : rc;
}

/* Tables whose rows carry text of a case, and the column naming the case. */
static const char *const text_tables[] = {"petitioners", "transfers", "instructions", "outcomes",
                                          "replies",     "urgings",   "closures"};

/* The migrations that build the index (8), give it the filters' tokens (11) and drop its copy
 * of the texts (15; its other edits find nothing to change the second time). Migration
 * numbers are handed out before they land, so a store may have passed them without them (made
 * by a build holding a later migration but not these): such a store gets them now, once, in
 * order, from `first` as far as its version goes. */
static bool search_migration(int version)
{
	return version == 8 || version == 11 || version == 15;
}
static int late_migration(struct xf_store *st, int first, bool *applied, struct xf_err *err)
{
	*applied = false;
	int version;
	int rc = store_version(st, &version, err);
	if (rc != XF_OK || version < first)
		return rc;
	for (size_t i = 0; i < xf_migration_count; i++) {
		int v = xf_migrations[i].version;
		if (!search_migration(v) || v < first || v > version)
			continue;
		struct xf_err ignored; /* said as building the index */
		if (xf_db_begin_write(store_db(st), &ignored) != XF_OK)
			return store_db_fail(st, err, "建立全文检索");
		if ((rc = store_db_exec(st, xf_migrations[i].sql, err, xf_migrations[i].name)) != XF_OK ||
		    (xf_db_commit(store_db(st), &ignored) != XF_OK && (rc = store_db_fail(st, err, "建立全文检索")) != XF_OK)) {
			store_rollback(st);
			return rc;
		}
		*applied = true;
	}
	return XF_OK;
}

/* Keeps, before a case's first change in a transaction, the values its index row was made
 * from (the index keeps no copy of them since schema version 15, and a contentless index
 * forgets a row only when told its terms); a case without an index row has none to keep. */
#define KEEP_OLD(ID)                                                                                               \
	"INSERT INTO search_old SELECT r.case_id, r.row, s.texts, s.people, s.numbers, s.facets "                \
	"FROM main.search_rows r CROSS JOIN main.search_source s ON s.case_id = r.case_id "                          \
	"WHERE r.case_id = " ID " AND NOT EXISTS (SELECT 1 FROM temp.search_old o WHERE o.case_id = " ID ");"

/* The temporary tables and triggers that note, in this connection only, every case whose
 * indexed text a statement changes, with its index row's values as they were. The triggers
 * run before the change, so they read the case as it was indexed. */
static int create_triggers(struct xf_store *st, struct xf_err *err)
{
	struct xf_buf sql;
	buf_init(&sql);
	buf_puts(&sql, "CREATE TEMP TABLE IF NOT EXISTS search_dirty (case_id INTEGER PRIMARY KEY);"
	               "CREATE TEMP TABLE IF NOT EXISTS search_order (row INTEGER PRIMARY KEY, case_id INTEGER NOT NULL);"
	               "CREATE TEMP TABLE IF NOT EXISTS search_old (case_id INTEGER PRIMARY KEY, row INTEGER NOT NULL, "
	               "texts, people, numbers, facets);"
	               "CREATE TEMP TRIGGER IF NOT EXISTS search_cases_insert AFTER INSERT ON main.cases BEGIN "
	               "INSERT OR IGNORE INTO search_dirty VALUES (NEW.id); END;"
	               "CREATE TEMP TRIGGER IF NOT EXISTS search_cases_update "
	               "BEFORE UPDATE OF subject, accused, summary, spot_answer, received, state, department, category, "
	               "channel, importance ON main.cases BEGIN " KEEP_OLD("OLD.id")
	               "INSERT OR IGNORE INTO search_dirty VALUES (OLD.id);"
	               "INSERT OR IGNORE INTO search_dirty VALUES (NEW.id); END;");
	for (size_t i = 0; i < sizeof text_tables / sizeof text_tables[0]; i++)
		buf_printf(&sql,
		           "CREATE TEMP TRIGGER IF NOT EXISTS search_%s_insert BEFORE INSERT ON main.%s BEGIN "
		           KEEP_OLD("NEW.case_id") "INSERT OR IGNORE INTO search_dirty VALUES (NEW.case_id); END;"
		           "CREATE TEMP TRIGGER IF NOT EXISTS search_%s_update BEFORE UPDATE ON main.%s BEGIN "
		           KEEP_OLD("OLD.case_id") KEEP_OLD("NEW.case_id")
		           "INSERT OR IGNORE INTO search_dirty VALUES (OLD.case_id);"
		           "INSERT OR IGNORE INTO search_dirty VALUES (NEW.case_id); END;",
		           text_tables[i], text_tables[i], text_tables[i], text_tables[i]);
	int rc = store_db_exec(st, sql.data, err, "准备全文检索");
	buf_free(&sql);
	return rc;
}

/* Whether search_source has the filters' tokens (migration 11). */
static int source_has_facets(struct xf_store *st, bool *has, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st, "SELECT 1 FROM pragma_table_info('search_source') WHERE name = 'facets'", &stmt,
	                          err);
	if (rc != XF_OK)
		return rc;
	*has = xf_db_step(stmt) == XF_DB_ROW;
	xf_db_finalize(stmt);
	return XF_OK;
}

/* Notes, in this connection only, every case whose indexed text a statement changes. */
int store_search_attach(struct xf_store *st, struct xf_err *err)
{
	bool *ready = store_search_ready(st);
	if (*ready)
		return XF_OK;
	if (on_pg(st))
		return store_pgsearch_attach(st, ready, err);
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st,
	                          "SELECT (SELECT count(*) FROM main.sqlite_schema WHERE name = 'search_source'), "
	                          "(SELECT count(*) FROM main.sqlite_schema WHERE name = 'search')",
	                          &stmt, err);
	if (rc != XF_OK)
		return rc;
	bool exists = false, index = false;
	if (xf_db_step(stmt) == XF_DB_ROW) {
		exists = xf_db_column_int64(stmt, 0) > 0;
		index = xf_db_column_int64(stmt, 1) > 0;
	}
	xf_db_finalize(stmt);
	/* The index without its view is not a store that missed migration 8 but one whose view was
	 * dropped behind the program's back: it opens without keeping the index, so that verify
	 * can name what is missing. */
	if (!exists && index)
		return XF_OK;
	if (!exists && (rc = late_migration(st, 8, &exists, err)) != XF_OK)
		return rc;
	/* Kept only in its present shape (with the filters' tokens): a store between versions 8
	 * and 10 is on its way to migration 11, which builds the index again from the cases; one
	 * past 11 without it gets 11 now. */
	bool facets = false;
	if (exists && (rc = source_has_facets(st, &facets, err)) == XF_OK && !facets &&
	    (rc = late_migration(st, 11, &exists, err)) == XF_OK && exists)
		rc = source_has_facets(st, &facets, err);
	if (rc != XF_OK || !facets)
		return rc;
	if ((rc = create_triggers(st, err)) == XF_OK)
		*ready = true;
	return rc;
}

/* A bulk writer's start: the insert triggers are dropped for the rest of the transaction, as
 * a statement that fires a trigger keeps a statement journal; the writer notes its cases
 * itself (store_search_note). A rollback brings the triggers back with everything else. */
int store_search_bulk_begin(struct xf_store *st, struct xf_err *err)
{
	if (!*store_search_ready(st) || on_pg(st)) /* the server's triggers note every case */
		return XF_OK;
	struct xf_buf sql;
	buf_init(&sql);
	buf_puts(&sql, "DROP TRIGGER IF EXISTS temp.search_cases_insert;");
	for (size_t i = 0; i < sizeof text_tables / sizeof text_tables[0]; i++)
		buf_printf(&sql, "DROP TRIGGER IF EXISTS temp.search_%s_insert;", text_tables[i]);
	int rc = store_db_exec(st, sql.data, err, "准备导入");
	buf_free(&sql);
	return rc;
}

/* Notes a case a bulk writer wrote, for the index to take at commit. */
int store_search_note(struct xf_store *st, struct xf_db_stmt **stmt, int64_t case_id, struct xf_err *err)
{
	if (!*store_search_ready(st) || on_pg(st))
		return XF_OK;
	struct xf_err ignored; /* said as the query's failure */
	if (*stmt == NULL &&
	    store_db_prepare(st, "INSERT INTO temp.search_dirty VALUES (?1) ON CONFLICT DO NOTHING", stmt, &ignored) != XF_OK)
		return store_db_fail(st, err, "数据库查询");
	xf_db_bind_int64(*stmt, 1, case_id);
	enum xf_db_step step = xf_db_step(*stmt);
	xf_db_reset(*stmt);
	return step == XF_DB_DONE ? XF_OK : store_db_fail(st, err, "导入记录");
}

/* A bulk writer's end, after its commit or rollback: the triggers are back. */
int store_search_bulk_end(struct xf_store *st, struct xf_err *err)
{
	return *store_search_ready(st) && !on_pg(st) ? create_triggers(st, err) : XF_OK;
}

/* Re-indexing the cases a transaction changed, as whole sets: the old index rows forgotten
 * with the values they were made from (kept by the triggers before the first change), then
 * the new rows written by one statement in rowid order. FTS5 writes its pending terms to disk
 * at the end of every statement and whenever a rowid goes backwards, so one ordered INSERT
 * costs one write where a statement per case cost one write per case (an import of 10^4 cases
 * spent a third of its time there). Every join is a CROSS JOIN, the changed cases outermost:
 * the temporary tables have no statistics, and on an analysed store of 10^6 cases the planner
 * otherwise read all of search_rows to find the one case a registration changed (42 ms
 * instead of a fraction of one). */
static const char *const reindex_sql[] = {
	"INSERT INTO main.search (search, rowid, texts, people, numbers, facets) "
	"SELECT 'delete', row, texts, people, numbers, facets FROM temp.search_old ORDER BY row",
	/* The index as versions 11 to 14 made it (with its own copy), on the way to version 15. */
	"DELETE FROM main.search WHERE rowid IN (SELECT row FROM temp.search_old)",
	"INSERT INTO temp.search_order (row, case_id) SELECT s.row, s.case_id "
	"FROM temp.search_dirty d CROSS JOIN main.search_source s ON s.case_id = d.case_id",
	"INSERT OR REPLACE INTO main.search_rows (case_id, row) SELECT case_id, row FROM temp.search_order",
	"INSERT INTO main.search (rowid, texts, people, numbers, facets) SELECT o.row, s.texts, s.people, s.numbers, "
	"s.facets "
	"FROM temp.search_order o CROSS JOIN main.search_source s ON s.case_id = o.case_id ORDER BY o.row",
	"DELETE FROM temp.search_order",
	"DELETE FROM temp.search_dirty",
	"DELETE FROM temp.search_old",
	/* Not a step: what a shown result reads of its case (store_search_row_source). */
	"SELECT texts, people, numbers FROM main.search_source WHERE case_id = ?1",
};
enum {
	DROP_OLD, DROP_KEPT, ORDER_ROWS, WRITE_ROWS, WRITE_INDEX, CLEAR_ORDER, CLEAR_DIRTY, CLEAR_OLD, REINDEX_STEPS,
	SOURCE_ROW = REINDEX_STEPS, SEARCH_STATEMENTS
};
_Static_assert((int)SEARCH_STATEMENTS <= (int)XF_SEARCH_STMTS, "room for every kept statement");

/* One kept statement, prepared on its first use in this connection: on SQLite's handle, as the
 * re-indexing is FTS5's (kept across commits, where preparing the view's statements afresh
 * would cost more than the re-indexing of a registration). */
static int reindex_statement(struct xf_store *st, int which, sqlite3_stmt **out, struct xf_err *err)
{
	sqlite3_stmt **stmts = store_search_stmts(st);
	if (stmts[which] == NULL &&
	    sqlite3_prepare_v3(store_sqlite(st), reindex_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &stmts[which], NULL) !=
	        SQLITE_OK) {
		stmts[which] = NULL;
		return store_sql_fail(st, sqlite3_errcode(store_sqlite(st)), err, "更新全文检索");
	}
	*out = stmts[which];
	return XF_OK;
}

/* Runs one re-indexing statement to the end. */
static int reindex_step(struct xf_store *st, int which, struct xf_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc = reindex_statement(st, which, &stmt, err);
	if (rc != XF_OK)
		return rc;
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	sqlite3_reset(stmt);
	return step == SQLITE_DONE ? XF_OK : store_sql_fail(st, step, err, "更新全文检索");
}

/* Which statement forgets the old index rows: none when no indexed case changed (an import
 * only adds cases), else the one for the index's shape (without its own copy since version 15). */
static int drop_step(struct xf_store *st, int *which, struct xf_err *err)
{
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st,
	                          "SELECT EXISTS (SELECT 1 FROM temp.search_old), EXISTS (SELECT 1 FROM main.sqlite_schema "
	                          "WHERE type = 'table' AND name = 'search' AND sql LIKE '%content = ''''%')",
	                          &stmt, err);
	if (rc != XF_OK)
		return rc;
	enum xf_db_step step = xf_db_step(stmt);
	*which = step != XF_DB_ROW || !xf_db_column_int64(stmt, 0) ? -1
	         : xf_db_column_int64(stmt, 1)                     ? DROP_OLD
	                                                           : DROP_KEPT;
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : store_db_fail(st, err, "更新全文检索");
}

/* Replaces the index rows of every case changed in this transaction from search_source (only
 * a connection that keeps the index is ready). */
int store_search_flush(struct xf_store *st, struct xf_err *err)
{
	if (!*store_search_ready(st))
		return XF_OK;
	if (on_pg(st))
		return store_pgsearch_flush(st, err);
	int drop;
	int rc = drop_step(st, &drop, err);
	if (rc == XF_OK && drop >= 0)
		rc = reindex_step(st, drop, err);
	for (int k = ORDER_ROWS; k < REINDEX_STEPS && rc == XF_OK; k++)
		rc = reindex_step(st, k, err);
	return rc;
}

/* The columns every search returns (store_pgsearch.h): ROW is s.rowid where the words read the
 * index, else r.row of search_rows, as a contentless index is not read by rowid alone. */

/* The filters every search applies to cases c. */
#define RESULT_FILTERS                                                                                             \
	"AND (?2 IS NULL OR c.received >= ?2) AND (?3 IS NULL OR c.received <= ?3) "                                  \
	"AND (?4 IS NULL OR c.state = ?4) AND (?5 IS NULL OR c.department = ?5) "                                     \
	"AND (?6 IS NULL OR c.category = ?6) AND (?7 IS NULL OR c.channel = ?7) "                                     \
	"AND (?8 IS NULL OR c.importance = ?8) AND (?11 IS NULL OR c.department = ?11) "                             \
	"AND (?14 IS NULL OR c.id <> ?14) AND %s "

/* What each kind of search reads and keeps, after its columns: case numbers lead (found
 * through their unique index, the words then checked on those few cases' index rows alone);
 * words go through the index, newest row first; filters alone through the receipt index. */
#define FROM_NUMBERS_(P)                                                                                           \
	"FROM main.cases c LEFT JOIN main.search_rows r ON r.case_id = c.id "                                         \
	P                                                                                                          \
	"WHERE c.number IN (SELECT value FROM json_each(?13)) "                                                       \
	"AND CASE WHEN ?1 IS NULL THEN 1 ELSE EXISTS (SELECT 1 FROM main.search t WHERE t.rowid = r.row "             \
	"AND t.search MATCH ?1) END " RESULT_FILTERS "ORDER BY c.received DESC, c.id DESC "
#define FROM_WORDS_(P)                                                                                             \
	"FROM main.search s JOIN main.cases c ON c.id = (s.rowid & 4294967295) "                                      \
	P                                                                                                          \
	"WHERE s.search MATCH ?1 "                                                                                    \
	"AND s.rowid >= (coalesce(CAST(julianday(?2) AS INTEGER), 0) << 32) "                                         \
	"AND s.rowid <= (coalesce(CAST(julianday(?3) AS INTEGER), 1073741823) << 32) + 4294967295 "                 \
	"AND (?15 IS NULL OR s.rowid < ?15) " RESULT_FILTERS "ORDER BY s.rowid DESC "
#define FROM_FILTERS_(P)                                                                                           \
	"FROM main.cases c LEFT JOIN main.search_rows r ON r.case_id = c.id "                                         \
	P                                                                                                          \
	"WHERE 1 " RESULT_FILTERS "ORDER BY c.received DESC, c.id DESC "

/* The first petitioner, for the name every full row shows. */
#define PETITIONER_JOIN "LEFT JOIN main.petitioners p ON p.case_id = c.id AND p.ord = 0 "
#define FROM_NUMBERS FROM_NUMBERS_(PETITIONER_JOIN)
#define FROM_WORDS FROM_WORDS_(PETITIONER_JOIN)
#define FROM_FILTERS FROM_FILTERS_(PETITIONER_JOIN)
#define LEAN(from) from##_("")

/* Binds a search's values to its statement (?1 … ?16 but ?12, as RESULT_FILTERS and FROM_* use
 * them; ?16 the reach). */
static void bind_search(struct xf_db_stmt *stmt, const struct xf_search_sql *q)
{
	const char *text[] = {q->match, q->since, q->until, q->state, q->department, q->category, q->channel,
	                      q->importance};
	for (int i = 0; i < 8; i++)
		if (text[i])
			xf_db_bind_text(stmt, i + 1, text[i], -1);
	xf_db_bind_int64(stmt, 9, q->limit);
	xf_db_bind_int64(stmt, 10, q->offset);
	if (q->handler_dept)
		xf_db_bind_text(stmt, 11, q->handler_dept, -1);
	if (q->numbers)
		xf_db_bind_text(stmt, 13, q->numbers, -1);
	if (q->exclude_id)
		xf_db_bind_int64(stmt, 14, q->exclude_id);
	if (q->before_row && q->match && !q->numbers) /* words only: the index's rows */
		xf_db_bind_int64(stmt, 15, q->before_row);
	store_reach_bind(stmt, q->reach, 16);
}

/* Prepares one of a search's statements (a format whose one %s is the reach's condition). */
static int prepare_search(struct xf_store *st, const char *format, const struct xf_search_sql *q,
                          struct xf_db_stmt **stmt, struct xf_err *err)
{
	char *in_reach = store_reach_sql(q->reach, "c.branch", 16);
	char *sql = xasprintf(format, in_reach);
	free(in_reach);
	int rc = store_db_prepare(st, sql, stmt, err);
	free(sql);
	if (rc == XF_OK)
		bind_search(*stmt, q);
	return rc;
}

/* Whether the words (an FTS5 expression limited to the texts column) match one index row's
 * texts: asked only of the few rows whose identity a handler may not see, since the same test
 * as a column of every row read made a handler's search fifteen times slower. */
int store_search_texts_match(struct xf_store *st, int64_t search_row, const char *match_text, bool *matched,
                             struct xf_err *err)
{
	*matched = false;
	if (on_pg(st))
		return search_pg_row_matches(store_db(st), search_row, match_text, matched, err);
	struct xf_db_stmt *stmt;
	int rc = store_db_prepare(st, "SELECT 1 FROM main.search WHERE rowid = ?1 AND search MATCH ?2", &stmt, err);
	if (rc != XF_OK)
		return rc;
	xf_db_bind_int64(stmt, 1, search_row);
	xf_db_bind_text(stmt, 2, match_text, -1);
	enum xf_db_step step = xf_db_step(stmt);
	*matched = step == XF_DB_ROW;
	xf_db_finalize(stmt);
	return step != XF_DB_ERROR ? XF_OK : store_db_fail(st, err, "全文检索");
}

/* Which of the FROM_* a search reads: 0 numbers, 1 words, 2 filters alone. */
static int search_kind(const struct xf_search_sql *q)
{
	return q->numbers ? 0 : q->match ? 1 : 2;
}

/* Counts the cases a search finds from its offset on, at most its limit of them: the same
 * reading as store_search without the columns, so a count costs no texts. */
int store_search_count(struct xf_store *st, const struct xf_search_sql *q, long *count, struct xf_err *err)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM (SELECT 1 " FROM_NUMBERS "LIMIT ?9 OFFSET ?10)",
		"SELECT count(*) FROM (SELECT 1 " FROM_WORDS "LIMIT ?9 OFFSET ?10)",
		"SELECT count(*) FROM (SELECT 1 " FROM_FILTERS "LIMIT ?9 OFFSET ?10)",
	};
	*count = 0;
	if (on_pg(st))
		return store_pgsearch_count(st, q, count, err);
	struct xf_db_stmt *stmt;
	int rc = prepare_search(st, sql[search_kind(q)], q, &stmt, err);
	if (rc != XF_OK)
		return rc;
	enum xf_db_step step = xf_db_step(stmt);
	if (step == XF_DB_ROW)
		*count = (long)xf_db_column_int64(stmt, 0);
	xf_db_finalize(stmt);
	return step == XF_DB_ROW ? XF_OK : store_db_fail(st, err, "全文检索计数");
}

/* Runs a search: through the index when there are words, else through the receipt index. */
int store_search(struct xf_store *st, const struct xf_search_sql *q, struct xf_rows *out, struct xf_err *err)
{
	static const char *const sql[] = {
		"SELECT " RESULT_COLUMNS("r.row") FROM_NUMBERS "LIMIT ?9 OFFSET ?10",
		"SELECT " RESULT_COLUMNS("s.rowid") FROM_WORDS "LIMIT ?9 OFFSET ?10",
		"SELECT " RESULT_COLUMNS("r.row") FROM_FILTERS "LIMIT ?9 OFFSET ?10",
	};
	/* The same reading for the mask's rule alone: no petitioner, no indexed texts. */
	static const char *const lean_sql[] = {
		"SELECT " LEAN_COLUMNS("r.row") LEAN(FROM_NUMBERS) "LIMIT ?9 OFFSET ?10",
		"SELECT " LEAN_COLUMNS("s.rowid") LEAN(FROM_WORDS) "LIMIT ?9 OFFSET ?10",
		"SELECT " LEAN_COLUMNS("r.row") LEAN(FROM_FILTERS) "LIMIT ?9 OFFSET ?10",
	};
	out->v = NULL;
	out->n = 0;
	if (on_pg(st))
		return store_pgsearch_cases(st, q, out, err);
	struct xf_db_stmt *stmt;
	int rc = prepare_search(st, q->lean ? lean_sql[search_kind(q)] : sql[search_kind(q)], q, &stmt, err);
	if (rc != XF_OK)
		return rc;
	return store_db_collect(st, stmt, out, err);
}

/* Adds the case's indexed text to a search row, from the cases' own tables. */
int store_search_row_source(struct xf_store *st, struct xf_fields *row, struct xf_err *err)
{
	static const char *const keys[] = {"texts", "people", "numbers"};
	int64_t id = strtoll(fields_str(row, "id"), NULL, 10);
	if (on_pg(st)) {
		/* Prepared once per connection by the PostgreSQL driver itself. */
		struct xf_db_stmt *stmt;
		int rc = store_db_prepare(st, "SELECT texts, people, numbers FROM search_source WHERE case_id = ?1", &stmt, err);
		if (rc != XF_OK)
			return rc;
		xf_db_bind_int64(stmt, 1, id);
		enum xf_db_step step = xf_db_step(stmt);
		for (int i = 0; i < 3; i++) {
			const char *v = step == XF_DB_ROW ? xf_db_column_text(stmt, i) : NULL;
			fields_set(row, keys[i], v ? v : "");
		}
		xf_db_finalize(stmt);
		return step != XF_DB_ERROR ? XF_OK : store_db_fail(st, err, "全文检索");
	}
	sqlite3_stmt *stmt;
	int rc = reindex_statement(st, SOURCE_ROW, &stmt, err);
	if (rc != XF_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, id);
	int step = sqlite3_step(stmt);
	for (int i = 0; i < 3; i++) {
		const unsigned char *v = step == SQLITE_ROW ? sqlite3_column_text(stmt, i) : NULL;
		fields_set(row, keys[i], v ? (const char *)v : "");
	}
	sqlite3_reset(stmt);
	return step == SQLITE_ROW || step == SQLITE_DONE ? XF_OK : store_sql_fail(st, step, err, "全文检索");
}

/* Adds their cases' indexed text to the rows of a page that lack it: on PostgreSQL by one
 * statement (a round trip per row was most of a page's time), on SQLite row by row. */
int store_search_rows_source(struct xf_store *st, struct xf_fields *rows, size_t n, struct xf_err *err)
{
	if (on_pg(st))
		return store_pgsearch_rows_source(st, rows, n, err);
	int rc = XF_OK;
	for (size_t i = 0; i < n && rc == XF_OK; i++)
		if (!fields_get(&rows[i], "texts"))
			rc = store_search_row_source(st, &rows[i], err);
	return rc;
}

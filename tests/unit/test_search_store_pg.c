/* The desk's search (search.c's API) on PostgreSQL against SQLite, on the same cases: they are
 * registered through the case API on an SQLite store, their rows copied into a PostgreSQL store
 * by another connection (the server's triggers note them, and opening the store cuts their
 * tokens), and every query of the clerk, the head and the handler (masked) gives the same
 * cases in the same order, the same pages and counts. Then edits move cases in and out of the
 * results on both, in the writing transaction. Runs beside the throwaway cluster of
 * tests/pg/with_cluster.sh (XINFANG_TEST_PG). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/store_db.h"
#include "core/store_private.h"
#include "../bench/generate.h"
#include "testutil.h"
#include "xinfang/search.h"
#include "xinfang/store.h"

static struct fixture fx;
static char *pg_locator;
static struct xf_store *pg;
static struct xf_session pg_clerk, pg_head, pg_handler;
static int64_t long_case, secret_case, edited_case;
static double cut_ms; /* the first open's cutting of every copied case */

/* Milliseconds of the monotonic clock. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Runs SQL on the cluster's own database. */
static void on_server(const char *sql)
{
	struct xf_db *db;
	struct xf_err err;
	assert_int_equal(xf_db_open(getenv("XINFANG_TEST_PG"), NULL, &db, &err), XF_OK);
	if (xf_db_exec(db, sql, &err, "test") != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	xf_db_close(db);
}

/* Updates a row on SQLite through the store, in a transaction of its own. */
static void lite_update(const char *table, int64_t id, const struct xf_fields *f)
{
	struct xf_err err;
	assert_int_equal(store_begin(fx.st, &err), XF_OK);
	if (store_update(fx.st, table, id, f, 0, &err) != XF_OK)
		fail_msg("%s %lld: %s", table, (long long)id, err.msg);
	assert_int_equal(store_commit(fx.st, &err), XF_OK);
}

/* The cases: words of one, two and more characters, 𠮷, Latin, numbers, filters, a confidential
 * case whose texts name its petitioner, a text past 16,383 positions, and enough of one word
 * (300) that a handler's search reads it in more than one batch and pages go on. */
static void register_cases(void)
{
	secret_case = fixture_case(&fx, "confidential=是", "name=钱秘密", "phone=13811112222",
	                           "id_number=11010519491231002X", "address=保密街1号", "summary=投诉贷款搭售保险", NULL);
	fixture_case(&fx, "name=孙公开", "phone=13933334444", "summary=信用卡年费ATM取款", NULL);
	int64_t told = fixture_case(&fx, "confidential=是", "name=褚自述", "phone=13599990000", "address=自述巷7号",
	                            "summary=本人褚自述，电话135-9999-0000，住自述巷7号，投诉理财误导", NULL);
	fixture_case(&fx, "name=𠮷野", "summary=𠮷野家门口的网点排队，PoS机故障", "importance=重要", NULL);
	edited_case = fixture_case(&fx, "name=吴可见", "summary=原来的诉求是柜台慢", NULL);
	long_case = fixture_case(&fx, "name=王长文", "summary=很长的事项", NULL);
	fixture_move(&fx.head, told, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx.head, secret_case, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx.head, edited_case, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	static const char *const names[] = {"王芳", "李强", "张丽", "刘伟", "陈秀英"};
	static const char *const texts[] = {"贷款利率过高", "信用卡被盗刷", "理财产品亏损", "柜员态度差，贷款审批慢",
	                                    "银行卡冻结"};
	for (int i = 0; i < 300; i++) {
		char name[64], summary[160], phone[16];
		snprintf(name, sizeof name, "name=%s", names[i % 5]);
		snprintf(summary, sizeof summary, "summary=第%d件：%s", i, texts[i % 5]);
		snprintf(phone, sizeof phone, "1370000%04d", i);
		char phone_kv[32];
		snprintf(phone_kv, sizeof phone_kv, "phone=%s", phone);
		int64_t id = fixture_case(&fx, name, summary, phone_kv, i % 7 == 0 ? "channel=来电" : NULL, NULL);
		if (i % 3 == 0)
			fixture_move(&fx.head, id, XF_MV_TRANSFER, i % 2 ? "dept=个人金融部" : "dept=公司金融部", NULL);
	}
	/* Past tsvector's 16,383 positions: 7,990 characters of the subject are 7,990 positions,
	 * the summary and the spot answer (after it in the texts) as many again, then the word
	 * sought. */
	struct xf_buf t;
	buf_init(&t);
	for (int i = 0; i < 7990; i++)
		buf_puts(&t, "甲");
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "summary", t.data);
	fields_set(&f, "subject", t.data);
	buf_puts(&t, "，麒麟");
	fields_set(&f, "spot_answer", t.data);
	lite_update("cases", long_case, &f);
	fields_free(&f);
	buf_free(&t);
}

/* Copies every table of the SQLite store that the searches read into the PostgreSQL store,
 * row for row, by a connection of its own in one transaction (the index is not written by it:
 * the server's triggers note the cases). */
static void copy_to_pg(void)
{
	sqlite3 *lite;
	assert_int_equal(sqlite3_open_v2(fx.db, &lite, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	struct xf_db *to;
	struct xf_err err;
	assert_int_equal(xf_db_open(pg_locator, NULL, &to, &err), XF_OK);
	assert_int_equal(xf_db_begin_write(to, &err), XF_OK);
	sqlite3_stmt *tables;
	assert_int_equal(sqlite3_prepare_v2(lite,
	                                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
	                                    "AND name NOT LIKE 'search%' AND name NOT IN ('audit', 'audit_anchor') "
	                                    "AND sql NOT LIKE '%VIRTUAL%' ORDER BY rowid",
	                                    -1, &tables, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(tables, 0);
		char *sel = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
		sqlite3_stmt *rows;
		if (sqlite3_prepare_v2(lite, sel, -1, &rows, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sel, sqlite3_errmsg(lite));
		sqlite3_free(sel);
		int ncol = sqlite3_column_count(rows);
		struct xf_buf ins;
		buf_init(&ins);
		buf_printf(&ins, "INSERT INTO %s (", table);
		for (int c = 0; c < ncol; c++)
			buf_printf(&ins, "%s%s", c ? ", " : "", sqlite3_column_name(rows, c));
		buf_puts(&ins, ") VALUES (");
		for (int c = 0; c < ncol; c++)
			buf_printf(&ins, "%s?%d", c ? ", " : "", c + 1);
		buf_puts(&ins, ") ON CONFLICT DO NOTHING");
		struct xf_db_stmt *put;
		if (xf_db_prepare(to, ins.data, &put, &err) != XF_OK)
			fail_msg("%s: %s", ins.data, err.msg);
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (int c = 0; c < ncol; c++) {
				if (sqlite3_column_type(rows, c) == SQLITE_NULL)
					xf_db_bind_null(put, c + 1);
				else
					xf_db_bind_text(put, c + 1, (const char *)sqlite3_column_text(rows, c), -1);
			}
			if (xf_db_step(put) != XF_DB_DONE) {
				xf_db_fail(to, &err, "复制");
				fail_msg("%s: %s", table, err.msg);
			}
			xf_db_reset(put);
		}
		xf_db_finalize(put);
		sqlite3_finalize(rows);
		buf_free(&ins);
	}
	sqlite3_finalize(tables);
	sqlite3_close(lite);
	assert_int_equal(xf_db_commit(to, &err), XF_OK);
	xf_db_close(to);
}

/* One search's answer: the case numbers of the page in order, whether more follow, the count
 * to 1,000, and the snippets and names shown (the mask's work). */
static char *answer(struct xf_session *s, const struct xf_search *q)
{
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	int rc = search_cases(s, q, &rows, &more, &err);
	if (rc != XF_OK) {
		buf_printf(&b, "refused %d: %s", rc, err.msg);
		return b.data;
	}
	for (size_t i = 0; i < rows.n; i++)
		buf_printf(&b, "%s %s %s|", fields_str(&rows.v[i], "number"), fields_str(&rows.v[i], "name"),
		           fields_str(&rows.v[i], "snippet"));
	long total;
	if (search_count(s, q, XF_SEARCH_COUNT_CAP, &total, &err) != XF_OK)
		fail_msg("count %s: %s", q->words ? q->words : "", err.msg);
	buf_printf(&b, " more=%d count=%ld", more, total);
	rows_free(&rows);
	return b.data;
}

/* The same answer on both stores, found or not as the test expects (want_found: -1 either). */
static void same(struct xf_session *lite, struct xf_session *pgs, const struct xf_search *q, int want_found)
{
	char *a = answer(lite, q), *b = answer(pgs, q);
	if (strcmp(a, b) != 0)
		fail_msg("search [%s] page %d as %s:\n  SQLite     %s\n  PostgreSQL %s", q->words ? q->words : "", q->page,
		         lite->op.name, a, b);
	if (want_found >= 0 && (strstr(a, "|") != NULL) != (want_found == 1))
		fail_msg("search [%s] as %s: %s", q->words ? q->words : "", lite->op.name, a);
	free(a);
	free(b);
}

/* Every query for every role, a few pages of each, with and without filters. */
static void test_same_answers(void **state)
{
	(void)state;
	static const char *const words[] = {
	    "贷款", "款", "王", "𠮷", "𠮷野家", "信用卡", "信用卡年费", "ATM", "atm", "pos", "13811112222", "2222",
	    "002X", "钱秘密", "理财", "褚自", "自述巷", "0000", "麒麟", "甲麒麟", "第12件", "贷款 王芳", "1370000",
	    "0042", "3", "2026-0003", "2026年第0002号 贷款", "2026-0001 信用卡", "zzqqx", "，。", "",
	};
	struct {
		const char *state, *department, *category, *channel, *importance, *since, *until;
	} filters[] = {
	    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	    {"已转办", NULL, NULL, NULL, NULL, NULL, NULL},
	    {NULL, "个人金融部", NULL, NULL, NULL, NULL, NULL},
	    {NULL, NULL, NULL, "来电", NULL, NULL, NULL},
	    {NULL, NULL, "服务态度", NULL, "重要", NULL, NULL},
	    {"待批", NULL, NULL, NULL, NULL, "2026-01-01", "2026-03-02"},
	    {NULL, NULL, NULL, NULL, NULL, "2026-03-03", NULL},
	};
	struct xf_session *lite[] = {&fx.clerk, &fx.head, &fx.handler};
	struct xf_session *pgs[] = {&pg_clerk, &pg_head, &pg_handler};
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
		for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++)
			for (size_t r = 0; r < 3; r++)
				for (int page = 1; page <= (f == 0 ? 3 : 1); page++) {
					struct xf_search q = {.words = words[w],
					                      .state = filters[f].state,
					                      .department = filters[f].department,
					                      .category = filters[f].category,
					                      .channel = filters[f].channel,
					                      .importance = filters[f].importance,
					                      .since = filters[f].since,
					                      .until = filters[f].until,
					                      .page = page,
					                      .per_page = f == 0 ? 20 : 50};
					if (r == 2 && filters[f].department == NULL && f == 2)
						continue;
					same(lite[r], pgs[r], &q, -1);
				}
	/* The answers meant something: found on both, hidden from the handler on both. */
	struct xf_search q = {.words = "麒麟"};
	same(&fx.clerk, &pg_clerk, &q, 1);
	q.words = "钱秘密";
	same(&fx.clerk, &pg_clerk, &q, 1);
	same(&fx.handler, &pg_handler, &q, 0);
	q.words = "理财";
	same(&fx.handler, &pg_handler, &q, 1);
	q.words = "𠮷";
	same(&fx.head, &pg_head, &q, 1);
	q.words = "贷款";
	q.per_page = 100;
	same(&fx.handler, &pg_handler, &q, 1);
}

/* The long case's word sits past position 16,383 of its row on PostgreSQL too. */
static void test_past_tsvector_limit(void **state)
{
	(void)state;
	struct xf_db_stmt *st;
	struct xf_err err;
	assert_int_equal(xf_db_prepare(store_db(pg),
	                               "SELECT max(t.pos) FROM search_tokens t JOIN search_rows r ON r.row = t.row "
	                               "WHERE r.case_id = ?1 AND t.token = '麒麟'",
	                               &st, &err),
	                 XF_OK);
	xf_db_bind_int64(st, 1, long_case);
	assert_int_equal(xf_db_step(st), XF_DB_ROW);
	assert_true(xf_db_column_int64(st, 0) > 16383);
	xf_db_finalize(st);
}

/* Runs a write on the PostgreSQL store in its own transaction, through store_commit. */
static void pg_write(const char *sql)
{
	struct xf_err err;
	assert_int_equal(store_begin(pg, &err), XF_OK);
	if (xf_db_exec(store_db(pg), sql, &err, "test") != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	if (store_commit(pg, &err) != XF_OK)
		fail_msg("commit: %s", err.msg);
}

/* Updates a case on SQLite through the store, as the desk's edit does. */
static void lite_edit(int64_t id, const char *key, const char *value)
{
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, key, value);
	lite_update("cases", id, &f);
	fields_free(&f);
}

/* How many tokens have no index row (none: every delete of a row took its tokens, pg/025). */
static long orphan_tokens(void)
{
	struct xf_db_stmt *st;
	struct xf_err err;
	assert_int_equal(xf_db_prepare(store_db(pg),
	                               "SELECT count(*) FROM search_tokens t WHERE NOT EXISTS "
	                               "(SELECT 1 FROM search s WHERE s.rowid = t.row)",
	                               &st, &err),
	                 XF_OK);
	assert_int_equal(xf_db_step(st), XF_DB_ROW);
	long n = (long)xf_db_column_int64(st, 0);
	xf_db_finalize(st);
	return n;
}

/* A search's page on both, expected found (1) or not (0), and the same. */
static void finds(const char *words, const char *state_name, int want)
{
	struct xf_search q = {.words = words, .state = state_name};
	same(&fx.clerk, &pg_clerk, &q, want);
	same(&fx.handler, &pg_handler, &q, -1);
}

/* An edit moves its case in and out of the results in the writing transaction: a new word
 * found and the old one not, a new receipt date ordering it elsewhere, a new state found by
 * the filter; a record added to it found; and a write by another connection indexed at the
 * next commit. */
static void test_edits_move_cases(void **state)
{
	(void)state;
	finds("柜台慢", NULL, 1);
	finds("诉求改了", NULL, 0);
	lite_edit(edited_case, "summary", "诉求改了：网点关门");
	char *sql = xasprintf("UPDATE cases SET summary = '诉求改了：网点关门' WHERE id = %lld", (long long)edited_case);
	pg_write(sql);
	free(sql);
	finds("柜台慢", NULL, 0);
	finds("诉求改了", NULL, 1);
	finds("网点", NULL, 1);

	lite_edit(edited_case, "received", "2026-01-02");
	sql = xasprintf("UPDATE cases SET received = '2026-01-02' WHERE id = %lld", (long long)edited_case);
	pg_write(sql);
	free(sql);
	finds("网点", NULL, 1);
	struct xf_search q = {.words = "网点", .until = "2026-01-03"};
	same(&fx.clerk, &pg_clerk, &q, 1);

	finds("诉求改了", "已报结", 0);
	lite_edit(edited_case, "state", "reported");
	sql = xasprintf("UPDATE cases SET state = 'reported' WHERE id = %lld", (long long)edited_case);
	pg_write(sql);
	free(sql);
	finds("诉求改了", "已报结", 1);
	finds("诉求改了", "已转办", 0);

	/* A petitioner's record changed (the name searched). */
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "name", "周新名");
	struct xf_rows pet;
	struct xf_err err;
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)edited_case);
	assert_int_equal(store_list(fx.st, "petitioners", "case_id", cid, &pet, &err), XF_OK);
	assert_true(pet.n >= 1);
	int64_t pid = strtoll(fields_str(&pet.v[0], "id"), NULL, 10);
	rows_free(&pet);
	finds("周新名", NULL, 0);
	lite_update("petitioners", pid, &f);
	fields_free(&f);
	sql = xasprintf("UPDATE petitioners SET name = '周新名' WHERE id = %lld", (long long)pid);
	/* by another connection of the desk's role: noted by the server, cut at the next commit */
	struct xf_db *other;
	assert_int_equal(xf_db_open(pg_locator, NULL, &other, &err), XF_OK);
	assert_int_equal(xf_db_exec(other, sql, &err, "test"), XF_OK);
	xf_db_close(other);
	free(sql);
	pg_write("SELECT 1");
	finds("周新名", NULL, 1);
	finds("吴可见", NULL, 0);
	/* the edits above deleted index rows (the receipt date moved one): their tokens went too */
	assert_int_equal(orphan_tokens(), 0);
}

/* `xinfang --db URI search` prints what it prints on the SQLite file, for each role. */
static void test_cli(void **state)
{
	(void)state;
	static const char *const users[] = {"clerk", "head", "handler"};
	static const char *const words[][3] = {{"贷款", NULL, NULL}, {"麒麟", NULL, NULL}, {"理财", "state=已转办", NULL},
	                                       {"卡", "page=2", NULL},   {"钱秘密", NULL, NULL}};
	const char *env[] = {"XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-02", NULL};
	for (size_t u = 0; u < 3; u++)
		for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
			struct run_result a, b;
			const char *on_file[] = {"--db", fx.db, "--user", users[u], "search", words[w][0], words[w][1], NULL};
			const char *on_pg[] = {"--db", pg_locator, "--user", users[u], "search", words[w][0], words[w][1], NULL};
			run_xinfang(&a, env, on_file);
			run_xinfang(&b, env, on_pg);
			if (a.status != 0 || b.status != 0 || strcmp(a.out, b.out) != 0 || strcmp(a.err, b.err) != 0 ||
			    a.out[0] + a.err[0] == 0 ||
			    (u == 0 && w == 1 && strstr(a.out, "【麒麟】") == NULL))
				fail_msg("search %s as %s: SQLite %d\n%s%s\nPostgreSQL %d\n%s%s", words[w][0], users[u], a.status, a.out,
				         a.err, b.status, b.out, b.err);
		}
}

/* A search's first page as s, for the figures. */
static void page_as(struct xf_session *s, const char *words, bool count)
{
	struct xf_search q = {.words = words};
	struct xf_rows rows;
	bool more;
	long total;
	struct xf_err err;
	if (count ? search_count(s, &q, XF_SEARCH_COUNT_CAP, &total, &err) != XF_OK
	          : search_cases(s, &q, &rows, &more, &err) != XF_OK)
		fail_msg("search %s: %s", words, err.msg);
	if (!count)
		rows_free(&rows);
}

/* The median of n timings. */
static double median(double *v, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (v[j] < v[i]) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	return v[n / 2];
}

/* The figures (printed, not judged): searches of the benchmark's words and an edit's commit,
 * with its re-indexing, on each store (XINFANG_BENCH_CASES generated cases more, for a store of
 * that size). */
static void test_figures(void **state)
{
	(void)state;
	static const struct {
		const char *label, *words;
		int who; /* 0 clerk, 1 handler */
		bool count;
	} rows[] = {
	    {"page, 2 characters (盗刷)", "盗刷", 0, false},  {"page, 1 character (卡)", "卡", 0, false},
	    {"page, part of a name (建华)", "建华", 0, false}, {"count to 1,000 (卡)", "卡", 0, true},
	    {"handler's page (盗刷)", "盗刷", 1, false},      {"handler's count (盗刷)", "盗刷", 1, true},
	};
	printf("search-store-pg: first open cut the copied cases in %.0f ms\n", cut_ms);
	/* as the server's autovacuum leaves tables that grew: vacuumed, their statistics taken */
	struct xf_err err;
	if (xf_db_exec(store_db(pg), "VACUUM ANALYZE", &err, "统计") != XF_OK)
		fail_msg("vacuum: %s", err.msg);
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		double l[5], p[5];
		for (int k = 0; k < 5; k++) {
			double t0 = now_ms();
			page_as(rows[r].who ? &fx.handler : &fx.clerk, rows[r].words, rows[r].count);
			double t1 = now_ms();
			page_as(rows[r].who ? &pg_handler : &pg_clerk, rows[r].words, rows[r].count);
			l[k] = t1 - t0;
			p[k] = now_ms() - t1;
		}
		printf("search-store-pg: %-32s SQLite %8.2f ms   PostgreSQL %8.2f ms\n", rows[r].label, median(l, 5),
		       median(p, 5));
	}
	double l[5], p[5];
	for (int k = 0; k < 5; k++) {
		char text[64];
		snprintf(text, sizeof text, "改动第%d次：网点排队", k);
		double t0 = now_ms();
		lite_edit(edited_case, "summary", text);
		double t1 = now_ms();
		char *sql = xasprintf("UPDATE cases SET summary = '%s' WHERE id = %lld", text, (long long)edited_case);
		pg_write(sql);
		free(sql);
		l[k] = t1 - t0;
		p[k] = now_ms() - t1;
	}
	printf("search-store-pg: %-32s SQLite %8.2f ms   PostgreSQL %8.2f ms\n", "an edit's commit, re-indexed",
	       median(l, 5), median(p, 5));
	finds("改动第4次", NULL, 1);
}

/* The SQLite store registered and copied, the PostgreSQL store opened (cutting what the copy
 * left to cut), and the sessions on it. */
static int setup(void **state)
{
	(void)state;
	const char *dir = getenv("XINFANG_TEST_PG_DIR");
	if (getenv("XINFANG_TEST_PG") == NULL || dir == NULL) {
		fprintf(stderr, "test_search_store_pg: run it through tests/pg/with_cluster.sh (XINFANG_TEST_PG)\n");
		return -1;
	}
	fixture_open(&fx, "2026-03-02");
	register_cases();
	const char *more = getenv("XINFANG_BENCH_CASES");
	struct gen g = {.s = &fx.admin, .seed = 20261120u};
	struct xf_err gerr;
	if (more && atol(more) > 0 && gen_cases(&g, atol(more), &gerr) != XF_OK)
		return fprintf(stderr, "generate: %s\n", gerr.msg), -1;
	char name[64];
	snprintf(name, sizeof name, "xf_desk_search_%d", (int)getpid());
	char *sql = xasprintf("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'", name);
	on_server(sql);
	free(sql);
	pg_locator = xasprintf("postgresql:///%s?host=%s&user=postgres", name, dir);
	struct xf_err err;
	if (store_open(pg_locator, &pg, &err) != XF_OK || store_migrate(pg, 0, &err) != XF_OK)
		return fprintf(stderr, "%s\n", err.msg), -1;
	store_close(pg);
	pg = NULL;
	copy_to_pg();
	double t0 = now_ms();
	if (store_open(pg_locator, &pg, &err) != XF_OK)
		return fprintf(stderr, "%s\n", err.msg), -1;
	cut_ms = now_ms() - t0;
	pg_clerk = fx.clerk;
	pg_head = fx.head;
	pg_handler = fx.handler;
	pg_clerk.st = pg_head.st = pg_handler.st = pg;
	return 0;
}

/* Closes both (the cluster goes with its database). */
static int teardown(void **state)
{
	(void)state;
	store_close(pg);
	fixture_close(&fx);
	free(pg_locator);
	return 0;
}

/* The comparison, the long text, then the edits. */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_answers),
	    cmocka_unit_test(test_past_tsvector_limit),
	    cmocka_unit_test(test_edits_move_cases),
	    cmocka_unit_test(test_cli),
	    cmocka_unit_test(test_figures),
	};
	return cmocka_run_group_tests_name("search-store-pg", tests, setup, teardown);
}

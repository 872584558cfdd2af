/* Search on PostgreSQL (the token table, src/core/store_search_pg.c) against SQLite's FTS5 with
 * the program's tokenizer, on the same generated documents: the same rowids in the same order,
 * the same pages, batches below a row and counts to 1,000, for every kind of query search.c
 * writes; then the time of a put of 10^4 documents and of queries on both. Runs beside the
 * throwaway cluster of tests/pg/with_cluster.sh (XINFANG_TEST_PG), in a database of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/store_db.h"
#include "core/store_private.h"
#include "core/store_search_pg.h"
#include "testutil.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

#define FACET "\xEE\x80\x80"

static struct xf_db *pg;
static sqlite3 *lite;
static struct search_pg_doc *docs;
static size_t ndocs;
static int64_t huge_row; /* the document past tsvector's 16,383 positions */

/* Milliseconds of the monotonic clock. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The generator's numbers: the same documents on every run. */
static uint64_t seed = 88172645463325252u;
static unsigned pick(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

/* Appends n random digits. */
static void digits(struct xf_buf *b, int n)
{
	for (int i = 0; i < n; i++)
		buf_printf(b, "%c", '0' + (i == 0 ? 1 + pick(9) : pick(10)));
}

static const char *const words[] = {
    "银行",   "贷款",   "信用卡", "理财", "利息", "投诉",   "客户",   "经理",    "柜台",   "账户", "转账",
    "手续费", "王",     "李",     "张",   "钱",   "款",     "卡",     "𠮷",      "𠮷野家", "存",   "取",
    "网点",   "营业厅", "保险",   "基金", "催收", "扣款",   "冻结",   "挂失",    "态度",   "用卡", "信用",
    "ATM",    "PoS",    "WeChat", "App",  "VIP",  "iPhone", "ＡＴＭ", "ATM-POS",
};
static const char *const seps[] = {"", "", "", "，", "。", " ", "、", "\n", "：", "“", "”"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "𠮷"};
static const char *const given[] = {"小明", "芳", "建国", "丽", "伟", "秀英", "强"};
static const char *const states[] = {"queued", "transferred", "reported", "replied", "closed"};
static const char *const depts[] = {"个人金融部", "信用卡中心", "公司业务部", "运营管理部"};
static const char *const cats[] = {"服务态度", "收费", "贷款", "信用卡", "理财"};
static const char *const chans[] = {"来访", "来电", "来信", "网络"};
static const char *const imps[] = {"一般", "一般", "重要"};
#define PICK(a) a[pick(sizeof a / sizeof a[0])]

/* One generated document: Chinese words of one and two characters run together or apart,
 * 𠮷, Latin in mixed case, amounts, dates, an ID and a telephone number, and its filters. */
static void make_doc(struct search_pg_doc *d, int64_t row)
{
	struct xf_buf t, p, n, f;
	buf_init(&t);
	buf_puts(&t, "");
	int parts = 6 + (int)pick(20);
	for (int i = 0; i < parts; i++) {
		buf_puts(&t, PICK(words));
		if (pick(6) == 0)
			digits(&t, 2 + (int)pick(5));
		if (pick(15) == 0)
			buf_printf(&t, "2026-%02u-%02u", 1 + pick(12), 1 + pick(28));
		buf_puts(&t, PICK(seps));
	}
	buf_init(&n);
	digits(&n, 17);
	buf_puts(&n, pick(5) == 0 ? "X " : " ");
	buf_puts(&n, "1");
	digits(&n, 10);
	buf_init(&p);
	buf_printf(&p, "%s%s\n北京市朝阳区%u号\n%s", PICK(surnames), PICK(given), 1 + pick(300), PICK(depts));
	buf_init(&f);
	buf_printf(&f, FACET "s:%s\n" FACET "d:%s\n" FACET "c:%s\n" FACET "h:%s\n" FACET "i:%s", PICK(states),
	           PICK(depts), PICK(cats), PICK(chans), PICK(imps));
	*d = (struct search_pg_doc){row, t.data, p.data, n.data, f.data};
}

/* Frees a generated document's texts. */
static void free_doc(struct search_pg_doc *d)
{
	free((char *)d->texts);
	free((char *)d->people);
	free((char *)d->numbers);
	free((char *)d->facets);
}

/* A rowid as search_source makes it: the receipt day in the high bits, the case id below. */
static int64_t rowid_of(int64_t day, int64_t id)
{
	return (day << 32) | id;
}

/* Runs SQL on SQLite that must succeed. */
static void lite_exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(lite, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("sqlite: %s", msg);
}

/* Puts documents into FTS5 as the store does (one transaction). */
static void lite_put(const struct search_pg_doc *d, size_t n)
{
	lite_exec("BEGIN");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(lite,
	                                    "INSERT INTO search (rowid, texts, people, numbers, facets) "
	                                    "VALUES (?1, ?2, ?3, ?4, ?5)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, d[i].row);
		sqlite3_bind_text(st, 2, d[i].texts, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, d[i].people, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, d[i].numbers, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, d[i].facets, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	lite_exec("COMMIT");
}

/* Puts documents on PostgreSQL (one write transaction). */
static void pg_put(const struct search_pg_doc *d, size_t n)
{
	struct xf_err err;
	if (xf_db_begin_write(pg, &err) != XF_OK || search_pg_put(pg, d, n, &err) != XF_OK ||
	    xf_db_commit(pg, &err) != XF_OK)
		fail_msg("put: %s", err.msg);
}

/* Puts documents on both, printing how long each took. */
static void put_both(const struct search_pg_doc *d, size_t n, const char *what)
{
	double t0 = now_ms();
	lite_put(d, n);
	double t1 = now_ms();
	pg_put(d, n);
	double t2 = now_ms();
	printf("search-pg: put %zu %-30s FTS5 %8.0f ms   PostgreSQL %8.0f ms\n", n, what, t1 - t0, t2 - t1);
}

/* A list of rowids. */
struct rows {
	int64_t *v;
	size_t n;
};

/* FTS5's rows for a match, newest first, below before (0: none), from offset, at most limit. */
static struct rows lite_rows(const char *match, int64_t before, long limit, long offset)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(lite,
	                                    "SELECT rowid FROM search WHERE search MATCH ?1 AND rowid < ?2 "
	                                    "ORDER BY rowid DESC LIMIT ?3 OFFSET ?4",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, before ? before : INT64_MAX);
	sqlite3_bind_int64(st, 3, limit);
	sqlite3_bind_int64(st, 4, offset);
	struct rows r = {NULL, 0};
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		r.v = xrealloc(r.v, (r.n + 1) * sizeof *r.v);
		r.v[r.n++] = sqlite3_column_int64(st, 0);
	}
	if (step != SQLITE_DONE)
		fail_msg("fts5 %s: %s", match, sqlite3_errmsg(lite));
	sqlite3_finalize(st);
	return r;
}

/* FTS5's count of a match, stopping at cap. */
static long lite_count(const char *match, long cap)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(lite,
	                                    "SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ?1 "
	                                    "ORDER BY rowid DESC LIMIT ?2)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cap);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Whether FTS5 finds one row by the match. */
static bool lite_row_matches(const char *match, int64_t row)
{
	sqlite3_stmt *st;
	assert_int_equal(
	    sqlite3_prepare_v2(lite, "SELECT 1 FROM search WHERE rowid = ?1 AND search MATCH ?2", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, row);
	sqlite3_bind_text(st, 2, match, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* PostgreSQL's rows for a match. */
static struct rows pg_rows(const char *match, int64_t before, long limit, long offset)
{
	struct rows r;
	struct xf_err err;
	if (search_pg_rows(pg, match, before, limit, offset, &r.v, &r.n, &err) != XF_OK)
		fail_msg("pg %s: %s", match, err.msg);
	return r;
}

/* Fails unless both lists hold the same rowids in the same order. */
static void same_rows(const char *what, const char *match, struct rows a, struct rows b)
{
	size_t i = 0;
	while (i < a.n && i < b.n && a.v[i] == b.v[i])
		i++;
	if (i < a.n || i < b.n)
		fail_msg("%s of %s: FTS5 %zu rows, PostgreSQL %zu; first difference at %zu (%lld against %lld)", what,
		         match, a.n, b.n, i, i < a.n ? (long long)a.v[i] : -1LL, i < b.n ? (long long)b.v[i] : -1LL);
	free(a.v);
	free(b.v);
}

/* The phrase search.c writes for a typed word, its quotes doubled, behind a column if given. */
static char *phrase(const char *column, const char *word)
{
	struct xf_buf b;
	buf_init(&b);
	if (column)
		buf_printf(&b, "%s : ", column);
	buf_puts(&b, "\"");
	for (const char *p = word; *p; p++)
		buf_add(&b, p[0] == '"' ? "\"\"" : p, p[0] == '"' ? 2 : 1);
	buf_puts(&b, "\"");
	return b.data;
}

/* Words joined by AND, as search.c joins them (a word `col=word` behind that column). */
static char *expr(const char *first, ...)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	va_list ap;
	va_start(ap, first);
	for (const char *w = first; w; w = va_arg(ap, const char *)) {
		const char *eq = strstr(w, "=");
		char *col = eq ? xstrndup(w, (size_t)(eq - w)) : NULL;
		char *p = phrase(col, eq ? eq + 1 : w);
		buf_printf(&b, "%s%s", b.len ? " AND " : "", p);
		free(p);
		free(col);
	}
	va_end(ap);
	return b.data;
}

/* The queries compared: every kind search.c writes, and tails of numbers the documents hold. */
static char **queries(size_t *n)
{
	static char tail4[16], tail8[16], phone[16], id_tail[12], id[24], in_numbers[32];
	const char *num = docs[17].numbers; /* "ID phone" */
	const char *sp = strchr(num, ' ');
	snprintf(phone, sizeof phone, "%s", sp + 1);
	snprintf(tail4, sizeof tail4, "%s", phone + 7);
	snprintf(tail8, sizeof tail8, "%s", phone + 3);
	snprintf(id, sizeof id, "%.*s", (int)(sp - num), num);
	snprintf(id_tail, sizeof id_tail, "%s", id + strlen(id) - 6);
	snprintf(in_numbers, sizeof in_numbers, "numbers=%s", tail4);
	char *q[] = {
	    /* one character, two, longer words, across words run together */
	    expr("王", NULL),
	    expr("款", NULL),
	    expr("卡", NULL),
	    expr("𠮷", NULL),
	    expr("李", NULL),
	    expr("银行", NULL),
	    expr("贷款", NULL),
	    expr("理财", NULL),
	    expr("利息", NULL),
	    expr("客户", NULL),
	    expr("信用卡", NULL),
	    expr("手续费", NULL),
	    expr("营业厅", NULL),
	    expr("𠮷野家", NULL),
	    expr("银行贷款", NULL),
	    expr("信用卡账户", NULL),
	    expr("王小明", NULL),
	    expr("卡信用", NULL),
	    /* Latin in any case and width, phrases of several tokens */
	    expr("atm", NULL),
	    expr("ATM", NULL),
	    expr("PoS", NULL),
	    expr("WECHAT", NULL),
	    expr("ＡＴＭ", NULL),
	    expr("ATM-POS", NULL),
	    expr("atm pos", NULL),
	    expr("pos-atm", NULL),
	    expr("he\"llo", NULL),
	    expr("2026-03", NULL),
	    /* numbers and their tails */
	    expr(tail4, NULL),
	    expr(tail8, NULL),
	    expr(phone, NULL),
	    expr(id, NULL),
	    expr(id_tail, NULL),
	    expr(in_numbers, NULL),
	    expr("numbers=", NULL),
	    expr("1380", NULL),
	    /* columns */
	    expr("texts=王", NULL),
	    expr("people=王", NULL),
	    expr("people=朝阳区", NULL),
	    expr("texts=朝阳区", NULL),
	    /* several words, with filters */
	    expr("王", "贷款", NULL),
	    expr("银行", "atm", NULL),
	    expr("信用卡", "texts=投诉", "people=李", NULL),
	    expr("银行", "facets=" FACET "s:queued", NULL),
	    expr("facets=" FACET "i:一般", NULL),
	    expr("facets=" FACET "d:个人金融部", "facets=" FACET "c:收费", NULL),
	    expr("款", "facets=" FACET "i:重要", "facets=" FACET "h:来电", NULL),
	    expr("texts=卡", "facets=" FACET "s:closed", NULL),
	    /* nothing found; no token at all; the long document's last word */
	    expr("麒麟不在", NULL),
	    expr("zzqqx", NULL),
	    expr("facets=" FACET "s:nosuch", NULL),
	    expr("，。", NULL),
	    expr("麒麟", NULL),
	    expr("甲", "麒麟", NULL),
	    expr("texts=麒麟", NULL),
	};
	*n = sizeof q / sizeof q[0];
	char **out = xmalloc(sizeof q);
	memcpy(out, q, sizeof q);
	return out;
}

/* Every query: the whole answer, a page, batches below the last row, a count to 1,000 and one
 * row asked alone, the same on both. */
static void test_same_answers(void **state)
{
	(void)state;
	size_t n;
	char **q = queries(&n);
	size_t found = 0, none = 0, capped = 0, huge = 0;
	for (size_t i = 0; i < n; i++) {
		const char *m = q[i];
		struct rows all = lite_rows(m, 0, -1, 0);
		found += all.n > 0;
		none += all.n == 0;
		for (size_t k = 0; k < all.n; k++)
			huge += all.v[k] == huge_row;
		same_rows("all rows", m, lite_rows(m, 0, -1, 0), pg_rows(m, 0, -1, 0));
		same_rows("page 2", m, lite_rows(m, 0, 20, 20), pg_rows(m, 0, 20, 20));
		/* a handler's batches: each below the last row of the one before */
		int64_t below_l = 0, below_p = 0;
		size_t seen = 0;
		for (;;) {
			struct rows a = lite_rows(m, below_l, 256, 0), b = pg_rows(m, below_p, 256, 0);
			size_t got = a.n;
			if (a.n)
				below_l = a.v[a.n - 1];
			if (b.n)
				below_p = b.v[b.n - 1];
			for (size_t k = 0; k < a.n && seen + k < all.n; k++)
				assert_true(a.v[k] == all.v[seen + k]);
			seen += a.n;
			same_rows("batch", m, a, b);
			if (got < 256)
				break;
		}
		assert_int_equal(seen, all.n);
		long lc = lite_count(m, 1000), pc;
		struct xf_err err;
		if (search_pg_count(pg, m, 0, 1000, &pc, &err) != XF_OK)
			fail_msg("count %s: %s", m, err.msg);
		if (lc != pc)
			fail_msg("count of %s: FTS5 %ld, PostgreSQL %ld", m, lc, pc);
		capped += lc == 1000 && all.n > 1000;
		/* one row alone: a found one and one that is not */
		int64_t probe[] = {all.n ? all.v[all.n / 2] : docs[0].row, docs[i % ndocs].row};
		for (size_t k = 0; k < 2; k++) {
			bool matched;
			if (search_pg_row_matches(pg, probe[k], m, &matched, &err) != XF_OK)
				fail_msg("row of %s: %s", m, err.msg);
			if (matched != lite_row_matches(m, probe[k]))
				fail_msg("row %lld of %s: FTS5 %d, PostgreSQL %d", (long long)probe[k], m, !matched,
				         matched);
		}
		free(all.v);
	}
	/* The queries meant something: most find rows, some none, some more than the cap, and the
	 * long document's word past position 16,383 was found (by its three queries, and by the
	 * two of its petitioner's name). */
	assert_true(found >= n * 3 / 4);
	assert_true(none >= 4);
	assert_true(capped >= 2);
	assert_int_equal(huge, 5);
	for (size_t i = 0; i < n; i++)
		free(q[i]);
	free(q);
}

/* A phrase is tokens at consecutive positions, not the same tokens anywhere in the row: the
 * documents hold both, and the answers differ (on both backends alike, test_same_answers). */
static void test_phrase_is_not_a_bag(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
	    {"\"ATM-POS\"", "\"atm\" AND \"pos\""},
	    {"\"王，李\"", "\"王\" AND \"李\""},
	    {"\"pos atm\"", "\"pos\" AND \"atm\""},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		long phrase_l = lite_count(pairs[i][0], 100000), bag_l = lite_count(pairs[i][1], 100000), phrase_p,
		     bag_p;
		struct xf_err err;
		assert_int_equal(search_pg_count(pg, pairs[i][0], 0, 100000, &phrase_p, &err), XF_OK);
		assert_int_equal(search_pg_count(pg, pairs[i][1], 0, 100000, &bag_p, &err), XF_OK);
		assert_true(phrase_l > 0);
		assert_true(bag_l > phrase_l);
		assert_int_equal(phrase_p, phrase_l);
		assert_int_equal(bag_p, bag_l);
	}
}

/* A word past tsvector's 16,383 positions: at position 20,000 of its row, found, and its
 * neighbour before it makes no phrase with it. */
static void test_past_tsvector_limit(void **state)
{
	(void)state;
	struct rows r = pg_rows("\"麒麟\"", 0, -1, 0);
	assert_int_equal(r.n, 1);
	assert_true(r.v[0] == huge_row);
	free(r.v);
	struct xf_db_stmt *st;
	struct xf_err err;
	assert_int_equal(xf_db_prepare(pg, "SELECT pos FROM search_tokens WHERE row = ?1 AND token = ?2", &st, &err),
	                 XF_OK);
	xf_db_bind_int64(st, 1, huge_row);
	xf_db_bind_text(st, 2, "麒麟", -1);
	assert_int_equal(xf_db_step(st), XF_DB_ROW);
	assert_int_equal(xf_db_column_int64(st, 0), 20000);
	xf_db_finalize(st);
	long n;
	assert_int_equal(search_pg_count(pg, "\"甲麒麟\"", 0, 1000, &n, &err), XF_OK);
	assert_int_equal(n, lite_count("\"甲麒麟\"", 1000));
}

/* What FTS5 would read otherwise than search.c means is refused, never answered otherwise. */
static void test_outside_the_subset(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "\"a\" OR \"b\"",
	    "NOT \"a\"",
	    "\"a\" NOT \"b\"",
	    "NEAR(\"a\" \"b\")",
	    "\"a\"*",
	    "^\"a\"",
	    "foo : \"a\"",
	    "\"a\" \"b\"",
	    "a",
	    "\"unterminated",
	    "{texts people} : \"a\"",
	    "texts : a",
	    "\"a\" AND",
	    "\"a\" and \"b\"",
	    "TEXTS : \"a\"",
	    "",
	    "   ",
	    "\"a\" AND AND \"b\"",
	    "- texts : \"a\"",
	    "texts : \"a\" + \"b\"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t *rows = NULL;
		size_t n = 0;
		long count = -1;
		struct xf_err err;
		xf_err_clear(&err);
		assert_int_equal(search_pg_rows(pg, bad[i], 0, 20, 0, &rows, &n, &err), XF_EINVAL);
		assert_non_null(strstr(err.msg, "检索式"));
		assert_null(rows);
		assert_int_equal(search_pg_count(pg, bad[i], 0, 1000, &count, &err), XF_EINVAL);
	}
}

/* Deleting a row drops its tokens; putting it again replaces it, not doubles it. */
static void test_delete_and_replace(void **state)
{
	(void)state;
	struct search_pg_doc d = {rowid_of(2400000, 7), "独一无二的词", "", "", FACET "s:queued"};
	struct xf_err err;
	/* outside a transaction: one of its own */
	assert_false(xf_db_in_transaction(pg));
	assert_int_equal(search_pg_put(pg, &d, 1, &err), XF_OK);
	assert_false(xf_db_in_transaction(pg));
	long n;
	assert_int_equal(search_pg_count(pg, "\"独一无二\"", 0, 1000, &n, &err), XF_OK);
	assert_int_equal(n, 1);
	d.texts = "另一个词";
	pg_put(&d, 1);
	assert_int_equal(search_pg_count(pg, "\"独一无二\"", 0, 1000, &n, &err), XF_OK);
	assert_int_equal(n, 0);
	assert_int_equal(search_pg_count(pg, "\"另一个\"", 0, 1000, &n, &err), XF_OK);
	assert_int_equal(n, 1);
	assert_int_equal(xf_db_begin_write(pg, &err), XF_OK);
	assert_int_equal(search_pg_delete(pg, &d.row, 1, &err), XF_OK);
	assert_int_equal(xf_db_commit(pg, &err), XF_OK);
	struct xf_db_stmt *st;
	assert_int_equal(xf_db_prepare(pg, "SELECT count(*) FROM search_tokens WHERE row = ?1", &st, &err), XF_OK);
	xf_db_bind_int64(st, 1, d.row);
	assert_int_equal(xf_db_step(st), XF_DB_ROW);
	assert_int_equal(xf_db_column_int64(st, 0), 0);
	xf_db_finalize(st);
}

/* The median of five timings of a query on each backend, in milliseconds. */
static void time_query(const char *label, const char *match, long limit)
{
	double l[5], p[5];
	for (int k = 0; k < 5; k++) {
		double t0 = now_ms();
		struct rows a = lite_rows(match, 0, limit, 0);
		double t1 = now_ms();
		struct rows b = pg_rows(match, 0, limit, 0);
		double t2 = now_ms();
		l[k] = t1 - t0;
		p[k] = t2 - t1;
		same_rows("timed", match, a, b);
	}
	for (int i = 0; i < 5; i++)
		for (int j = i + 1; j < 5; j++) {
			if (l[j] < l[i]) {
				double t = l[i];
				l[i] = l[j];
				l[j] = t;
			}
			if (p[j] < p[i]) {
				double t = p[i];
				p[i] = p[j];
				p[j] = t;
			}
		}
	printf("search-pg: %-36s FTS5 %8.2f ms   PostgreSQL %8.2f ms\n", label, l[2], p[2]);
}

/* The figures: 10^4 documents (XINFANG_BENCH_DOCS others) put on each, then queries over all
 * of them (printed, not judged). */
static void test_bench(void **state)
{
	(void)state;
	const char *want = getenv("XINFANG_BENCH_DOCS");
	int N = want && atoi(want) > 0 ? atoi(want) : 10000;
	struct search_pg_doc *more = xcalloc((size_t)N, sizeof *more);
	for (int i = 0; i < N; i++)
		make_doc(&more[i], rowid_of(2461100 + (int64_t)pick(400), 100000 + (int64_t)i));
	put_both(more, (size_t)N, "documents more");
	/* as the server's autovacuum leaves a table that grew: its statistics taken */
	struct xf_err err;
	if (xf_db_exec(pg, "ANALYZE search_tokens", &err, "统计") != XF_OK)
		fail_msg("analyze: %s", err.msg);
	time_query("2 characters, page of 21", "\"银行\"", 21);
	time_query("1 character, page of 21", "\"王\"", 21);
	time_query("phrase, page of 21", "\"信用卡账户\"", 21);
	time_query("2 words and a filter, 21", "\"银行\" AND \"atm\" AND facets : \"" FACET "s:queued\"", 21);
	time_query("phone tail, all", "\"5678\"", -1);
	time_query("1 character, 1,000 rows", "\"款\"", 1000);
	for (int i = 0; i < N; i++)
		free_doc(&more[i]);
	free(more);
}

/* Runs data/schema/pg's migrations in order on the test's database. */
static void pg_migrate(void)
{
	char pattern[1024];
	snprintf(pattern, sizeof pattern, "%s/schema/pg/[0-9][0-9][0-9]_*.sql", getenv("XINFANG_DATA"));
	glob_t g;
	if (glob(pattern, 0, NULL, &g) != 0)
		fail_msg("no migrations at %s", pattern);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		int status;
		char *sql = run_capture(&status, "cat '%s'", g.gl_pathv[i]);
		assert_int_equal(status, 0);
		struct xf_err err;
		if (xf_db_exec(pg, sql, &err, "建立数据库") != XF_OK)
			fail_msg("%s: %s", g.gl_pathv[i], err.msg);
		free(sql);
	}
	globfree(&g);
}

/* Both indexes, empty, and the same documents in each. */
static int setup(void **state)
{
	(void)state;
	const char *uri = getenv("XINFANG_TEST_PG"), *dir = getenv("XINFANG_TEST_PG_DIR");
	if (uri == NULL || dir == NULL) {
		fprintf(stderr, "test_search_pg: run it through tests/pg/with_cluster.sh (XINFANG_TEST_PG)\n");
		return -1;
	}
	struct xf_err err;
	struct xf_db *admin;
	if (xf_db_open(uri, NULL, &admin, &err) != XF_OK)
		return fprintf(stderr, "%s\n", err.msg), -1;
	char sql[128], where[1024];
	snprintf(sql, sizeof sql, "CREATE DATABASE xf_search_%d", (int)getpid());
	int rc = xf_db_exec(admin, sql, &err, "建立数据库");
	xf_db_close(admin);
	if (rc != XF_OK)
		return fprintf(stderr, "%s\n", err.msg), -1;
	snprintf(where, sizeof where, "postgresql:///xf_search_%d?host=%s&user=postgres", (int)getpid(), dir);
	if (xf_db_open(where, NULL, &pg, &err) != XF_OK)
		return fprintf(stderr, "%s\n", err.msg), -1;
	pg_migrate();

	if (sqlite3_open(":memory:", &lite) != SQLITE_OK || store_search_tokenizers(lite, &err) != XF_OK)
		return fprintf(stderr, "sqlite: %s\n", err.msg), -1;
	for (size_t i = 0; i < xf_migration_count; i++)
		lite_exec(xf_migrations[i].sql);

	ndocs = 3000;
	docs = xcalloc(ndocs + 1, sizeof *docs);
	for (size_t i = 0; i < ndocs; i++)
		make_doc(&docs[i], rowid_of(2460000 + (int64_t)pick(1000), (int64_t)i + 1));
	/* The long one: 20,000 one-character words, then its own word at position 20,000. */
	struct xf_buf t;
	buf_init(&t);
	for (int i = 0; i < 20000; i++)
		buf_puts(&t, "甲，");
	buf_puts(&t, "麒麟");
	huge_row = rowid_of(2461000, 99999);
	docs[ndocs++] =
	    (struct search_pg_doc){huge_row, t.data, xstrdup("王芳"), xstrdup(""), xstrdup(FACET "s:queued")};
	put_both(docs, ndocs, "documents compared");
	return 0;
}

/* Closes both. */
static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < ndocs; i++)
		free_doc(&docs[i]);
	free(docs);
	xf_db_close(pg);
	sqlite3_close(lite);
	/* the test's database goes (the cluster goes too, but a cluster of one's own may not) */
	struct xf_db *admin;
	struct xf_err err;
	char sql[128];
	snprintf(sql, sizeof sql, "DROP DATABASE xf_search_%d", (int)getpid());
	if (xf_db_open(getenv("XINFANG_TEST_PG"), NULL, &admin, &err) != XF_OK)
		return fprintf(stderr, "%s\n", err.msg), -1;
	int rc = xf_db_exec(admin, sql, &err, "删除测试数据库");
	xf_db_close(admin);
	return rc == XF_OK ? 0 : (fprintf(stderr, "%s\n", err.msg), -1);
}

/* Runs the comparison, then the figures. */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_answers),        cmocka_unit_test(test_phrase_is_not_a_bag),
	    cmocka_unit_test(test_past_tsvector_limit), cmocka_unit_test(test_outside_the_subset),
	    cmocka_unit_test(test_delete_and_replace),  cmocka_unit_test(test_bench),
	};
	return cmocka_run_group_tests_name("search-pg", tests, setup, teardown);
}

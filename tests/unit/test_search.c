/* Search: one- and two-character Chinese words, name fragments, last digits of phones and ID
 * numbers, anything a clerk may type, filters and pages, the index kept with every change and
 * built for older stores, and what a handler may find. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xinfang/clock.h"
#include "xinfang/search.h"
#include "xinfang/setup.h"

/* Collects tokens as "tok" or "+tok" (colocated) separated by spaces. */
static int collect(void *ctx, bool colocated, const char *token, size_t len, size_t start, size_t end)
{
	(void)start, (void)end;
	struct xf_buf *b = ctx;
	buf_printf(b, "%s%s%.*s", b->len ? " " : "", colocated ? "+" : "", (int)len, token);
	return 0;
}

/* The tokens of text as one string. */
static char *tokens_of(const char *text, enum xf_tok_mode mode)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	search_tokenize(text, strlen(text), mode, collect, &b);
	return b.data;
}

/* The tokenizer: pairs and characters for Chinese, words, digit suffixes, the ID's X. */
static void test_tokenizer(void **state)
{
	(void)state;
	struct {
		const char *text;
		enum xf_tok_mode mode;
		const char *want;
	} cases[] = {
		{"信用卡", XF_TOK_DOCUMENT, "信用 +信 用卡 +用 卡"},
		{"信用卡", XF_TOK_QUERY, "信用 用卡"},
		{"卡", XF_TOK_QUERY, "卡"},
		{"吞卡ATM机", XF_TOK_QUERY, "吞卡 卡 atm 机"},
		{"ＡＴＭ，卡。", XF_TOK_DOCUMENT, "atm 卡"},
		{"13812345678", XF_TOK_DOCUMENT,
		 "13812345678 +3812345678 +812345678 +12345678 +2345678 +345678 +45678 +5678"},
		{"5678", XF_TOK_QUERY, "5678"},
		{"11010519491231002X", XF_TOK_QUERY, "11010519491231002x"},
		{"ID 002x", XF_TOK_QUERY, "id 002x"},
		{"xy", XF_TOK_QUERY, "xy"},
		{"\"*-:^(){}", XF_TOK_QUERY, ""},
		{"𠮷😀", XF_TOK_DOCUMENT, "𠮷😀 +𠮷 😀"},
		{"\xff\xfe卡", XF_TOK_QUERY, "卡"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = tokens_of(cases[i].text, cases[i].mode);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("tokens of %s: got [%s], want [%s]", cases[i].text, got, cases[i].want);
		free(got);
	}
}

/* Runs a search and returns the numbers found, space-separated, in order. */
static char *found(struct xf_session *s, const char *words, const char *first_filter, ...)
{
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = words;
	q.per_page = 50;
	va_list ap;
	va_start(ap, first_filter);
	for (const char *kv = first_filter; kv; kv = va_arg(ap, const char *)) {
		const char *v = strchr(kv, '=') + 1;
		if (strncmp(kv, "since=", 6) == 0)
			q.since = v;
		else if (strncmp(kv, "until=", 6) == 0)
			q.until = v;
		else if (strncmp(kv, "state=", 6) == 0)
			q.state = v;
		else if (strncmp(kv, "dept=", 5) == 0)
			q.department = v;
		else if (strncmp(kv, "category=", 9) == 0)
			q.category = v;
		else if (strncmp(kv, "channel=", 8) == 0)
			q.channel = v;
		else if (strncmp(kv, "importance=", 11) == 0)
			q.importance = v;
		else if (strncmp(kv, "page=", 5) == 0)
			q.page = atoi(v), q.per_page = 2;
	}
	va_end(ap);
	struct xf_rows rows;
	struct xf_err err;
	bool more;
	int rc = search_cases(s, &q, &rows, &more, &err);
	if (rc != XF_OK)
		fail_msg("search %s: %s", words, err.msg);
	/* The count agrees with the pages under every rule (masks, numbers, the lead case), and
	 * stops at its cap. */
	long total, capped;
	assert_int_equal(search_count(s, &q, XF_SEARCH_COUNT_CAP, &total, &err), XF_OK);
	long shown = (long)((q.page > 0 ? q.page : 1) - 1) * (q.per_page) + (long)rows.n;
	if (more ? total <= shown : total != shown)
		fail_msg("search [%s]: counted %ld, the pages show %ld%s", words, total, shown, more ? " and more" : "");
	if (total > 0) {
		assert_int_equal(search_count(s, &q, total - 1, &capped, &err), XF_OK);
		assert_int_equal(capped, total);
	}
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < rows.n; i++) {
		int y, n;
		struct xf_err e;
		assert_int_equal(case_parse_number(fields_str(&rows.v[i], "number"), &y, &n, &e), XF_OK);
		buf_printf(&b, "%s%d", b.len ? " " : "", n);
	}
	rows_free(&rows);
	return b.data;
}

/* Asserts the sequence numbers a search finds. */
#define FINDS(s, words, want, ...)                                                                                 \
	do {                                                                                                       \
		char *got_ = found(s, words, __VA_ARGS__);                                                         \
		if (strcmp(got_, want) != 0)                                                                       \
			fail_msg("search [%s]: got [%s], want [%s]", words, got_, want);                          \
		free(got_);                                                                                        \
	} while (0)

/* Does a move, failing the test when it is refused. */
static void move(struct xf_session *s, int64_t id, enum xf_move mv, const char *first, ...)
{
	struct xf_fields f;
	va_list ap;
	va_start(ap, first);
	fields_from_va(&f, first, ap);
	va_end(ap);
	struct xf_err err;
	int rc = case_move(s, id, mv, &f, 0, &err);
	fields_free(&f);
	if (rc != XF_OK)
		fail_msg("move %d: %s", (int)mv, err.msg);
}

/* Words of every text, names, addresses, work units, fragments and last digits are found,
 * newest first; nothing typed is refused. */
static void test_words(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-10");
	/* 1 */ fixture_case(&fx, "received=2026-03-02", "summary=信用卡被盗刷，要求赔偿。", "name=周建华",
	                     "phone=13812345678", "id_number=11010519491231002X", "address=人民路100号",
	                     "work_unit=红星机械厂", NULL);
	/* 2 */ fixture_case(&fx, "received=2026-03-03", "summary=借记卡被误扣年费。", "name=李𠮷", "phone=13912340000",
	                     NULL);
	/* 3 */ fixture_case(&fx, "received=2026-03-04", "summary=ATM机吞卡😀，\"急用\" OR 退款*", "name=王芳", NULL);
	/* 4 */ int64_t later = fixture_case(&fx, "received=2026-03-05", "summary=理财产品收益低于承诺。", "name=赵强",
	                                    NULL);
	FINDS(&fx.clerk, "卡", "3 2 1", NULL);
	FINDS(&fx.clerk, "盗刷", "1", NULL);
	FINDS(&fx.clerk, "信用卡盗刷", "", NULL);
	FINDS(&fx.clerk, "信用卡被盗刷", "1", NULL);
	FINDS(&fx.clerk, "被 卡", "2 1", NULL);
	FINDS(&fx.clerk, "周", "1", NULL);
	FINDS(&fx.clerk, "建华", "1", NULL);
	FINDS(&fx.clerk, "华周", "", NULL);
	FINDS(&fx.clerk, "𠮷", "2", NULL);
	FINDS(&fx.clerk, "5678", "1", NULL);
	FINDS(&fx.clerk, "2345678", "1", NULL);
	FINDS(&fx.clerk, "1234", "", NULL);
	FINDS(&fx.clerk, "002x", "1", NULL);
	FINDS(&fx.clerk, "11010519491231002X", "1", NULL);
	FINDS(&fx.clerk, "人民路100号", "1", NULL);
	FINDS(&fx.clerk, "机械", "1", NULL);
	FINDS(&fx.clerk, "atm", "3", NULL);
	FINDS(&fx.clerk, "ＡＴＭ机", "3", NULL);
	FINDS(&fx.clerk, "😀", "3", NULL);
	FINDS(&fx.clerk, "\"急用\"", "3", NULL);
	FINDS(&fx.clerk, "OR", "3", NULL);
	FINDS(&fx.clerk, "退款*", "3", NULL);
	FINDS(&fx.clerk, "卡 OR 理财", "", NULL);
	/* FTS syntax and odd bytes are only text: never an error, and alone they match nothing
	 * to search for, so the filters alone list newest first. */
	static const char *const odd[] = {"\"", "*", "-", "NEAR(", "卡\"", "a:b", "{texts}:卡", "^卡", "卡 -盗刷",
	                                  "AND", "NOT", "(", ")", "\xff\xfe", "''", "%", "_", "\\", "卡)", "0"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		char *got = found(&fx.clerk, odd[i], NULL);
		free(got);
	}
	FINDS(&fx.clerk, "* -", "4 3 2 1", NULL);
	/* The index follows every change, in the same transaction. */
	clock_set_today_iso("2026-03-06", NULL);
	move(&fx.head, later, XF_MV_TRANSFER, "dept=个人金融部", "instruction=请核查销售录音", "leader=张行长", NULL);
	move(&fx.head, later, XF_MV_INSTRUCT, "leader=王行长", "text=务必一周内答复", NULL);
	move(&fx.clerk, later, XF_MV_URGE, "target=个人金融部", "method=电话", "note=催促尽快报结", NULL);
	move(&fx.clerk, later, XF_MV_OUTCOME, "findings=客户经理夸大收益", "rectification=全员培训", NULL);
	move(&fx.clerk, later, XF_MV_REPLY, "method=书面", "content=已书面致歉", NULL);
	FINDS(&fx.clerk, "录音", "4", NULL);
	FINDS(&fx.clerk, "务必", "4", NULL);
	FINDS(&fx.clerk, "催促", "4", NULL);
	FINDS(&fx.clerk, "夸大", "4", NULL);
	FINDS(&fx.clerk, "培训", "4", NULL);
	FINDS(&fx.clerk, "致歉", "4", NULL);
	struct xf_fields f;
	struct xf_err err;
	fields_from(&f, "summary=理财经理电话骚扰。", NULL);
	assert_int_equal(case_edit(&fx.clerk, later, &f, 0, &err), XF_OK);
	fields_free(&f);
	FINDS(&fx.clerk, "承诺", "", NULL);
	FINDS(&fx.clerk, "骚扰", "4", NULL);
	fixture_close(&fx);
}

/* Filters, newest first, pages, and the marked snippet. */
static void test_filters_and_pages(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-10");
	fixture_case(&fx, "received=2026-03-02", "summary=银行卡年费", "channel=来电", NULL);
	fixture_case(&fx, "received=2026-03-03", "summary=银行卡挂失", "category=工作失误", NULL);
	int64_t c3 = fixture_case(&fx, "received=2026-03-04", "summary=银行卡冻结", "amount=60000", NULL);
	int64_t c4 = fixture_case(&fx, "received=2026-03-01", "summary=银行卡补办", NULL);
	fixture_case(&fx, "received=2026-03-05", "summary=网银转账", NULL);
	/* Receipt order, not registration order. */
	FINDS(&fx.clerk, "银行卡", "3 2 1 4", NULL);
	/* The index's own filter mark (U+E000) typed into the words is taken out: it cannot reach
	 * the filters' tokens, and the word is searched as typed without it. */
	FINDS(&fx.clerk, "银行\xEE\x80\x80卡", "3 2 1 4", NULL);
	FINDS(&fx.clerk, "\xEE\x80\x80冻结", "3", NULL);
	FINDS(&fx.clerk, "银行卡 \xEE\x80\x80s:queued", "", NULL);
	FINDS(&fx.clerk, "银行卡 \xEE\x80\x80", "3 2 1 4", NULL);
	FINDS(&fx.clerk, "银行卡", "2 1", "since=2026-03-02", "until=2026-03-03", NULL);
	FINDS(&fx.clerk, "银行卡", "1", "channel=来电", NULL);
	FINDS(&fx.clerk, "银行卡", "2", "category=工作失误", NULL);
	FINDS(&fx.clerk, "银行卡", "3", "importance=重要", NULL);
	/* The index's filter tokens follow a corrected registration. */
	struct xf_fields fix;
	struct xf_err fix_err;
	fields_from(&fix, "importance=重要", "channel=来电", NULL);
	if (case_edit(&fx.clerk, c4, &fix, 0, &fix_err) != XF_OK)
		fail_msg("edit: %s", fix_err.msg);
	fields_free(&fix);
	FINDS(&fx.clerk, "银行卡", "3 4", "importance=重要", NULL);
	FINDS(&fx.clerk, "银行卡", "1 4", "channel=来电", NULL);
	FINDS(&fx.clerk, "银行卡", "4", "channel=来电", "importance=重要", NULL);
	FINDS(&fx.clerk, "", "5 3 2 1 4", NULL);
	FINDS(&fx.clerk, "银行卡", "3 2", "page=1", NULL);
	FINDS(&fx.clerk, "银行卡", "1 4", "page=2", NULL);
	FINDS(&fx.clerk, "银行卡", "", "page=3", NULL);
	clock_set_today_iso("2026-03-05", NULL);
	move(&fx.head, c3, XF_MV_TRANSFER, "dept=运营管理部", NULL);
	FINDS(&fx.clerk, "银行卡", "3", "state=已转办", NULL);
	FINDS(&fx.clerk, "银行卡", "3", "state=transferred", "dept=运营管理部", NULL);
	FINDS(&fx.clerk, "银行卡", "2 1 4", "state=待批", NULL);
	struct xf_search q = {.words = "卡", .state = "半路"};
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	assert_int_equal(search_cases(&fx.clerk, &q, &rows, &more, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "待批"));
	struct xf_search bad_date = {.words = "卡", .since = "2026-02-30"};
	assert_int_equal(search_cases(&fx.clerk, &bad_date, &rows, &more, &err), XF_EINVAL);
	struct xf_search pages = {.words = "银行卡", .per_page = 3};
	assert_int_equal(search_cases(&fx.clerk, &pages, &rows, &more, &err), XF_OK);
	assert_int_equal(rows.n, 3);
	assert_true(more);
	assert_string_equal(fields_str(&rows.v[0], "snippet"), "【银行卡】冻结");
	rows_free(&rows);
	fixture_close(&fx);
}

/* The snippet marks every match, keeps whole characters and stays short. */
static void test_snippet(void **state)
{
	(void)state;
	char *s = search_snippet("本人信用卡被盗刷，信用卡公司不理睬", "信用卡", 60);
	assert_string_equal(s, "本人【信用卡】被盗刷，【信用卡】公司不理睬");
	free(s);
	s = search_snippet("一二三四五六七八九十盗刷甲乙丙丁", "盗刷", 16);
	assert_string_equal(s, "…五六七八九十【盗刷】…");
	free(s);
	s = search_snippet("ATM机吞卡", "atm", 60);
	assert_string_equal(s, "【ATM】机吞卡");
	free(s);
	/* A match the width reaches into is marked whole, never cut inside its mark. */
	s = search_snippet("李建华 13812345678", "建华 5678", 16);
	assert_string_equal(s, "李【建华】 1381234【5678】");
	free(s);
	s = search_snippet("李建华 13812345678 滨江路", "5678", 8);
	assert_string_equal(s, "…381234【5678】…");
	free(s);
	s = search_snippet("姓名𠮷祥", "𠮷", 60);
	assert_string_equal(s, "姓名【𠮷】祥");
	free(s);
}

/* A handler finds only their department's cases, and never by a hidden identity. */
static void test_handler_masking(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	int64_t secret = fixture_case(&fx, "confidential=是", "name=钱秘密", "phone=13811112222",
	                              "id_number=11010519491231002X", "address=保密街1号", "summary=投诉贷款搭售保险", NULL);
	int64_t against = fixture_case(&fx, "subject=个人金融部客户经理", "name=孙公开", "phone=13933334444",
	                               "summary=投诉贷款搭售基金", NULL);
	int64_t open = fixture_case(&fx, "name=吴可见", "phone=13755556666", "summary=投诉贷款利率", NULL);
	int64_t other = fixture_case(&fx, "name=郑别部", "phone=13677778888", "summary=投诉贷款审批慢", NULL);
	int64_t named = fixture_case(&fx, "name=冯隐", "summary=个人金融部柜员推诿", NULL);
	/* The petitioner's own words name them: their name, phone and address in the summary. */
	int64_t told = fixture_case(&fx, "confidential=是", "name=褚自述", "phone=13599990000", "address=自述巷7号",
	                            "summary=本人褚自述，电话135-9999-0000，住自述巷7号，投诉理财误导", NULL);
	move(&fx.head, told, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	move(&fx.head, named, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	move(&fx.head, secret, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	move(&fx.head, against, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	move(&fx.head, open, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	move(&fx.head, other, XF_MV_TRANSFER, "dept=公司金融部", NULL);
	/* The office finds everything. */
	FINDS(&fx.clerk, "贷款", "4 3 2 1", NULL);
	FINDS(&fx.clerk, "钱秘密", "1", NULL);
	FINDS(&fx.clerk, "2222", "1", NULL);
	/* The handler: their department only, by the texts; identities only where visible. */
	FINDS(&fx.handler, "贷款", "3 2 1", NULL);
	/* A masked case is found by its texts as the mask leaves them: a search for the name, the
	 * phone or the address it holds would tell who complained. */
	FINDS(&fx.handler, "理财", "6", NULL);
	FINDS(&fx.handler, "褚自", "", NULL);
	FINDS(&fx.handler, "自述", "", NULL);
	FINDS(&fx.handler, "0000", "", NULL);
	FINDS(&fx.handler, "自述巷", "", NULL);
	FINDS(&fx.clerk, "褚自", "6", NULL);
	/* Another department is refused with the rule, not answered with an empty list. */
	struct xf_search other_dept = {.words = "贷款", .department = "公司金融部"};
	struct xf_rows none;
	bool more_none;
	struct xf_err refusal;
	assert_int_equal(search_cases(&fx.handler, &other_dept, &none, &more_none, &refusal), XF_EDENIED);
	assert_non_null(strstr(refusal.msg, "只能查找本部门（个人金融部）"));
	FINDS(&fx.handler, "贷款", "3 2 1", "dept=个人金融部", NULL);
	FINDS(&fx.handler, "别部", "", NULL);
	FINDS(&fx.handler, "钱", "", NULL);
	FINDS(&fx.handler, "秘密", "", NULL);
	FINDS(&fx.handler, "2222", "", NULL);
	FINDS(&fx.handler, "002X", "", NULL);
	FINDS(&fx.handler, "保密街", "", NULL);
	FINDS(&fx.handler, "贷款 钱", "", NULL);
	FINDS(&fx.handler, "孙公开", "", NULL);
	FINDS(&fx.handler, "4444", "", NULL);
	FINDS(&fx.handler, "吴可见", "3", NULL);
	FINDS(&fx.handler, "6666", "3", NULL);
	FINDS(&fx.handler, "保险", "1", NULL);
	/* The department named in the summary hides the identity too (the mask's one rule). */
	FINDS(&fx.handler, "冯隐", "", NULL);
	FINDS(&fx.handler, "推诿", "5", NULL);
	FINDS(&fx.clerk, "冯隐", "5", NULL);
	/* What is shown of a hidden case leaves the identity out. */
	struct xf_search q = {.words = "贷款"};
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	assert_int_equal(search_cases(&fx.handler, &q, &rows, &more, &err), XF_OK);
	assert_int_equal(rows.n, 3);
	for (size_t i = 0; i < rows.n; i++) {
		const char *snip = fields_str(&rows.v[i], "snippet");
		assert_null(strstr(snip, "钱秘密"));
		assert_null(strstr(snip, "13811112222"));
		assert_null(strstr(snip, "孙公开"));
		assert_null(strstr(snip, "保密街"));
	}
	assert_string_equal(fields_str(&rows.v[2], "name"), "（保密）");
	assert_string_equal(fields_str(&rows.v[1], "name"), "（保密）");
	assert_string_equal(fields_str(&rows.v[0], "name"), "吴可见");
	rows_free(&rows);
	/* The snippet of a masked case is made from the masked texts. */
	q.words = "理财";
	assert_int_equal(search_cases(&fx.handler, &q, &rows, &more, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	const char *snip = fields_str(&rows.v[0], "snippet");
	if (strstr(snip, "褚") || strstr(snip, "自述") || strstr(snip, "0000") || strstr(snip, "9999"))
		fail_msg("a masked case's snippet names the petitioner: %s", snip);
	assert_non_null(strstr(snip, "【理财】"));
	rows_free(&rows);
	fixture_close(&fx);
}

/* A handler's search past its first batch of candidates: every page and the count agree, each
 * case once, newest first, the hidden ones left out by name and found by their texts. */
static void test_handler_batches(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	enum { CASES = 600 };
	long hidden = 0;
	for (int i = 0; i < CASES; i++) {
		bool secret = i % 7 == 0;
		int64_t id = fixture_case(&fx, secret ? "confidential=是" : "confidential=否", "name=周建华",
		                          "summary=银行卡被盗刷", NULL);
		move(&fx.head, id, XF_MV_TRANSFER, i % 2 ? "dept=个人金融部" : "dept=公司金融部", NULL);
		hidden += secret && i % 2;
	}
	const long mine = CASES / 2;
	const char *words[] = {"周建", "盗刷"};
	const long want[] = {mine - hidden, mine};
	for (int w = 0; w < 2; w++) {
		struct xf_search q = {.words = words[w], .per_page = 40};
		long seen = 0, last = 1 << 30;
		bool more = true;
		for (q.page = 1; more; q.page++) {
			struct xf_rows rows;
			struct xf_err err;
			assert_int_equal(search_cases(&fx.handler, &q, &rows, &more, &err), XF_OK);
			for (size_t i = 0; i < rows.n; i++) {
				int y, n;
				assert_int_equal(case_parse_number(fields_str(&rows.v[i], "number"), &y, &n, NULL), XF_OK);
				if (n >= last)
					fail_msg("[%s] page %d: number %d after %ld", words[w], q.page, n, last);
				last = n;
				assert_string_equal(fields_str(&rows.v[i], "department"), "个人金融部");
			}
			seen += (long)rows.n;
			rows_free(&rows);
		}
		long total;
		struct xf_err err;
		q.page = 1;
		assert_int_equal(search_count(&fx.handler, &q, XF_SEARCH_COUNT_CAP, &total, &err), XF_OK);
		if (seen != want[w] || total != want[w])
			fail_msg("[%s]: pages %ld, count %ld, want %ld", words[w], seen, total, want[w]);
	}
	fixture_close(&fx);
}

/* GB18030's first user-defined character (a hand-made rare character in a name) decodes to
 * U+E000, the index's filter mark: in a case's own text it is taken out, so every word around
 * it is found, and it can start no filter token. */
static void test_private_use_in_texts(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-10");
	fixture_case(&fx, "name=王\xEE\x80\x80明", "address=北京市\xEE\x80\x80海淀区紫竹院路",
	             "summary=信用卡\xEE\x80\x80紫藤花园年费争议 \xEE\x80\x80s:transferred", NULL);
	FINDS(&fx.clerk, "紫藤", "1", NULL);
	FINDS(&fx.clerk, "年费争议", "1", NULL);
	FINDS(&fx.clerk, "海淀", "1", NULL);
	FINDS(&fx.clerk, "紫竹院", "1", NULL);
	FINDS(&fx.clerk, "王明", "1", NULL);
	FINDS(&fx.clerk, "王\xEE\x80\x80明", "1", NULL);
	FINDS(&fx.clerk, "紫藤", "", "state=已转办", NULL);
	FINDS(&fx.clerk, "紫藤", "1", "state=待批", NULL);
	fixture_close(&fx);
}

/* A store from before the index gets it built by the migration. */
static void test_migration_builds_index(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-search-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/old.db", dir);
	struct xf_store *st;
	struct xf_err err;
	static const char *const old_cases[] = {"老库里的盗刷投诉|欧阳老|13800001111", NULL};
	fixture_old_store(path, 3, old_cases, &st);
	struct xf_session s;
	memset(&s, 0, sizeof s);
	s.st = st;
	s.op.role = XF_ROLE_ADMIN;
	FINDS(&s, "盗刷", "1", NULL);
	FINDS(&s, "欧阳", "1", NULL);
	FINDS(&s, "1111", "1", NULL);
	FINDS(&s, "盗刷", "1", "state=待批", "channel=来访", NULL);
	FINDS(&s, "盗刷", "", "state=已转办", NULL);
	store_close(st);
	/* A store past version 11 whose index lacks the filters' tokens (a build that skipped the
	 * migration) gets it when opened. */
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw,
	                              "DROP VIEW search_source; CREATE VIEW search_source AS SELECT id AS case_id, 0 AS row, "
	                              "'' AS texts, '' AS people, '' AS numbers FROM cases",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(store_open(path, &st, &err), XF_OK);
	s.st = st;
	FINDS(&s, "盗刷", "1", "state=待批", NULL);
	FINDS(&s, "盗刷", "", "state=已转办", NULL);
	store_close(st);
	/* A store newer than this build is refused, not written in this build's shape. */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	char *newer = xasprintf("PRAGMA user_version = %d", store_latest_version() + 1);
	assert_int_equal(sqlite3_exec(raw, newer, NULL, NULL, NULL), SQLITE_OK);
	free(newer);
	sqlite3_close(raw);
	assert_int_equal(setup_open(path, &st, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "比本程序"));
	/* A store that passed version 8 without this migration (made by a build with a later
	 * migration but not this one) gets it when opened. */
	char *path2 = xasprintf("%s/skipped.db", dir);
	assert_int_equal(store_open(path2, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 7, &err), XF_OK);
	store_close(st);
	assert_int_equal(sqlite3_open(path2, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 10", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(store_open(path2, &st, &err), XF_OK);
	s.st = st;
	FINDS(&s, "卡", "", NULL);
	store_close(st);
	free(path2);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
}

/* The command line: one TSV line per case, number first; filters as key=value. */
static void test_cli(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-10");
	fixture_case(&fx, "received=2026-03-02", "summary=信用卡被盗刷", "name=周建华", NULL);
	fixture_case(&fx, "received=2026-03-03", "summary=存折被盗刷", "name=陈东", "channel=来电", NULL);
	char *db = xasprintf("XINFANG_DB=%s", fx.db);
	const char *env[] = {db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-10", NULL};
	struct run_result r;
	const char *argv1[] = {"search", "盗刷", NULL};
	run_xinfang(&r, env, argv1);
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "2026年第0002号\t2026-03-03\t待批\t", strlen("2026年第0002号\t2026-03-03\t待批\t")) == 0);
	assert_non_null(strstr(r.out, "\n2026年第0001号\t2026-03-02\t"));
	assert_non_null(strstr(r.out, "【盗刷】"));
	assert_non_null(strstr(r.err, "共 2 件"));
	/* More than a page: the total, and how to see the next. */
	for (int i = 0; i < 21; i++)
		fixture_case(&fx, "received=2026-03-04", "summary=银行卡年费", NULL);
	const char *argv_pages[] = {"search", "年费", NULL};
	run_xinfang(&r, env, argv_pages);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "共 21 件，这是第 1 页；还有更多结果：加 page=2 看下一页"));
	const char *argv_last[] = {"search", "年费", "page=2", NULL};
	run_xinfang(&r, env, argv_last);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "共 21 件"));
	assert_null(strstr(r.err, "还有更多"));
	const char *argv2[] = {"search", "盗刷", "channel=来电", "since=2026-03-01", NULL};
	run_xinfang(&r, env, argv2);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "2026年第0002号"));
	assert_null(strstr(r.out, "2026年第0001号"));
	const char *argv3[] = {"search", "\"", "OR", "*", NULL};
	run_xinfang(&r, env, argv3);
	assert_int_equal(r.status, 0);
	const char *argv4[] = {"search", "卡", "state=半路", NULL};
	run_xinfang(&r, env, argv4);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "状态"));
	/* Nothing found and a page past the last are told apart. */
	const char *argv5[] = {"search", "盗刷", "page=9", NULL};
	run_xinfang(&r, env, argv5);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "第 9 页没有事项"));
	/* Asking how is answered, not searched for. */
	const char *argv_help[] = {"search", "--help", NULL};
	run_xinfang(&r, env, argv_help);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "用法：xinfang search 词语"));
	assert_null(strstr(r.err, "没有找到"));
	const char *argv6[] = {"search", "理财", NULL};
	run_xinfang(&r, env, argv6);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "没有找到符合条件的事项"));
	free(db);
	fixture_close(&fx);
}

/* Asserts that a search is refused with every piece of want in the message. */
static void refused_with(struct xf_session *s, const struct xf_search *q, const char *const *want)
{
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	assert_int_equal(search_cases(s, q, &rows, &more, &err), XF_EINVAL);
	for (; *want; want++)
		if (strstr(err.msg, *want) == NULL)
			fail_msg("message [%s] lacks [%s]", err.msg, *want);
}

/* Every filter is checked the same way: a value the store's lists do not hold, an importance
 * other than 一般/重要 and reversed dates are refused with the choices, never a silent empty
 * result; a value the lists hold (a department no longer in use too) is taken. */
static void test_filters_checked(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-10");
	fixture_case(&fx, "received=2026-03-02", "summary=银行卡年费", "channel=来电", NULL);
	struct xf_search channel = {.words = "卡", .channel = "电话"};
	refused_with(&fx.clerk, &channel, (const char *[]){"来源渠道“电话”", "来电", "来访", NULL});
	struct xf_search importance = {.words = "卡", .importance = "高"};
	refused_with(&fx.clerk, &importance, (const char *[]){"重要程度“高”", "一般", "重要", NULL});
	struct xf_search dept = {.words = "卡", .department = "不存在部"};
	refused_with(&fx.clerk, &dept, (const char *[]){"承办部门“不存在部”", "个人金融部", NULL});
	struct xf_search category = {.words = "卡", .category = "投诉"};
	refused_with(&fx.clerk, &category, (const char *[]){"类别“投诉”", "服务态度", NULL});
	struct xf_search reversed = {.words = "卡", .since = "2026-11-25", .until = "2026-11-01"};
	refused_with(&fx.clerk, &reversed, (const char *[]){"截止日期 2026-11-01 早于起始日期 2026-11-25", NULL});
	struct xf_search state_q = {.words = "卡", .state = "转办"};
	refused_with(&fx.clerk, &state_q, (const char *[]){"状态“转办”", "可选", "已转办", NULL});
	/* The same choices the handler's search is checked against. */
	refused_with(&fx.handler, &channel, (const char *[]){"来源渠道“电话”", NULL});
	FINDS(&fx.clerk, "银行卡", "1", "channel=来电", "importance=一般", "since=2026-03-02", "until=2026-03-02", NULL);
	FINDS(&fx.clerk, "银行卡", "", "dept=监察室", NULL);
	/* The command line: a misspelt key is refused with the keys it knows, text with "=" that no
	 * clerk would take for a key is searched. */
	char *db = xasprintf("XINFANG_DB=%s", fx.db);
	const char *env[] = {db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-10", NULL};
	struct run_result r;
	const char *misspelt[] = {"search", "卡", "dep=个人金融部", NULL};
	run_xinfang(&r, env, misspelt);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "“dep=个人金融部”"));
	assert_non_null(strstr(r.err, "dept="));
	assert_non_null(strstr(r.err, "importance="));
	const char *text[] = {"search", "年费=", NULL};
	run_xinfang(&r, env, text);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "2026年第0001号"));
	const char *channel_cli[] = {"search", "卡", "channel=电话", NULL};
	run_xinfang(&r, env, channel_cli);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "可选 来信、来电"));
	free(db);
	fixture_close(&fx);
}

/* What a search answers, as a reader sees it: each row's number, name and snippet. */
static char *answer(struct xf_session *s, const char *words, const char *state_name)
{
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = words;
	q.state = state_name;
	q.per_page = 50;
	struct xf_rows rows;
	struct xf_err err;
	bool more;
	if (search_cases(s, &q, &rows, &more, &err) != XF_OK)
		fail_msg("search %s: %s", words, err.msg);
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < rows.n; i++)
		buf_printf(&b, "%s|%s|%s\n", fields_str(&rows.v[i], "number"), fields_str(&rows.v[i], "name"),
		           fields_str(&rows.v[i], "snippet"));
	rows_free(&rows);
	return b.data;
}

/* Inserts a row as an older program stored it, failing the test when refused. */
static void old_row(struct xf_store *st, const char *table, const char *first, ...)
{
	struct xf_fields f;
	va_list ap;
	va_start(ap, first);
	fields_from_va(&f, first, ap);
	va_end(ap);
	struct xf_err err;
	if (store_insert(st, table, &f, NULL, &err) != XF_OK)
		fail_msg("%s: %s", table, err.msg);
	fields_free(&f);
}

/* Whether the store's file has a table of that name. */
static bool has_table(const char *path, const char *name)
{
	sqlite3 *raw;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT 1 FROM sqlite_schema WHERE name = ?1", -1, &stmt, NULL), SQLITE_OK);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	bool has = sqlite3_step(stmt) == SQLITE_ROW;
	sqlite3_finalize(stmt);
	sqlite3_close(raw);
	return has;
}

/* A store of version 14 (the index with its own copy of the texts) answers every search the
 * same once version 15 has dropped the copy and built the index again; changes after the
 * upgrade are found, and what they replaced is not. */
static void test_upgrade_keeps_answers(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-search-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/v14.db", dir);
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(store_open(path, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 14, &err), XF_OK);
	assert_int_equal(store_begin(st, &err), XF_OK);
	old_row(st, "channels", "name=来访", NULL);
	old_row(st, "categories", "name=服务态度", "kind=投诉", "grp=general", NULL);
	static const char *const cases[][4] = {
		{"1", "信用卡被盗刷，要求退还", "欧阳明", "13800001111"},
		{"2", "网点排队两小时，柜员态度差", "王丽华", "010-62345678"},
		{"3", "理财产品亏损，认为销售误导", "欧阳丽", "13900002222"},
	};
	for (int i = 0; i < 3; i++) {
		char *seq = xasprintf("seq=%s", cases[i][0]), *number = xasprintf("number=2025年第000%s号", cases[i][0]),
		     *summary = xasprintf("summary=%s", cases[i][1]), *cid = xasprintf("case_id=%s", cases[i][0]),
		     *name = xasprintf("name=%s", cases[i][2]), *phone = xasprintf("phone=%s", cases[i][3]);
		old_row(st, "cases", "year=2025", seq, number, i == 2 ? "state=transferred" : "state=queued",
		        "received=2025-06-01", "channel=来访", "category=服务态度", summary, "ruleset=seed",
		        "due_transfer=2025-06-03", "due_handle=2025-06-09", "due_reply=2025-07-01",
		        "orig_due_handle=2025-06-09", "orig_due_reply=2025-07-01", "created_by=admin",
		        "created_at=2025-06-01 09:00:00", NULL);
		old_row(st, "petitioners", cid, name, phone, "address=北京市海淀区紫竹院路", NULL);
		free(seq), free(number), free(summary), free(cid), free(name), free(phone);
	}
	old_row(st, "transfers", "case_id=3", "department=个人金融部", "summary=理财亏损投诉", "instruction=请核查销售录音",
	        "deadline=2025-06-20", "transfer_date=2025-06-02", "at=2025-06-02 10:00:00", "actor=head", NULL);
	old_row(st, "outcomes", "case_id=3", "findings=销售过程未录音录像", "rectification=整改销售流程",
	        "handled_on=2025-06-10", "at=2025-06-10 10:00:00", "actor=handler", NULL);
	old_row(st, "replies", "case_id=3", "method=书面", "replied_on=2025-06-12", "content=已书面答复并致歉",
	        "at=2025-06-12 10:00:00", "actor=handler", NULL);
	assert_int_equal(store_commit(st, &err), XF_OK);
	/* A change as version 14 kept it: the index's own copy replaced. */
	struct xf_fields f;
	fields_from(&f, "summary=网点排队三小时，柜员态度差", NULL);
	assert_int_equal(store_update(st, "cases", 2, &f, 1, &err), XF_OK);
	fields_free(&f);
	struct xf_session s;
	memset(&s, 0, sizeof s);
	s.st = st;
	s.op.role = XF_ROLE_ADMIN;
	static const struct {
		const char *words, *state;
	} asked[] = {
		{"盗刷", NULL},   {"欧阳", NULL},     {"1111", NULL},     {"5678", NULL},   {"紫竹院", NULL},
		{"三小时", NULL}, {"两小时", NULL},   {"录音", NULL},     {"整改", NULL},   {"致歉", NULL},
		{"态度", NULL},   {"欧阳 理财", NULL}, {"", "queued"},    {"欧阳", "transferred"}, {"信", NULL},
	};
	enum { NASKED = sizeof asked / sizeof asked[0] };
	char *before[NASKED];
	for (int i = 0; i < NASKED; i++)
		before[i] = answer(&s, asked[i].words, asked[i].state);
	assert_non_null(strstr(before[1], "2025年第0001号"));
	assert_non_null(strstr(before[1], "2025年第0003号"));
	assert_string_equal(before[6], "");
	assert_true(has_table(path, "search_content"));
	assert_int_equal(store_migrate(st, 0, &err), XF_OK);
	assert_false(has_table(path, "search_content"));
	for (int i = 0; i < NASKED; i++) {
		char *after = answer(&s, asked[i].words, asked[i].state);
		if (strcmp(before[i], after) != 0)
			fail_msg("search [%s] after the upgrade:\n%s\nbefore it:\n%s", asked[i].words, after, before[i]);
		free(after);
		free(before[i]);
	}
	/* Changed after the upgrade: the new words found, the old ones forgotten. */
	fields_from(&f, "summary=借记卡被盗刷，要求赔偿", NULL);
	assert_int_equal(store_update(st, "cases", 1, &f, 1, &err), XF_OK);
	fields_free(&f);
	FINDS(&s, "借记卡", "1", NULL);
	FINDS(&s, "退还", "", NULL);
	FINDS(&s, "盗刷", "1", NULL);
	store_close(st);
	free(path);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* A word that is a case number finds that case (with the other words, the filters and the
 * handler's department rule); a bare number alone is this year's case of that number first,
 * then the cases holding those digits. */
static void test_case_numbers(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-10");
	int64_t first = fixture_case(&fx, "received=2026-03-02", "summary=信用卡年费", "phone=13900000002", NULL);
	int64_t second = fixture_case(&fx, "received=2026-03-03", "summary=存折挂失", NULL);
	fixture_case(&fx, "received=2026-03-04", "summary=利息少算2元", NULL);
	move(&fx.head, first, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	move(&fx.head, second, XF_MV_TRANSFER, "dept=公司金融部", NULL);
	FINDS(&fx.clerk, "2026-0002", "2", NULL);
	FINDS(&fx.clerk, "2026年第0002号", "2", NULL);
	FINDS(&fx.clerk, "2026-2", "2", NULL);
	FINDS(&fx.clerk, "2026-0001 2026-0002", "2 1", NULL);
	FINDS(&fx.clerk, "2026-0002 存折", "2", NULL);
	FINDS(&fx.clerk, "2026-0002 年费", "", NULL);
	FINDS(&fx.clerk, "2026-0002", "", "state=待批", NULL);
	FINDS(&fx.clerk, "2026-0009", "", NULL);
	FINDS(&fx.clerk, "2025-0002", "", NULL);
	/* A telephone written like a number is still a telephone. */
	fixture_case(&fx, "received=2026-03-05", "summary=来电0755-1234567反映", NULL);
	FINDS(&fx.clerk, "0755-1234567", "4", NULL);
	/* The handler of 个人金融部 finds their own case by number, not the other department's. */
	FINDS(&fx.handler, "2026-0001", "1", NULL);
	FINDS(&fx.handler, "2026-0002", "", NULL);
	FINDS(&fx.handler, "0002", "1", NULL);
	/* A bare number: this year's case first, then every case holding the digits. */
	FINDS(&fx.clerk, "0002", "2 1", NULL);
	FINDS(&fx.clerk, "2", "2 3", NULL);
	FINDS(&fx.clerk, "0003", "3", NULL);
	FINDS(&fx.clerk, "0002", "1", "dept=个人金融部", NULL);
	/* With other words a bare number is only text (the digits of a phone, an amount). */
	FINDS(&fx.clerk, "年费 0002", "1", NULL);
	/* Pages count the case found by its number. */
	struct xf_search q = {.words = "0002", .per_page = 1, .page = 1};
	struct xf_rows rows;
	bool more;
	struct xf_err err;
	assert_int_equal(search_cases(&fx.clerk, &q, &rows, &more, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	assert_true(more);
	assert_string_equal(fields_str(&rows.v[0], "number"), "2026年第0002号");
	rows_free(&rows);
	q.page = 2;
	assert_int_equal(search_cases(&fx.clerk, &q, &rows, &more, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	assert_false(more);
	assert_string_equal(fields_str(&rows.v[0], "number"), "2026年第0001号");
	rows_free(&rows);
	/* The command line prints the case. */
	char *db = xasprintf("XINFANG_DB=%s", fx.db);
	const char *env[] = {db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-10", NULL};
	struct run_result r;
	const char *argv1[] = {"search", "2026年第0002号", NULL};
	run_xinfang(&r, env, argv1);
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "2026年第0002号\t", strlen("2026年第0002号\t")) == 0);
	assert_string_equal(strchr(r.out, '\n'), "\n"); /* that case alone */
	free(db);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenizer),         cmocka_unit_test(test_words),
		cmocka_unit_test(test_filters_and_pages), cmocka_unit_test(test_snippet),
		cmocka_unit_test(test_handler_masking),   cmocka_unit_test(test_migration_builds_index),
		cmocka_unit_test(test_handler_batches),
		cmocka_unit_test(test_private_use_in_texts),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_filters_checked),
		cmocka_unit_test(test_case_numbers),
		cmocka_unit_test(test_upgrade_keeps_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

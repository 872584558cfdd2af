/* The ledger: export read back by readers that are not ours (Python's csv, openpyxl), import of
 * an Excel-style GBK file with and without errors, a second import refused, the round trip. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "xinfang/branch.h"
#include "xinfang/clock.h"
#include "xinfang/csv.h"
#include "xinfang/ledger.h"
#include "xinfang/paths.h"
#include "xinfang/verify.h"
#include "xinfang/search.h"
#include "xinfang/text.h"

static const char tricky_summary[] = "他说：\"卡被吞了\"，要求赔偿,当日退卡\n第二行：𠮷与䶮都要打得出";

/* Does one move as the given session or fails the test. */
static void move(struct xf_session *s, int64_t id, enum xf_move mv, const char *first, ...)
{
	struct xf_fields f;
	va_list ap;
	va_start(ap, first);
	if (first)
		fields_from_va(&f, first, ap);
	else
		fields_init(&f);
	va_end(ap);
	struct xf_err err;
	int rc = case_move(s, id, mv, &f, 0, &err);
	fields_free(&f);
	if (rc != XF_OK)
		fail_msg("move %s: %s", xf_moves[mv].key, err.msg);
}

/* A store with a case in every kind of state, rare characters and text that needs quoting. */
static void rich_store(struct fixture *fx)
{
	int64_t a = fixture_case(fx, "name=𠮷䶮", "received=2026-11-18 09:30", "summary=他说：\"卡被吞了\"，要求赔偿,当日退卡\n第二行：𠮷与䶮都要打得出",
	                         "amount=60000", "id_number=11010519491231002X", "phone=13812345678",
	                         "address=深南大道1001号, 3单元", "jrt_channel=自助机具", "jrt_type=银行卡", "jrt_cause=C01",
	                         NULL);
	move(&fx->head, a, XF_MV_TRANSFER, "dept=运营管理部", "instruction=请认真核查", "leader=张行长", "opinion=限期办结",
	     NULL);
	move(&fx->clerk, a, XF_MV_OUTCOME, "findings=经核实，情况属实。\n已退卡。", "satisfaction=满意", "handler=孙志明",
	     "contact_phone=010-66881234", NULL);
	move(&fx->clerk, a, XF_MV_REPLY, "method=书面", "content=已书面答复", NULL);
	move(&fx->clerk, a, XF_MV_CLOSE, "note=办结", NULL);
	fixture_case(fx, "anonymous=是", "confidential=是", "category=匿名投诉", "received=2026-11-19", NULL);
	fixture_case(fx, "name=刘洋", "spot_answer=已当场解释", "received=2026-11-19", NULL);
	int64_t d = fixture_case(fx, "name=陈静", "people=6", NULL);
	move(&fx->head, d, XF_MV_REJECT, "reason=不属于受理范围", "advice=请向法院起诉", NULL);
	int64_t e = fixture_case(fx, "name=王芳", "repeat_of=2026-1", NULL);
	move(&fx->head, e, XF_MV_INSTRUCT, "leader=李行长", "text=尽快处理", NULL);
	move(&fx->head, e, XF_MV_EXTEND, "until=2026-12-31", "reason=需调取录像", "limit=月限", NULL);
	int64_t f = fixture_case(fx, "name=赵雷", NULL);
	move(&fx->clerk, f, XF_MV_WITHDRAW, "reason=已协商解决", "voluntary=否", NULL);
}

/* Exports the whole store as the session, failing the test on an error. */
static void export_to(struct xf_session *s, const char *path, enum xf_ledger_format format, const char *encoding)
{
	struct xf_export opts = {NULL, NULL, format, encoding, path, NULL, NULL, NULL, NULL};
	struct xf_err err;
	long rows;
	if (ledger_export(s, &opts, &rows, &err) != XF_OK)
		fail_msg("export: %s", err.msg);
	assert_int_equal(rows, 6);
}

/* Runs tests/unit/check_ledger.py with the arguments; true when it passed. */
static bool python_check(const char *const *args)
{
	struct xf_buf cmd;
	buf_init(&cmd);
	const char *python = getenv("XINFANG_PYTHON");
	buf_printf(&cmd, "'%s' '%s/../tests/unit/check_ledger.py'", python ? python : "python3", test_datadir());
	for (size_t i = 0; args[i]; i++) {
		/* Each argument in single quotes; a quote inside as '\'' (the shell's way). */
		buf_puts(&cmd, " '");
		for (const char *p = args[i]; *p; p++)
			if (*p == '\'')
				buf_puts(&cmd, "'\\''");
			else
				buf_add(&cmd, p, 1);
		buf_puts(&cmd, "'");
	}
	int rc = system(cmd.data);
	buf_free(&cmd);
	return rc == 0;
}

/* Counts the cases of a store. */
static long case_count(struct fixture *fx)
{
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(fx->st, "cases", NULL, NULL, &rows, &err), XF_OK);
	long n = (long)rows.n;
	rows_free(&rows);
	return n;
}

/* Reads a whole file. */
static char *slurp_file(const char *path, size_t *len)
{
	char *text;
	struct xf_err err;
	if (paths_read_file(path, &text, len, &err) != XF_OK)
		fail_msg("%s", err.msg);
	return text;
}

/* Writes UTF-8 text to a file in an encoding. */
static void write_encoded(const char *path, const char *utf8, const char *encoding)
{
	char *out;
	size_t len;
	assert_int_equal(text_convert(utf8, strlen(utf8), encoding, &out, &len, NULL), XF_OK);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(out, 1, len, f), len);
	fclose(f);
	free(out);
}

/* CSV in both encodings, read back with Python's csv module: the rare name, the comma, the quote
 * and the line break come back as they went in; line ends are CRLF; UTF-8 has its BOM. */
static void csv_read_back(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	rich_store(&fx);
	char gb[400], u8[400];
	snprintf(gb, sizeof gb, "%s/l.csv", fx.dir);
	snprintf(u8, sizeof u8, "%s/l8.csv", fx.dir);
	export_to(&fx.head, gb, XF_LEDGER_CSV, NULL);
	export_to(&fx.clerk, u8, XF_LEDGER_CSV, "UTF-8");
	const char *encodings[] = {"GB18030", "UTF-8"};
	const char *files[] = {gb, u8};
	for (int i = 0; i < 2; i++) {
		char want_summary[300];
		snprintf(want_summary, sizeof want_summary, "基本事实和请求=%s", tricky_summary);
		const char *args[] = {files[i], encodings[i], "2026年第0001号", "姓名=𠮷䶮", want_summary,
		                      "住址=深南大道1001号, 3单元", "涉及金额（元）=60000.00", "状态=已结案", "结案方式=办结",
		                      "承办部门=运营管理部", "领导批示=请认真核查", "调查核实情况=经核实，情况属实。\n已退卡。",
		                      "满意程度=满意", "答复方式=书面", "业务渠道（JR/T 0169）=自助机具",
		                      "业务类型（JR/T 0169）=银行卡", "投诉原因（JR/T 0169）=服务态度及服务质量",
		                      "收件日期=2026-11-18", "收件时刻=09:30", "重要程度=重要", NULL};
		assert_true(python_check(args));
		const char *anon[] = {files[i], encodings[i], "2026年第0002号", "匿名=是", "保密=是", "姓名=", "状态=待批", NULL};
		assert_true(python_check(anon));
		const char *linked[] = {files[i], encodings[i], "2026年第0005号", "关联编号=2026年第0001号", "批示领导=李行长",
		                        "答复时限（月限）=2026-12-31", NULL};
		assert_true(python_check(linked));
	}
	/* The GB18030 file holds 𠮷 as its four-byte sequence, not a replacement. */
	size_t len;
	char *bytes = slurp_file(gb, &len);
	assert_non_null(memmem(bytes, len, "\x95\x34\xb2\x35", 4));
	free(bytes);
	fixture_close(&fx);
}

/* XLSX read back by openpyxl: dates are dates, amounts numbers, the header row frozen. */
static void xlsx_read_back(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	rich_store(&fx);
	char path[400];
	snprintf(path, sizeof path, "%s/l.xlsx", fx.dir);
	export_to(&fx.admin, path, XF_LEDGER_XLSX, NULL);
	char want_summary[300];
	snprintf(want_summary, sizeof want_summary, "基本事实和请求=%s", tricky_summary);
	const char *args[] = {path, "xlsx", "2026年第0001号", "姓名=𠮷䶮", want_summary, "收件日期=date:2026-11-18",
	                      "涉及金额（元）=number:60000", "人数=number:1", "答复日期=date:2026-11-20", "状态=已结案",
	                      NULL};
	assert_true(python_check(args));
	fixture_close(&fx);
}

/* The ledger is the office's: a handler is refused in the core and on the command line, with
 * who may export and what to do instead, and no file is written. */
static void handler_refused(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t mine = fixture_case(&fx, "name=刘洋", NULL);
	move(&fx.head, mine, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	const char *formats[] = {"csv", "xlsx"};
	for (int i = 0; i < 2; i++) {
		char path[400];
		snprintf(path, sizeof path, "%s/h.%s", fx.dir, formats[i]);
		struct xf_export opts = {NULL, NULL, i ? XF_LEDGER_XLSX : XF_LEDGER_CSV, "UTF-8", path, NULL, NULL, NULL, NULL};
		struct xf_err err;
		long rows = -1;
		assert_int_equal(ledger_export(&fx.handler, &opts, &rows, &err), XF_EDENIED);
		assert_int_equal(rows, 0);
		assert_non_null(strstr(err.msg, "不能导出台账"));
		assert_non_null(strstr(err.msg, "只有办公室的接待员、办公室主任、管理员可以导出"));
		assert_non_null(strstr(err.msg, "xinfang search dept=个人金融部"));
		assert_int_equal(access(path, F_OK), -1);
	}
	/* The command line cannot go round it: a handler's `xinfang export` is refused the same way. */
	char dbenv[400], path[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	snprintf(path, sizeof path, "%s/cli.csv", fx.dir);
	const char *env[] = {dbenv, "XINFANG_USER=handler", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"export", "--to", path, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "handler（经办人）不能导出台账"));
	assert_non_null(strstr(r->err, "只有办公室的接待员、办公室主任、管理员可以导出"));
	assert_non_null(strstr(r->err, "需要台账文件请找办公室导出"));
	assert_null(strstr(r->out, "已导出"));
	assert_int_equal(access(path, F_OK), -1);
	run_xinfang(r, env, (const char *[]){"export", "--to", "-", NULL});
	assert_int_equal(r->status, 1);
	assert_string_equal(r->out, "");
	/* The office exports: the clerk's same command writes the file. */
	env[1] = "XINFANG_USER=clerk";
	run_xinfang(r, env, (const char *[]){"export", "--to", path, NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "已导出 1 件"));
	assert_int_equal(access(path, F_OK), 0);
	free(r);
	fixture_close(&fx);
}

/* Imports a ledger file into a new store as its clerk and exports that store again in the same
 * encoding; the second export must be the first byte for byte. */
static void assert_round_trip(const char *first, const char *encoding, long cases)
{
	struct fixture b;
	fixture_open(&b, "2026-11-20");
	struct xf_import_report rep;
	struct xf_err err;
	int rc = ledger_import(&b.clerk, first, false, NULL, NULL, &rep, &err);
	if (rc != XF_OK)
		fail_msg("import: %s (%s)", err.msg, rep.nproblems ? rep.problems[0].msg : "");
	assert_int_equal(rep.imported, cases);
	import_report_free(&rep);
	char second[400];
	snprintf(second, sizeof second, "%s/second.csv", b.dir);
	struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, encoding, second, NULL, NULL, NULL, NULL};
	long rows;
	if (ledger_export(&b.clerk, &opts, &rows, &err) != XF_OK)
		fail_msg("export: %s", err.msg);
	assert_int_equal(rows, cases);
	size_t la, lb;
	char *ta = slurp_file(first, &la), *tb = slurp_file(second, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	free(ta);
	free(tb);
	fixture_close(&b);
}

/* What a petitioner typed that a spreadsheet would run as a formula (=HYPERLINK, a name starting
 * with @ or +, a +44 phone, a leading tab) is written after a ' in both CSV encodings and read so
 * by Python's csv module; plain negative numbers are left alone; XLSX holds the text itself in
 * string cells, no formula. Import takes the ' off again: the round trip is byte for byte. */
static void formula_guard(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t a = fixture_case(&fx, "name=@张三", "summary==HYPERLINK(\"http://x\",\"点我\")", "phone=+44 20 7946 0958",
	                         "address=-1层", "work_unit=-5", "received=2026-11-18", NULL);
	fixture_case(&fx, "name=+李四", "summary=\t=1+1 缩进的一段", "received=2026-11-19", NULL);
	fixture_case(&fx, "name=王五", "summary='=已有引号", "accused=-12.5%", "received=2026-11-19", NULL);
	struct xf_fields v;
	struct xf_err err;
	assert_int_equal(case_view(&fx.clerk, a, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "phone"), "+44 2079460958");
	fields_free(&v);
	const char *encodings[] = {"GB18030", "UTF-8"};
	for (int i = 0; i < 2; i++) {
		char path[400];
		snprintf(path, sizeof path, "%s/guard-%d.csv", fx.dir, i);
		struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, encodings[i], path, NULL, NULL, NULL, NULL};
		long rows;
		if (ledger_export(&fx.head, &opts, &rows, &err) != XF_OK)
			fail_msg("export: %s", err.msg);
		assert_int_equal(rows, 3);
		const char *first[] = {path, encodings[i], "2026年第0001号", "姓名='@张三",
		                       "基本事实和请求='=HYPERLINK(\"http://x\",\"点我\")", "联系电话='+44 2079460958",
		                       "住址='-1层", "工作单位=-5", "收件日期=2026-11-18", NULL};
		assert_true(python_check(first));
		const char *second[] = {path, encodings[i], "2026年第0002号", "姓名='+李四", "基本事实和请求='\t=1+1 缩进的一段", NULL};
		assert_true(python_check(second));
		const char *third[] = {path, encodings[i], "2026年第0003号", "姓名=王五", "基本事实和请求=''=已有引号",
		                       "被投诉人员=-12.5%", NULL};
		assert_true(python_check(third));
		if (i == 1) {
			size_t len;
			char *bytes = slurp_file(path, &len);
			static const char quoted[] = ",\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",";
			assert_non_null(memmem(bytes, len, quoted, strlen(quoted)));
			assert_non_null(memmem(bytes, len, ",'@张三,", strlen(",'@张三,")));
			free(bytes);
		}
		assert_round_trip(path, encodings[i], 3);
	}
	/* The imported values are the typed ones, without the guard. */
	char path[400];
	snprintf(path, sizeof path, "%s/guard-0.csv", fx.dir);
	struct fixture b;
	fixture_open(&b, "2026-11-20");
	struct xf_import_report rep;
	assert_int_equal(ledger_import(&b.clerk, path, false, NULL, NULL, &rep, &err), XF_OK);
	import_report_free(&rep);
	int64_t id;
	assert_int_equal(case_find(&b.clerk, "2026-1", &id, &err), XF_OK);
	assert_int_equal(case_view(&b.clerk, id, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "name"), "@张三");
	assert_string_equal(fields_str(&v, "summary"), "=HYPERLINK(\"http://x\",\"点我\")");
	assert_string_equal(fields_str(&v, "phone"), "+44 2079460958");
	fields_free(&v);
	assert_int_equal(case_find(&b.clerk, "2026-3", &id, &err), XF_OK);
	assert_int_equal(case_view(&b.clerk, id, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "summary"), "'=已有引号");
	fields_free(&v);
	fixture_close(&b);
	/* XLSX: the same values as text cells (check_ledger.py fails on any formula cell). */
	snprintf(path, sizeof path, "%s/guard.xlsx", fx.dir);
	struct xf_export opts = {NULL, NULL, XF_LEDGER_XLSX, NULL, path, NULL, NULL, NULL, NULL};
	long rows;
	if (ledger_export(&fx.admin, &opts, &rows, &err) != XF_OK)
		fail_msg("export: %s", err.msg);
	const char *cells[] = {path, "xlsx", "2026年第0001号", "姓名=@张三", "基本事实和请求==HYPERLINK(\"http://x\",\"点我\")",
	                       "联系电话=+44 2079460958", "住址=-1层", NULL};
	assert_true(python_check(cells));
	const char *cells2[] = {path, "xlsx", "2026年第0002号", "姓名=+李四", "基本事实和请求=\t=1+1 缩进的一段", NULL};
	assert_true(python_check(cells2));
	fixture_close(&fx);
}

/* Control characters already in a store (an older version, a raw edit) never reach a
 * spreadsheet as they are: CSV and XLSX write them escaped as messages and slips do (\u001b),
 * newlines kept only in multi-line columns; the escaped ledger still round-trips. The rows are
 * planted with SQLite itself, as no form or import lets them in. */
static void control_characters_escaped(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	fixture_case(&fx, "name=李四", "summary=原文", NULL);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx.db, &db), SQLITE_OK);
	const char *plant =
		"UPDATE cases SET summary = '卡被吞' || char(27) || '[31m红字' || char(7) || char(10) || '第二行' || char(13) || '尾',"
		" subject = '营业部' || char(10) || '柜台' WHERE number = '2026年第0001号';"
		"UPDATE petitioners SET name = '李' || char(8238) || '四', work_unit = char(9) || '=1+1',"
		" address = char(127) || '地址' || char(133) WHERE case_id = (SELECT id FROM cases WHERE number = '2026年第0001号');";
	char *msg = NULL;
	if (sqlite3_exec(db, plant, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("plant: %s", msg);
	sqlite3_close(db);
	const char *encodings[] = {"GB18030", "UTF-8"};
	for (int i = 0; i < 2; i++) {
		char path[400];
		snprintf(path, sizeof path, "%s/ctl-%d.csv", fx.dir, i);
		struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, encodings[i], path, NULL, NULL, NULL, NULL};
		struct xf_err err;
		long rows;
		if (ledger_export(&fx.clerk, &opts, &rows, &err) != XF_OK)
			fail_msg("export: %s", err.msg);
		const char *want[] = {path, encodings[i], "2026年第0001号", "基本事实和请求=卡被吞\\u001b[31m红字\\u0007\n第二行\\u000d尾",
		                      "被投诉单位或个人=营业部\\u000a柜台", "姓名=李\\u202e四", "工作单位=\\u0009=1+1",
		                      "住址=\\u007f地址\\u0085", NULL};
		assert_true(python_check(want));
		size_t len;
		char *bytes = slurp_file(path, &len);
		for (size_t k = 0; k < len; k++)
			if (bytes[k] == 0x1b || bytes[k] == 0x07 || bytes[k] == 0x7f || bytes[k] == '\t' ||
			    (bytes[k] == '\r' && (k + 1 == len || bytes[k + 1] != '\n')))
				fail_msg("control byte 0x%02x at offset %zu of the %s ledger", (unsigned char)bytes[k], k, encodings[i]);
		free(bytes);
		assert_round_trip(path, encodings[i], 1);
	}
	char path[400];
	snprintf(path, sizeof path, "%s/ctl.xlsx", fx.dir);
	struct xf_export opts = {NULL, NULL, XF_LEDGER_XLSX, NULL, path, NULL, NULL, NULL, NULL};
	struct xf_err err;
	long rows;
	if (ledger_export(&fx.head, &opts, &rows, &err) != XF_OK)
		fail_msg("export: %s", err.msg);
	const char *cells[] = {path, "xlsx", "2026年第0001号", "基本事实和请求=卡被吞\\u001b[31m红字\\u0007\n第二行\\u000d尾",
	                       "姓名=李\\u202e四", "工作单位=\\u0009=1+1", NULL};
	assert_true(python_check(cells));
	fixture_close(&fx);
}

/* The ledger an office kept in Excel, saved as CSV by Chinese Excel: GBK, CRLF, its own headers,
 * an unknown column, a quoted field over two lines. Three mistakes in it. */
static const char gbk_ledger_bad[] =
	"序号,编号,收件日期,信访方式,信访人,身份证号码,投诉类别,投诉内容,承办部门,办结日期\r\n"
	"1,2025年第0005号,2025/3/5,来信,王芳,,服务态度,\"柜员态度差,要求道歉\",,\r\n"
	"2,2025年第0006号,2025-13-01,来访,李强,,工作失误,\"转账未到账\r\n要求查明\",运营管理部,2025-03-20\r\n"
	"3,2025年第0007号,2025年3月8日,传真,张伟,110105194912310021,服务态度,投诉,,\r\n";
static const char gbk_ledger_good[] =
	"序号,编号,收件日期,信访方式,信访人,身份证号码,投诉类别,投诉内容,承办部门,办结日期\r\n"
	"1,2025年第0005号,2025/3/5,来信,王芳,,服务态度,\"柜员态度差,要求道歉\",,\r\n"
	"2,2025年第0006号,2025-03-06,来访,李强,,工作失误,\"转账未到账\r\n要求查明\",运营管理部,2025-03-20\r\n"
	"3,2025年第0007号,2025年3月8日,来电,张伟,11010519491231002X,服务态度,投诉,,\r\n";

/* How many cases a search for words finds. */
static size_t hits(struct xf_session *s, const char *words)
{
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = words;
	q.per_page = 50;
	struct xf_rows rows;
	struct xf_err err;
	bool more;
	if (search_cases(s, &q, &rows, &more, &err) != XF_OK)
		fail_msg("search %s: %s", words, err.msg);
	size_t n = rows.n;
	rows_free(&rows);
	return n;
}

/* True when the report has a problem at line and column whose text holds `words`. */
static bool has_problem(const struct xf_import_report *rep, long line, int column, const char *header,
                        const char *words)
{
	for (size_t i = 0; i < rep->nproblems; i++) {
		const struct xf_import_problem *p = &rep->problems[i];
		if (p->line == line && p->column == column && strcmp(p->header, header) == 0 && strstr(p->msg, words))
			return true;
	}
	return false;
}

/* Every problem named with its line and column; neither the dry run nor the real run writes. */
static void import_gbk_with_errors(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	char path[400];
	snprintf(path, sizeof path, "%s/old.csv", fx.dir);
	write_encoded(path, gbk_ledger_bad, "GBK");
	struct xf_import_report rep;
	struct xf_err err;
	for (int dry = 1; dry >= 0; dry--) {
		assert_int_equal(ledger_import(&fx.clerk, path, dry, NULL, NULL, &rep, &err), XF_EINVAL);
		assert_string_equal(rep.encoding, "GB18030");
		assert_int_equal(rep.rows, 3);
		assert_int_equal(rep.problem_count, 3);
		assert_true(has_problem(&rep, 3, 3, "收件日期", "2025-13-01"));
		assert_true(has_problem(&rep, 5, 4, "信访方式", "传真"));
		assert_true(has_problem(&rep, 5, 6, "身份证号码", "校验"));
		assert_non_null(strstr(rep.notes, "序号"));
		assert_int_equal(rep.imported, 0);
		import_report_free(&rep);
		assert_int_equal(case_count(&fx), 0);
	}
	struct xf_rows imports;
	assert_int_equal(store_list(fx.st, "imports", NULL, NULL, &imports, &err), XF_OK);
	assert_int_equal(imports.n, 0);
	rows_free(&imports);
	/* The refused import set the index's triggers aside and got them back with the rollback. */
	fixture_case(&fx, "summary=网银转账被退回", NULL);
	assert_int_equal(hits(&fx.clerk, "退回"), 1);
	/* The same file through the command line: the problems by line, column letter and header. */
	char dbenv[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	const char *env[] = {dbenv, "XINFANG_USER=head", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"import", path, "--dry-run", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->out, "第 3 行 C 列（收件日期）"));
	assert_non_null(strstr(r->out, "第 5 行 D 列（信访方式）：来源渠道“传真”不在清单中"));
	assert_non_null(strstr(r->out, "第 5 行 F 列（身份证号码）"));
	assert_non_null(strstr(r->err, "3 处问题"));
	free(r);
	fixture_close(&fx);
}

/* A number whose year cannot be the year the case was registered is named; the next year
 * (received at the year's end, registered after New Year) is accepted. */
static void import_number_year(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	char path[400];
	snprintf(path, sizeof path, "%s/years.csv", fx.dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("编号,收件日期,信访方式,信访人,投诉类别,投诉内容\r\n"
	      "2022年第0009号,2023-05-08,来信,王芳,服务态度,态度差\r\n"
	      "2024年第0001号,2023-12-30,来信,李强,服务态度,年末来信\r\n"
	      "2023年第0002号,2023-12-31,来电,张伟,服务态度,当年登记\r\n"
	      "2026年第0003号,2023-06-01,来电,赵敏,服务态度,编号晚了三年\r\n"
	      "2023年第0002号,2023-12-31,来电,钱七,服务态度,编号重了\r\n",
	      f);
	fclose(f);
	struct xf_import_report rep;
	struct xf_err err;
	assert_int_equal(ledger_import(&fx.clerk, path, true, NULL, NULL, &rep, &err), XF_EINVAL);
	assert_int_equal(rep.problem_count, 3);
	assert_true(has_problem(&rep, 6, 1, "编号", "出现了不止一次（第 4 行已有）"));
	assert_true(has_problem(&rep, 2, 1, "编号", "年份与收件日期 2023-05-08 不符"));
	assert_true(has_problem(&rep, 5, 1, "编号", "年份与收件日期 2023-06-01 不符"));
	import_report_free(&rep);
	fixture_close(&fx);
}

/* The corrected file comes in whole: its numbers and dates, limits computed, the audit saying who
 * imported it; numbering goes on after the imported numbers; a second import is refused. */
static void import_gbk_clean_then_refused(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	char path[400];
	snprintf(path, sizeof path, "%s/old.csv", fx.dir);
	write_encoded(path, gbk_ledger_good, "GBK");
	struct xf_import_report rep;
	struct xf_err err;
	assert_int_equal(ledger_import(&fx.clerk, path, true, NULL, NULL, &rep, &err), XF_OK);
	assert_int_equal(rep.rows, 3);
	assert_int_equal(rep.imported, 0);
	/* Where numbering goes on afterwards is said before anything is written. */
	assert_non_null(strstr(rep.notes, "导入后 2025 年新登记的编号从 2025年第0008号 起（库中这一年还没有编号）"));
	import_report_free(&rep);
	assert_int_equal(case_count(&fx), 0);
	int rc = ledger_import(&fx.clerk, path, false, NULL, NULL, &rep, &err);
	if (rc != XF_OK)
		fail_msg("import: %s (%s)", err.msg, rep.nproblems ? rep.problems[0].msg : "");
	assert_int_equal(rep.imported, 3);
	assert_string_equal(rep.first_number, "2025年第0005号");
	assert_string_equal(rep.last_number, "2025年第0007号");
	import_report_free(&rep);
	assert_int_equal(case_count(&fx), 3);
	int64_t id;
	assert_int_equal(case_find(&fx.clerk, "2025-6", &id, &err), XF_OK);
	struct xf_fields v;
	assert_int_equal(case_view(&fx.clerk, id, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "received"), "2025-03-06");
	assert_string_equal(fields_str(&v, "state"), "已结案");
	assert_string_equal(fields_str(&v, "department"), "运营管理部");
	assert_string_equal(fields_str(&v, "summary"), "转账未到账\n要求查明");
	assert_string_equal(fields_str(&v, "closed_on"), "2025-03-20");
	assert_string_equal(fields_str(&v, "due_transfer"), "2025-03-10"); /* two days, past a weekend */
	assert_string_equal(fields_str(&v, "due_handle"), "2025-03-13");
	fields_free(&v);
	assert_int_equal(case_find(&fx.clerk, "2025-7", &id, &err), XF_OK);
	assert_int_equal(case_view(&fx.clerk, id, &v, &err), XF_OK);
	assert_string_equal(fields_str(&v, "gender"), "女"); /* from the ID number */
	assert_string_equal(fields_str(&v, "state"), "待批");
	fields_free(&v);
	struct xf_rows hist;
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	assert_int_equal(store_list(fx.st, "audit", "case_id", cid, &hist, &err), XF_OK);
	assert_int_equal(hist.n, 1);
	assert_string_equal(fields_str(&hist.v[0], "action"), "import");
	assert_string_equal(fields_str(&hist.v[0], "operator"), "clerk");
	assert_non_null(strstr(fields_str(&hist.v[0], "after"), "\"line\":\"5\""));
	rows_free(&hist);
	assert_int_equal(store_list(fx.st, "audit", "action", "import_file", &hist, &err), XF_OK);
	assert_int_equal(hist.n, 1);
	assert_non_null(strstr(fields_str(&hist.v[0], "after"), "old.csv"));
	assert_string_equal(fields_str(&hist.v[0], "operator"), "clerk");
	rows_free(&hist);
	/* The imported texts and names are found, and a case written after the import too. */
	assert_int_equal(hits(&fx.clerk, "转账"), 1);
	assert_int_equal(hits(&fx.clerk, "王"), 1);
	assert_int_equal(hits(&fx.clerk, "态度"), 1);
	/* A case registered for 2025 afterwards gets the next number, not one the ledger used. */
	int64_t next = fixture_case(&fx, "received=2025-12-01", "summary=存折密码被改", NULL);
	assert_int_equal(hits(&fx.clerk, "存折"), 1);
	struct xf_fields row;
	assert_int_equal(store_get(fx.st, "cases", next, &row, &err), XF_OK);
	assert_string_equal(fields_str(&row, "number"), "2025年第0008号");
	fields_free(&row);
	/* The same file again: refused, nothing doubled, even as a dry run. */
	assert_int_equal(ledger_import(&fx.head, path, false, NULL, NULL, &rep, &err), XF_EEXIST);
	assert_non_null(strstr(err.msg, "导入过"));
	import_report_free(&rep);
	assert_int_equal(ledger_import(&fx.head, path, true, NULL, NULL, &rep, &err), XF_EEXIST);
	import_report_free(&rep);
	assert_int_equal(case_count(&fx), 4);
	fixture_close(&fx);
}

/* An export imported into a new store gives the same export, byte for byte, in both encodings. */
static void round_trip(void **state)
{
	(void)state;
	struct fixture a;
	fixture_open(&a, "2026-11-20");
	rich_store(&a);
	const char *encodings[] = {"GB18030", "UTF-8"};
	for (int i = 0; i < 2; i++) {
		char first[400], second[400];
		snprintf(first, sizeof first, "%s/first-%d.csv", a.dir, i);
		export_to(&a.head, first, XF_LEDGER_CSV, encodings[i]);
		struct fixture b;
		fixture_open(&b, "2026-11-20");
		struct xf_import_report rep;
		struct xf_err err;
		int rc = ledger_import(&b.admin, first, false, NULL, NULL, &rep, &err);
		if (rc != XF_OK)
			fail_msg("import: %s (%s)", err.msg, rep.nproblems ? rep.problems[0].msg : "");
		assert_int_equal(rep.imported, 6);
		import_report_free(&rep);
		snprintf(second, sizeof second, "%s/second.csv", b.dir);
		export_to(&b.admin, second, XF_LEDGER_CSV, encodings[i]);
		size_t la, lb;
		char *ta = slurp_file(first, &la), *tb = slurp_file(second, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(ta, tb, la);
		free(ta);
		free(tb);
		fixture_close(&b);
	}
	fixture_close(&a);
}

/* The command line: a period by receipt date to standard output, a wrong format refused as a
 * usage error, a wrong date refused with what to write, a name that says another format
 * refused, a file that cannot be written said in Chinese. */
static void export_command_line(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	rich_store(&fx);
	char dbenv[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	const char *env[] = {dbenv, "XINFANG_USER=head", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"export", "since=2026-11-19", "until=2026-11-19", "--encoding", "UTF-8",
	                                     "--to", "-", NULL});
	assert_int_equal(r->status, 0);
	assert_memory_equal(r->out, "\xEF\xBB\xBF编号,收件日期,", strlen("\xEF\xBB\xBF编号,收件日期,"));
	assert_null(strstr(r->out, "2026年第0001号")); /* received 2026-11-18 */
	assert_non_null(strstr(r->out, "\r\n2026年第0002号,2026-11-19,"));
	assert_non_null(strstr(r->out, "\r\n2026年第0003号,2026-11-19,"));
	assert_null(strstr(r->out, "2026年第0004号"));
	run_xinfang(r, env, (const char *[]){"export", "--format", "pdf", "--to", "x", NULL});
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "csv 或 xlsx"));
	run_xinfang(r, env, (const char *[]){"export", "since=2026-13-01", "--to", "-", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "YYYY-MM-DD"));
	/* A file name whose extension says another format is refused before anything is written
	 * (CSV bytes in x.xls, a workbook in y.csv); without --format, .xlsx gives the workbook; a
	 * file that cannot be written is said in Chinese with what to do. */
	char xls[400], csv_named[400], xlsx[400], missing[400];
	snprintf(xls, sizeof xls, "%s/x.xls", fx.dir);
	snprintf(csv_named, sizeof csv_named, "%s/y.csv", fx.dir);
	snprintf(xlsx, sizeof xlsx, "%s/z.XLSX", fx.dir);
	snprintf(missing, sizeof missing, "%s/没有的目录/a.csv", fx.dir);
	run_xinfang(r, env, (const char *[]){"export", "--to", xls, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "x.xls 与格式不符"));
	assert_non_null(strstr(r->err, ".csv"));
	assert_int_equal(access(xls, F_OK), -1);
	run_xinfang(r, env, (const char *[]){"export", "--format", "xlsx", "--to", csv_named, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "y.csv 与格式不符"));
	assert_int_equal(access(csv_named, F_OK), -1);
	run_xinfang(r, env, (const char *[]){"export", "--format", "csv", "--to", xlsx, NULL});
	assert_int_equal(r->status, 1);
	run_xinfang(r, env, (const char *[]){"export", "--to", xlsx, NULL});
	assert_int_equal(r->status, 0);
	FILE *f = fopen(xlsx, "rb");
	assert_non_null(f);
	char magic[2] = "";
	assert_int_equal(fread(magic, 1, 2, f), 2);
	fclose(f);
	assert_memory_equal(magic, "PK", 2); /* a zip: the workbook */
	/* The workbook itself brought to import is said to be one, with how to save it as CSV; a
	 * file that is not there is said in Chinese. */
	run_xinfang(r, env, (const char *[]){"import", xlsx, "--dry-run", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "是 Excel 工作簿（.xlsx），不是 CSV"));
	assert_non_null(strstr(r->err, "另存为"));
	run_xinfang(r, env, (const char *[]){"import", missing, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "找不到台账文件"));
	assert_null(strstr(r->err, "No such file"));
	/* 𠮷 is written right in GB18030 but not in GBK, which Excel reads on a double-click: said. */
	char gb[400];
	snprintf(gb, sizeof gb, "%s/gb.csv", fx.dir);
	run_xinfang(r, env, (const char *[]){"export", "--to", gb, NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->err, "不在 GBK 字符集之内"));
	assert_non_null(strstr(r->err, "--encoding UTF-8"));
	run_xinfang(r, env, (const char *[]){"export", "--encoding", "UTF-8", "--to", gb, NULL});
	assert_int_equal(r->status, 0);
	assert_null(strstr(r->err, "GBK"));
	long beyond = -1, rows = 0;
	struct xf_err err;
	struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, "GB18030", gb, NULL, NULL, &beyond, NULL};
	assert_int_equal(ledger_export(&fx.head, &opts, &rows, &err), XF_OK);
	assert_true(beyond >= 2); /* the name 𠮷䶮 and the summary's 𠮷 at least */
	opts.encoding = "UTF-8";
	assert_int_equal(ledger_export(&fx.head, &opts, &rows, &err), XF_OK);
	assert_int_equal(beyond, 0);
	run_xinfang(r, env, (const char *[]){"export", "--to", missing, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "没有的目录 不存在"));
	assert_non_null(strstr(r->err, "请先建好这个目录"));
	assert_null(strstr(r->err, "No such file"));
	free(r);
	fixture_close(&fx);
}

/* The CSV reader on its own: quotes, doubled quotes, CRLF inside a field, a missing last line end,
 * the BOM, and an unclosed quote named by its line. */
static void csv_reader(void **state)
{
	(void)state;
	static const char text[] = "\xEF\xBB\xBF"
	                           "a,\"b,1\",\"c \"\"q\"\"\"\r\n"
	                           "\"x\r\ny\",,z\n"
	                           "last,\"open\n";
	struct xf_csv c;
	struct xf_csv_record r;
	memset(&r, 0, sizeof r);
	struct xf_err err;
	csv_init(&c, text, strlen(text));
	assert_int_equal(csv_next(&c, &r, &err), 1);
	assert_int_equal(r.n, 3);
	assert_string_equal(csv_field(&r, 0), "a");
	assert_string_equal(csv_field(&r, 1), "b,1");
	assert_string_equal(csv_field(&r, 2), "c \"q\"");
	assert_int_equal(csv_next(&c, &r, &err), 1);
	assert_int_equal(r.line, 2);
	assert_string_equal(csv_field(&r, 0), "x\r\ny");
	assert_string_equal(csv_field(&r, 1), "");
	assert_string_equal(csv_field(&r, 2), "z");
	assert_int_equal(csv_next(&c, &r, &err), -1);
	assert_non_null(strstr(err.msg, "第 4 行"));
	csv_record_free(&r);
	struct xf_buf b;
	buf_init(&b);
	csv_put_field(&b, "plain", true);
	csv_put_field(&b, "a,b", false);
	csv_put_field(&b, "say \"hi\"", false);
	csv_put_field(&b, "two\nlines", false);
	csv_end_record(&b);
	assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
	buf_free(&b);
	char name[8];
	csv_column_name(0, name);
	assert_string_equal(name, "A");
	csv_column_name(27, name);
	assert_string_equal(name, "AB");
}

/* A file that reads as neither encoding is named at the line its stray bytes are on (a UTF-8
 * file with \xff\xfe on line 3, whose line 1 is not GB18030 either); a quote left open is
 * named once, at the line and column where it opens. */
static void import_problem_lines(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	char path[400];
	snprintf(path, sizeof path, "%s/stray.csv", fx.dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("编号,收件日期,信访方式,信访人,投诉类别,投诉内容\r\n"
	      "2026年第0001号,2026-05-08,来信,王芳,服务态度,态度差\r\n"
	      "2026年第0002号,2026-05-09,来信,李强,服务态度,\xff\xfe柜台\r\n",
	      f);
	fclose(f);
	struct xf_import_report rep;
	struct xf_err err;
	assert_int_equal(ledger_import(&fx.clerk, path, true, NULL, NULL, &rep, &err), XF_EINVAL);
	if (strstr(err.msg, "第 3 行有") == NULL)
		fail_msg("wrong line: %s", err.msg);
	import_report_free(&rep);
	snprintf(path, sizeof path, "%s/quote.csv", fx.dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("编号,收件日期,信访方式,信访人,投诉类别,投诉内容\r\n"
	      "2026年第0001号,2026-05-08,来信,王芳,服务态度,态度差\r\n"
	      "2026年第0002号,2026-05-09,来信,\"李强,服务态度,柜台\r\n"
	      "2026年第0003号,2026-05-10,来信,张伟,服务态度,柜台\r\n",
	      f);
	fclose(f);
	assert_int_equal(ledger_import(&fx.clerk, path, true, NULL, NULL, &rep, &err), XF_EINVAL);
	assert_int_equal(rep.problem_count, 1);
	assert_true(has_problem(&rep, 3, 4, "信访人", "引号没有结束"));
	assert_null(strstr(rep.problems[0].msg, "行"));
	import_report_free(&rep);
	char dbenv[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	const char *env[] = {dbenv, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"import", path, "--dry-run", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->out, "第 3 行 D 列（信访人）：这一格的引号没有结束"));
	free(r);
	fixture_close(&fx);
}

/* The store's own connection (src/core/store_private.h), to watch the statements it runs. */
sqlite3 *store_sqlite(struct xf_store *st);

/* Counts the statements that read a row back as its canonical JSON (the trail's SQL snapshot). */
static int count_row_reads(unsigned type, void *ctx, void *p, void *x)
{
	(void)type, (void)x;
	const char *sql = sqlite3_sql(p);
	if (sql && strncmp(sql, "SELECT json_patch('{}', json_object(", 36) == 0 && strstr(sql, "WHERE rowid = ?1"))
		(*(long *)ctx)++;
	return 0;
}

/* A row's canonical JSON as SQL builds it: each column in table order, those holding their
 * declared default or NULL left out (written here from the rule, not from the store's code). */
static char *sql_row_json(sqlite3 *db, const char *table, long long rowid)
{
	struct xf_buf expr;
	buf_init(&expr);
	buf_puts(&expr, "SELECT json_patch('{}', json_object(");
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, dflt_value FROM pragma_table_info(?1)", -1, &stmt, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
	for (int n = 0; sqlite3_step(stmt) == SQLITE_ROW; n++) {
		const char *col = (const char *)sqlite3_column_text(stmt, 0);
		if (sqlite3_column_type(stmt, 1) == SQLITE_NULL)
			buf_printf(&expr, "%s'%s', \"%s\"", n ? ", " : "", col, col);
		else
			buf_printf(&expr, "%s'%s', NULLIF(\"%s\", %s)", n ? ", " : "", col, col, sqlite3_column_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	buf_printf(&expr, ")) FROM \"%s\" WHERE rowid = %lld", table, rowid);
	assert_int_equal(sqlite3_prepare_v2(db, expr.data, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	char *json = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	buf_free(&expr);
	return json;
}

/* Every import record's snapshot, rebuilt row by row through SQL, is byte for byte the one
 * stored; returns the number of rows compared. */
static long snapshots_as_sql(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *records, *keys;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, snapshot FROM audit WHERE action = 'import' ORDER BY id", -1,
	                                    &records, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT key FROM json_each(?1)", -1, &keys, NULL), SQLITE_OK);
	long rows = 0;
	while (sqlite3_step(records) == SQLITE_ROW) {
		const char *stored = (const char *)sqlite3_column_text(records, 1);
		struct xf_buf want;
		buf_init(&want);
		buf_puts(&want, "{");
		sqlite3_bind_text(keys, 1, stored, -1, SQLITE_STATIC);
		while (sqlite3_step(keys) == SQLITE_ROW) {
			char table[64];
			long long rowid;
			assert_int_equal(sscanf((const char *)sqlite3_column_text(keys, 0), "%63[^:]:%lld", table, &rowid), 2);
			char *json = sql_row_json(db, table, rowid);
			buf_printf(&want, "%s\"%s:%lld\":%s", want.len > 1 ? "," : "", table, rowid, json);
			free(json);
			rows++;
		}
		sqlite3_reset(keys);
		buf_puts(&want, "}");
		if (strcmp(stored, want.data) != 0)
			fail_msg("audit record %lld stores\n%s\nSQL builds\n%s", (long long)sqlite3_column_int64(records, 0), stored,
			         want.data);
		buf_free(&want);
	}
	sqlite3_finalize(keys);
	sqlite3_finalize(records);
	sqlite3_close(db);
	return rows;
}

/* Import builds each row's snapshot from the values it writes, not by reading the row back:
 * byte for byte what SQL builds (texts with quotes, backslashes, control characters, rare and
 * invisible characters; integers; defaults left out), and the imported store verifies. */
static void import_snapshots_from_values(void **state)
{
	(void)state;
	struct fixture a;
	fixture_open(&a, "2026-11-20");
	rich_store(&a);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(a.db, &db), SQLITE_OK);
	const char *plant = "UPDATE cases SET summary = '引号\"与反斜杠\\\\、' || char(1, 8, 9, 10, 12, 13, 27, 31, 127, 133, 8232) "
	                    "|| '尾', subject = '/\\u0041' WHERE number = '2026年第0001号';"
	                    "UPDATE petitioners SET address = char(92, 34, 92) || '地址' WHERE name = '刘洋';";
	char *msg = NULL;
	if (sqlite3_exec(db, plant, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("plant: %s", msg);
	sqlite3_close(db);
	char path[400];
	snprintf(path, sizeof path, "%s/ledger.csv", a.dir);
	export_to(&a.clerk, path, XF_LEDGER_CSV, "UTF-8");
	struct fixture b;
	fixture_open(&b, "2026-11-20");
	long reads = 0;
	sqlite3_trace_v2(store_sqlite(b.st), SQLITE_TRACE_STMT, count_row_reads, &reads);
	struct xf_import_report rep;
	struct xf_err err;
	if (ledger_import(&b.clerk, path, false, NULL, NULL, &rep, &err) != XF_OK)
		fail_msg("import: %s (%s)", err.msg, rep.nproblems ? rep.problems[0].msg : "");
	assert_int_equal(rep.imported, 6);
	import_report_free(&rep);
	sqlite3_trace_v2(store_sqlite(b.st), 0, NULL, NULL);
	assert_int_equal(reads, 0);
	/* The case, its petitioner and its records: more rows than cases. */
	assert_true(snapshots_as_sql(b.db) > 12);
	struct xf_verify v;
	assert_int_equal(verify_store(b.st, 0, NULL, &v, &err), XF_OK);
	if (v.failures != 0)
		fail_msg("the imported store fails verify:\n%s", v.text.data);
	verify_free(&v);
	fixture_close(&b);
	fixture_close(&a);
}

/* Gives a fixture's store the head office HQ and the branch BJ01 under it; a BJ01 clerk and
 * head logged in into bjclerk and bjhead (either may be NULL). */
static void with_branches(struct fixture *fx, struct xf_session *bjclerk, struct xf_session *bjhead)
{
	struct xf_err err;
	int64_t bj;
	assert_int_equal(branch_set_own(fx->st, "admin", "HQ", "总行", &err), XF_OK);
	if (branch_add(&fx->admin, "BJ01", "北京分行", NULL, &bj, &err) != XF_OK)
		fail_msg("branch add: %s", err.msg);
	const char *names[] = {"bjclerk", "bjhead"}, *roles[] = {"operator", "head"};
	struct xf_session *sessions[] = {bjclerk, bjhead};
	for (int i = 0; i < 2; i++) {
		if (auth_user_add_in(&fx->admin, names[i], roles[i], "", "", "BJ01", "secret1", &err) != XF_OK)
			fail_msg("user add: %s", err.msg);
		if (sessions[i] && auth_login(fx->st, names[i], "secret1", sessions[i], &err) != XF_OK)
			fail_msg("login: %s", err.msg);
	}
	/* The fixture's accounts logged in before the own branch had its code: again. */
	session_close(&fx->admin);
	session_close(&fx->head);
	assert_int_equal(auth_login(fx->st, "admin", "secret1", &fx->admin, &err), XF_OK);
	assert_int_equal(auth_login(fx->st, "head", "secret1", &fx->head, &err), XF_OK);
}

/* The message of the first problem of an import that must fail, for a test to look into. */
static void import_fails(struct xf_session *s, const char *path, const char *want)
{
	struct xf_import_report rep;
	struct xf_err err;
	assert_int_not_equal(ledger_import(s, path, true, NULL, NULL, &rep, &err), XF_OK);
	assert_true(rep.nproblems > 0);
	if (strstr(rep.problems[0].msg, want) == NULL)
		fail_msg("problem: %s (wanted %s)", rep.problems[0].msg, want);
	assert_true(rep.problems[0].line >= 2); /* a data line, not the header */
	import_report_free(&rep);
}

/* A store of several branches: the export carries branch-coded numbers (BJ01-2026年第0001号)
 * and import reads them into their branches, byte for byte again on export; the branches'
 * numbering goes on past them; a code the store lacks, or one outside the importer's reach, is
 * a problem of its line. */
static void round_trip_branches(void **state)
{
	(void)state;
	struct fixture a;
	fixture_open(&a, "2026-11-20");
	struct xf_session bjclerk, bjhead;
	with_branches(&a, &bjclerk, &bjhead);
	fixture_case_by(&a.clerk, NULL, "name=刘洋", "received=2026-11-18", NULL);
	int64_t b1 = fixture_case_by(&bjclerk, NULL, "name=陈静", "received=2026-11-19", NULL);
	fixture_case_by(&bjclerk, NULL, "name=王芳", "received=2026-11-19", "spot_answer=已当场解释", NULL);
	fixture_move(&bjhead, b1, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	char first[400], second[400];
	snprintf(first, sizeof first, "%s/branches.csv", a.dir);
	struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, "UTF-8", first, NULL, NULL, NULL, NULL};
	struct xf_err err;
	long rows;
	if (ledger_export(&a.admin, &opts, &rows, &err) != XF_OK)
		fail_msg("export: %s", err.msg);
	assert_int_equal(rows, 3);
	size_t la;
	char *ta = slurp_file(first, &la);
	assert_non_null(strstr(ta, "BJ01-2026年第0002号"));
	assert_non_null(strstr(ta, "HQ-2026年第0001号"));

	/* A store with the same branches takes the file, each case into its branch. */
	struct fixture b;
	fixture_open(&b, "2026-11-20");
	struct xf_session bclerk;
	with_branches(&b, &bclerk, NULL);
	struct xf_import_report rep;
	/* The head office's head does not reach BJ01: its lines are problems, nothing written. */
	import_fails(&b.head, first, "BJ01 不是您范围内的分支机构");
	if (ledger_import(&b.admin, first, false, NULL, NULL, &rep, &err) != XF_OK)
		fail_msg("import: %s (%s)", err.msg, rep.nproblems ? rep.problems[0].msg : "");
	assert_int_equal(rep.imported, 3);
	import_report_free(&rep);
	int64_t id;
	assert_int_equal(case_find(&bclerk, "BJ01-2026-0002", &id, &err), XF_OK);
	assert_int_equal(case_find(&b.clerk, "BJ01-2026-0002", &id, &err), XF_ENOTFOUND);
	assert_int_equal(case_find(&b.clerk, "2026-0001", &id, &err), XF_OK);
	snprintf(second, sizeof second, "%s/second.csv", b.dir);
	opts.path = second;
	if (ledger_export(&b.admin, &opts, &rows, &err) != XF_OK)
		fail_msg("export: %s", err.msg);
	size_t lb;
	char *tb = slurp_file(second, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(ta, tb, la);
	free(tb);
	/* BJ01's numbering goes on after the imported numbers, the head office's after its own. */
	char number[32];
	fixture_case_by(&bclerk, number, "name=赵雷", NULL);
	assert_string_equal(number, "BJ01-2026年第0003号");
	fixture_case_by(&b.clerk, number, "name=赵雷", NULL);
	assert_string_equal(number, "HQ-2026年第0002号");
	struct xf_verify v;
	assert_int_equal(verify_store(b.st, XF_VERIFY_KEEP_ANCHOR | XF_VERIFY_NEW_ANCHOR, NULL, &v, &err), XF_OK);
	if (v.failures != 0)
		fail_msg("verify fails:\n%s", v.text.data);
	verify_free(&v);
	session_close(&bclerk);
	fixture_close(&b);

	/* A store without BJ01: the line says which code it does not know. */
	struct fixture c;
	fixture_open(&c, "2026-11-20");
	struct xf_err e2;
	assert_int_equal(branch_set_own(c.st, "admin", "HQ", "总行", &e2), XF_OK);
	session_close(&c.admin);
	assert_int_equal(auth_login(c.st, "admin", "secret1", &c.admin, &e2), XF_OK);
	import_fails(&c.admin, first, "编号 BJ01-2026年第0001号 的机构代码 BJ01");
	assert_int_equal(case_count(&c), 0);
	fixture_close(&c);
	free(ta);
	session_close(&bjclerk);
	session_close(&bjhead);
	fixture_close(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_reader),
		cmocka_unit_test(csv_read_back),
		cmocka_unit_test(xlsx_read_back),
		cmocka_unit_test(handler_refused),
		cmocka_unit_test(formula_guard),
		cmocka_unit_test(control_characters_escaped),
		cmocka_unit_test(import_gbk_with_errors),
		cmocka_unit_test(import_gbk_clean_then_refused),
		cmocka_unit_test(import_number_year),
		cmocka_unit_test(import_problem_lines),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(round_trip_branches),
		cmocka_unit_test(import_snapshots_from_values),
		cmocka_unit_test(export_command_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The ledger at the desk: an Excel ledger with a mistake is checked and refused with the line and
 * column named, the corrected one comes in after the question, with its progress shown. */
#include "../unit/testutil.h"
#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinfang/text.h"

static const char ledger_bad[] =
	"编号,收件日期,信访方式,信访人,投诉类别,投诉内容\r\n"
	"2025年第0005号,2025/3/5,来信,王芳,服务态度,\"柜员态度差,要求道歉\"\r\n"
	"2025年第0006号,2025-13-01,来访,李强,工作失误,\"转账未到账\r\n要求查明\"\r\n"
	"2025年第0007号,2025年3月8日,来电,张伟,服务态度,投诉\r\n";

/* Writes UTF-8 text to a file as GBK, as Chinese Excel saves a CSV. */
static void write_gbk(const char *path, const char *utf8)
{
	char *out;
	size_t len;
	assert_int_equal(text_convert(utf8, strlen(utf8), "GBK", &out, &len, NULL), XF_OK);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(out, 1, len, f), len);
	fclose(f);
	free(out);
}

/* Fails with the screen when text does not show. */
static void must_see(struct term *t, const char *text, int ms)
{
	if (!term_wait(t, text, ms)) {
		char *s = term_text(t);
		fail_msg("\"%s\" not on the screen:\n%s", text, s);
	}
}

/* A new training store in a new folder dir (a mkdtemp template), its XINFANG_DB entry in db. */
static void store_setup(char *dir, char *db, size_t dbn, const char *const *env)
{
	assert_non_null(mkdtemp(dir));
	snprintf(db, dbn, "XINFANG_DB=%s/desk.db", dir);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"init", "--training", NULL});
	assert_int_equal(r->status, 0);
	free(r);
}

/* Writes text to a file as it is. */
static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Checked, refused with the place of the mistake, corrected, imported. */
static void import_checked_then_done(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-desk-ledger-XXXXXX";
	char db[128], bad[128], good[128];
	const char *env[] = {db, "XINFANG_TODAY=2026-11-20", "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", NULL};
	store_setup(dir, db, sizeof db, env);
	snprintf(bad, sizeof bad, "%s/旧台账.csv", dir);
	snprintf(good, sizeof good, "%s/good.csv", dir);
	struct run_result *r = malloc(sizeof *r);
	write_gbk(bad, ledger_bad);
	char *fixed = xstrdup(ledger_bad);
	memcpy(strstr(fixed, "2025-13-01"), "2025-03-06", 10);
	write_gbk(good, fixed);
	free(fixed);

	struct term t;
	term_start(&t, 24, 80, env, (const char *[]){NULL});
	must_see(&t, "信 访 工 作 台", 5000);
	must_see(&t, "台账导入", 2000);
	term_send(&t, "7");
	must_see(&t, "导入台账", 3000);
	term_send(&t, bad);
	term_send(&t, K_F2);
	must_see(&t, "1 处问题", 5000);
	must_see(&t, "第 3 行 B 列（收件日期）", 1000);
	term_send(&t, " ");
	must_see(&t, "请改正后再导入", 3000);
	term_send(&t, "\025"); /* Ctrl-U clears the field */
	term_send(&t, good);
	term_send(&t, K_F2);
	must_see(&t, "检查无误：3 件（GB18030 编码", 5000);
	term_send(&t, "y");
	must_see(&t, "已导入 3 件（编号 2025年第0005号 至 2025年第0007号）", 5000);
	term_stop(&t, SIGTERM, 5000);
	term_free(&t);

	run_xinfang(r, env, (const char *[]){"show", "2025-6", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "received\t2025-03-06"));
	run_xinfang(r, env, (const char *[]){"import", good, NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "导入过"));
	free(r);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* A ledger with columns the desk does not know and many long problems: every problem readable
 * whole (wrapped, the list scrolls to its end), the unknown columns named before the question,
 * and the status bar counting the imported cases at once. */
static void import_problems_whole_and_status_recounted(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-desk-ledger-XXXXXX";
	char db[128], bad[128], good[128];
	const char *env[] = {db, "XINFANG_TODAY=2026-11-20", "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", NULL};
	store_setup(dir, db, sizeof db, env);
	snprintf(bad, sizeof bad, "%s/bad.csv", dir);
	snprintf(good, sizeof good, "%s/good.csv", dir);
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "序号,编号,来信来访日期,信访方式,信访人,投诉类别,投诉内容,备注栏\r\n");
	for (int i = 1; i <= 40; i++)
		buf_printf(&b, "%d,2026年第%04d号,2026年2月30日,来信,王芳,服务态度,态度差,无\r\n", i, i);
	write_text(bad, b.data);
	buf_free(&b);
	write_text(good, "序号,编号,来信来访日期,信访方式,信访人,投诉类别,投诉内容,备注栏\r\n"
	                 "1,2026年第0001号,2026-11-02,来信,王芳,服务态度,态度差,无\r\n"
	                 "2,2026年第0002号,2026-11-03,来电,李强,服务态度,态度差,无\r\n");

	struct term t;
	term_start(&t, 24, 80, env, (const char *[]){NULL});
	must_see(&t, "信 访 工 作 台", 5000);
	must_see(&t, "待批转 0 ", 2000);
	term_send(&t, "7");
	must_see(&t, "导入台账", 3000);
	term_send(&t, bad);
	term_send(&t, "\r"); /* Enter checks, as F2 does */
	must_see(&t, "40 处问题", 5000);
	/* The problem is readable to its end, its second half on the next line. */
	must_see(&t, "第 2 行 C 列（来信来访日期）：收件日期“2026年2月30日”不是日期", 1000);
	must_see(&t, "（也可 2026/1/5 或 2026年1月5日）", 1000);
	must_see(&t, "A 列“序号”、H 列“备注栏”", 1000);
	assert_false(term_wait(&t, "第 41 行", 200));
	term_send(&t, K_END);
	must_see(&t, "第 41 行 C 列", 2000);
	term_send(&t, " ");
	must_see(&t, "请改正后再导入", 3000);
	term_send(&t, "\025");
	term_send(&t, good);
	term_send(&t, "\r");
	must_see(&t, "现在导入？", 5000);
	must_see(&t, "A 列“序号”、H 列“备注栏”", 1000); /* the notes are there to read before answering */
	term_send(&t, "y");
	must_see(&t, "已导入 2 件", 5000);
	must_see(&t, "待批转 2 ", 1500); /* the desk's own write: recounted at once */
	term_stop(&t, SIGTERM, 5000);
	term_free(&t);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(import_checked_then_done),
		cmocka_unit_test(import_problems_whole_and_status_recounted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

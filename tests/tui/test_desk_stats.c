/* The statistics screen as the office head uses it: the accountability list with a long
 * handler's name whole, a period after today without weeks to compare, the export refusing a
 * spreadsheet's name, writing UTF-8 with its byte order mark and starting from the encoding
 * chosen last. The real binary in a real pty, read back through libvterm. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xinfang/paths.h"

/* True when the file starts with the UTF-8 byte order mark. */
static bool starts_with_bom(const char *path)
{
	char *bytes = NULL;
	size_t len = 0;
	assert_int_equal(paths_read_file(path, &bytes, &len, NULL), XF_OK);
	bool bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0;
	free(bytes);
	return bom;
}

/* The head's statistics at the desk. */
static void statistics_at_the_desk(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-02");
	int64_t late = fixture_case(&fx, "received=2026-11-02", "category=服务态度", NULL);
	fixture_move(&fx.head, late, XF_MV_TRANSFER, "dept=个人金融部", "handler=阿卜杜热合曼·买买提", NULL);
	char dbenv[400], home[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	snprintf(home, sizeof home, "HOME=%s", fx.dir);
	const char *env[] = {dbenv, home, "XINFANG_TODAY=2026-11-20", "XINFANG_USER=head", "XINFANG_PASSWORD=secret1", NULL};
	struct term t;
	term_start(&t, 24, 80, env, (const char *[]){NULL});
	must_see(&t, "信 访 工 作 台", 5000);
	term_send(&t, "6");
	must_see(&t, "收到事项 1 件", 3000);
	/* The overdue case's handler whole, not cut at the label column. */
	term_send(&t, K_END);
	must_see(&t, "超期事项（按经办人）", 2000);
	char *line = term_row_with(&t, "阿卜杜热合曼");
	assert_non_null(strstr(line, "阿卜杜热合曼·买买提"));
	assert_non_null(strstr(line, "█"));
	free(line);
	/* A spreadsheet's name is refused, nothing written; the dialog stays open as typed. */
	term_send(&t, "e");
	must_see(&t, "导出统计", 3000);
	line = term_row_with(&t, "编    码");
	assert_non_null(strstr(line, "GB18030"));
	free(line);
	char *xlsx = xasprintf("%s/desk-stats.xlsx", fx.dir), *keys = xasprintf("\025%s", xlsx);
	term_send(&t, keys);
	term_send(&t, K_F2);
	must_see(&t, "desk-stats.xlsx 与格式不符", 3000);
	assert_int_equal(access(xlsx, F_OK), -1);
	/* UTF-8 chosen: the CSV starts with the byte order mark. */
	char *first = xasprintf("%s/first.csv", fx.dir);
	free(keys);
	keys = xasprintf("\025%s\t" K_RIGHT, first);
	term_send(&t, keys);
	must_see(&t, "UTF-8", 2000);
	term_send(&t, K_F2);
	must_see(&t, "统计已导出到", 3000);
	must_see(&t, "（CSV，UTF-8）", 1000);
	assert_true(starts_with_bom(first));
	/* The next export starts from UTF-8, as it starts from the folder. */
	term_send(&t, "e");
	must_see(&t, "导出统计", 3000);
	line = term_row_with(&t, "编    码");
	assert_non_null(strstr(line, "UTF-8"));
	assert_null(strstr(line, "GB18030"));
	free(line);
	char *second = xasprintf("%s/second.csv", fx.dir);
	free(keys);
	keys = xasprintf("\025%s", second);
	term_send(&t, keys);
	term_send(&t, K_F2);
	must_see(&t, "second.csv", 3000);
	assert_true(starts_with_bom(second));
	/* A year after today: no weeks to compare, said in one line; no warnings. */
	term_send(&t, "y");
	must_see(&t, "统计 2026年", 3000);
	term_send(&t, K_RIGHT);
	must_see(&t, "统计 2027年", 3000);
	term_send(&t, K_END);
	must_see(&t, "环比增长：不计，期间在今天（2026-11-20）之后", 3000);
	char *screen = term_text(&t);
	assert_null(strstr(screen, "预警"));
	assert_null(strstr(screen, "对比"));
	free(screen);
	free(keys);
	free(first);
	free(second);
	free(xlsx);
	term_free(&t);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(statistics_at_the_desk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Statistics checked against figures counted by hand from known cases on known dates: every
 * count, every rate's numerator and denominator, handling days on the calendar, growth
 * warnings, overdue cases; the page, the CSV, printing and the command line. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "xinfang/clock.h"
#include "xinfang/paths.h"
#include "xinfang/report.h"
#include "xinfang/slip.h"
#include "xinfang/text.h"

/* Sets today. */
static void today(const char *iso)
{
	assert_int_equal(clock_set_today_iso(iso, NULL), XF_OK);
}

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
		fail_msg("move %d on %lld: %s", (int)mv, (long long)id, err.msg);
}

/* The count of a bar, or -1 when it is absent. */
static long bar(const struct xf_stat_counts *c, const char *label)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].label, label) == 0)
			return c->v[i].n;
	return -1;
}

/* Asserts a rate's numerator and denominator. */
static void rate_is(const struct xf_stats *st, enum xf_rate_kind k, long num, long den)
{
	if (st->rates[k].num != num || st->rates[k].den != den)
		fail_msg("%s: got %ld/%ld, want %ld/%ld", report_rate_label(k), st->rates[k].num, st->rates[k].den, num, den);
}

/* The growth of a category. */
static const struct xf_growth *growth_of(const struct xf_stats *st, const char *category)
{
	for (size_t i = 0; i < st->ngrowth; i++)
		if (strcmp(st->growth[i].category, category) == 0)
			return &st->growth[i];
	fail_msg("no growth row for %s", category);
	return NULL;
}

/* The March 2026 office, counted by hand (2026-03-02 is a Monday; no holidays in March):
 *   A 03-02 来访 服务态度: transferred 03-03 (due 03-04, on time), outcome 03-06 满意 (due 03-09,
 *     on time; 4 working days), replied 03-10 (due 04-02), closed; later repeated by C.
 *   B 03-02 来电 工作失误: transferred 03-05 (late), outcome 03-12 不满意 by 孙明 (late;
 *     8 working days); overdue for 运营管理部 / 孙明.
 *   C 03-03 来访 服务态度, repeat of A: transferred 03-04 (due 03-05), returned, transferred
 *     again 03-06 (the first transfer counts: on time); no outcome, handle due 03-10 past
 *     today 03-20: overdue for 个人金融部, no handler named.
 *   D 03-09 网络 咨询: answered on the spot (closed, first time).
 *   E 03-10 来信 服务产品 60000 元 (重要): transferred 03-11 (due 03-12), outcome 03-13 未表态
 *     (3 working days), replied 03-16.
 *   F 02-27: outside the month. */
static void build_march(struct fixture *fx, int64_t id[6])
{
	today("2026-02-27");
	id[5] = fixture_case(fx, "received=2026-02-27", "channel=来电", NULL);
	today("2026-03-02");
	id[0] = fixture_case(fx, "received=2026-03-02", "channel=来访", "category=服务态度", "jrt_channel=营业现场",
	                     "jrt_cause=C01", NULL);
	id[1] = fixture_case(fx, "received=2026-03-02", "channel=来电", "category=工作失误", "name=钱多", NULL);
	today("2026-03-03");
	struct xf_fields a;
	struct xf_err err;
	assert_int_equal(store_get(fx->st, "cases", id[0], &a, &err), XF_OK);
	char repeat[64];
	snprintf(repeat, sizeof repeat, "repeat_of=%s", fields_str(&a, "number"));
	fields_free(&a);
	id[2] = fixture_case(fx, "received=2026-03-03", "channel=来访", "category=服务态度", repeat, NULL);
	move(&fx->head, id[0], XF_MV_TRANSFER, "dept=个人金融部", "handler=赵敏", NULL);
	today("2026-03-04");
	move(&fx->head, id[2], XF_MV_TRANSFER, "dept=个人金融部", NULL);
	move(&fx->head, id[2], XF_MV_RETURN, "reason=不属本部门", NULL);
	today("2026-03-05");
	move(&fx->head, id[1], XF_MV_TRANSFER, "dept=运营管理部", "handler=孙明", NULL);
	today("2026-03-06");
	move(&fx->clerk, id[0], XF_MV_OUTCOME, "findings=属实", "satisfaction=满意", NULL);
	move(&fx->head, id[2], XF_MV_TRANSFER, "dept=个人金融部", NULL);
	today("2026-03-09");
	id[3] = fixture_case(fx, "received=2026-03-09", "channel=网络", "category=咨询", "spot_answer=已当场解答", NULL);
	today("2026-03-10");
	move(&fx->clerk, id[0], XF_MV_REPLY, "method=书面", NULL);
	move(&fx->clerk, id[0], XF_MV_CLOSE, NULL);
	id[4] = fixture_case(fx, "received=2026-03-10", "channel=来信", "category=服务产品", "amount=60000", NULL);
	today("2026-03-11");
	move(&fx->head, id[4], XF_MV_TRANSFER, "dept=公司金融部", NULL);
	today("2026-03-12");
	move(&fx->clerk, id[1], XF_MV_OUTCOME, "findings=部分属实", "satisfaction=不满意", "handler=孙明", NULL);
	today("2026-03-13");
	move(&fx->clerk, id[4], XF_MV_OUTCOME, "findings=不属实", "satisfaction=未表态", NULL);
	today("2026-03-16");
	move(&fx->clerk, id[4], XF_MV_REPLY, "method=口头", NULL);
	today("2026-03-20");
}

/* Every figure of March against the hand count. */
static void test_march_by_hand(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-02-27");
	int64_t id[6];
	build_march(&fx, id);
	struct xf_stats st;
	struct xf_err err;
	char since[11], until[11];
	assert_int_equal(report_period("month", "2026-03", since, until, &err), XF_OK);
	assert_string_equal(since, "2026-03-01");
	assert_string_equal(until, "2026-03-31");
	assert_int_equal(report_stats(&fx.head, since, until, &st, &err), XF_OK);
	assert_int_equal(st.received, 5);
	const struct xf_stat_counts *ch = &st.axes[XF_AXIS_CHANNEL];
	assert_int_equal(ch->n, 4);
	assert_int_equal(bar(ch, "来访"), 2);
	assert_int_equal(bar(ch, "来电"), 1);
	assert_int_equal(bar(ch, "网络"), 1);
	assert_int_equal(bar(ch, "来信"), 1);
	assert_string_equal(ch->v[0].label, "来访");
	const struct xf_stat_counts *cat = &st.axes[XF_AXIS_CATEGORY];
	assert_int_equal(cat->n, 4);
	assert_int_equal(bar(cat, "服务态度"), 2);
	assert_int_equal(bar(cat, "工作失误"), 1);
	assert_int_equal(bar(cat, "咨询"), 1);
	assert_int_equal(bar(cat, "服务产品"), 1);
	const struct xf_stat_counts *dept = &st.axes[XF_AXIS_DEPARTMENT];
	assert_int_equal(dept->n, 4);
	assert_int_equal(bar(dept, "个人金融部"), 2);
	assert_int_equal(bar(dept, "运营管理部"), 1);
	assert_int_equal(bar(dept, "公司金融部"), 1);
	assert_int_equal(bar(dept, "（未转办）"), 1);
	assert_int_equal(bar(&st.axes[XF_AXIS_IMPORTANCE], "一般"), 4);
	assert_int_equal(bar(&st.axes[XF_AXIS_IMPORTANCE], "重要"), 1);
	const struct xf_stat_counts *state_bars = &st.axes[XF_AXIS_STATE];
	assert_int_equal(state_bars->n, 4);
	assert_int_equal(bar(state_bars, "已结案"), 2);
	assert_int_equal(bar(state_bars, "已报结"), 1);
	assert_int_equal(bar(state_bars, "已转办"), 1);
	assert_int_equal(bar(state_bars, "已答复"), 1);
	rate_is(&st, XF_RATE_TRANSFER, 3, 4);
	rate_is(&st, XF_RATE_HANDLE, 2, 3);
	rate_is(&st, XF_RATE_REPLY, 2, 2);
	rate_is(&st, XF_RATE_SATISFIED, 1, 2);
	rate_is(&st, XF_RATE_REPEAT, 1, 5);
	rate_is(&st, XF_RATE_FIRST, 1, 2);
	assert_int_equal(st.handling_cases, 3);
	assert_int_equal(st.handling_workdays, 4 + 8 + 3);
	assert_false(st.handling_estimated);
	assert_int_equal(st.overdue_department.n, 2);
	assert_int_equal(bar(&st.overdue_department, "运营管理部"), 1);
	assert_int_equal(bar(&st.overdue_department, "个人金融部"), 1);
	assert_int_equal(st.overdue_handler.n, 2);
	assert_int_equal(bar(&st.overdue_handler, "孙明"), 1);
	assert_int_equal(bar(&st.overdue_handler, "（未写经办人）"), 1);
	/* The weeks end today (03-20), not on the 31st. */
	assert_string_equal(st.week_from, "2026-03-14");
	assert_string_equal(st.week_to, "2026-03-20");
	assert_string_equal(st.prev_from, "2026-03-07");
	assert_string_equal(st.prev_to, "2026-03-13");
	assert_int_equal(growth_of(&st, "咨询")->last_week, 1);
	assert_int_equal(growth_of(&st, "咨询")->this_week, 0);
	assert_string_equal(growth_of(&st, "咨询")->level, "");
	/* The page fits 80 columns and shows the rates with numerator and denominator. */
	struct xf_buf page;
	buf_init(&page);
	report_render(&st, 0, 80, XF_RENDER_TERMINAL, &page);
	assert_non_null(strstr(page.data, "及时转办率"));
	assert_non_null(strstr(page.data, "75.0%  3 / 4"));
	assert_non_null(strstr(page.data, "66.7%  2 / 3"));
	assert_non_null(strstr(page.data, "5.0  个工作日（15 个工作日 / 3 件）"));
	for (char *line = page.data; line && *line;) {
		char *nl = strchr(line, '\n');
		char *one = xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));
		if (text_width(one) > 80)
			fail_msg("line wider than 80 columns: %s", one);
		free(one);
		line = nl ? nl + 1 : NULL;
	}
	/* The labels line up: every bar of a section starts in the same column. */
	const char *l1 = strstr(page.data, "  来访"), *l2 = strstr(page.data, "  来电");
	assert_non_null(l1);
	assert_non_null(l2);
	char *b1 = xstrndup(l1, (size_t)(strstr(l1, "█") - l1)), *b2 = xstrndup(l2, (size_t)(strstr(l2, "█") - l2));
	assert_int_equal(text_width(b1), text_width(b2));
	free(b1);
	free(b2);
	buf_free(&page);
	/* CSV: numerators and denominators, RFC 4180 lines. */
	struct xf_buf csv;
	buf_init(&csv);
	report_csv(&st, 0, &csv);
	assert_non_null(strstr(csv.data, "比率,及时转办率,,3,4,0.7500,\r\n"));
	assert_non_null(strstr(csv.data, "比率,首办一次性办结率,,1,2,0.5000,\r\n"));
	assert_non_null(strstr(csv.data, "按渠道,来访,2,,,,\r\n"));
	assert_non_null(strstr(csv.data, "超期（按经办人）,孙明,1,,,,\r\n"));
	buf_free(&csv);
	/* A typed name a spreadsheet would run as a formula stays text; a falling rate stays a number. */
	struct xf_stats typed;
	memset(&typed, 0, sizeof typed);
	struct xf_stat_count who = {"=HYPERLINK(\"http://x\",\"点我\")", 2};
	typed.overdue_handler.v = &who;
	typed.overdue_handler.n = 1;
	struct xf_growth fall = {"服务态度", 3, 4, -25.0, ""};
	typed.growth = &fall;
	typed.ngrowth = 1;
	buf_init(&csv);
	report_csv(&typed, 0, &csv);
	assert_non_null(strstr(csv.data, "\r\n超期（按经办人）,\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",2,,,,\r\n"));
	assert_non_null(strstr(csv.data, "\r\n环比增长,服务态度,3,3,4,-0.2500,\r\n"));
	buf_free(&csv);
	/* The JR/T axes, counted on request; cases without a code are 未分类. */
	assert_false(st.jrt_counted);
	assert_int_equal(report_stats_jrt(&fx.head, &st, &err), XF_OK);
	assert_int_equal(bar(&st.axes[XF_AXIS_JRT_CHANNEL], "营业现场"), 1);
	assert_int_equal(bar(&st.axes[XF_AXIS_JRT_CHANNEL], "（未分类）"), 4);
	assert_int_equal(bar(&st.axes[XF_AXIS_JRT_CAUSE], "服务态度及服务质量"), 1);
	assert_int_equal(bar(&st.axes[XF_AXIS_JRT_TYPE], "（未分类）"), 5);
	report_free(&st);
	/* A handler does not get the office's statistics. */
	assert_int_equal(report_stats(&fx.handler, since, until, &st, &err), XF_EDENIED);
	fixture_close(&fx);
}

/* Week-over-week growth against the office's levels: blue, yellow, red and none. */
static void test_growth_levels(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-04-30");
	/* Previous week 04-17..04-23, this week 04-24..04-30. */
	struct {
		const char *category;
		int last, now;
		const char *level;
	} plan[] = {
		{"表扬", 10, 11, "蓝色"},   /* +10 % */
		{"建议", 5, 6, "黄色"},     /* +20 % */
		{"内部管理", 10, 13, "黄色"}, /* +30 % */
		{"服务产品", 3, 4, "红色"},  /* +33.3 % */
		{"咨询", 10, 9, ""},        /* −10 % */
		{"服务渠道", 0, 2, ""},     /* no earlier week */
	};
	for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
		char cat[64], rec[32];
		snprintf(cat, sizeof cat, "category=%s", plan[i].category);
		for (int k = 0; k < plan[i].last; k++) {
			snprintf(rec, sizeof rec, "received=2026-04-%02d", 17 + k % 7);
			fixture_case(&fx, cat, rec, NULL);
		}
		for (int k = 0; k < plan[i].now; k++) {
			snprintf(rec, sizeof rec, "received=2026-04-%02d", 24 + k % 7);
			fixture_case(&fx, cat, rec, NULL);
		}
	}
	struct xf_stats st;
	struct xf_err err;
	assert_int_equal(report_stats(&fx.head, "2026-04-01", "2026-04-30", &st, &err), XF_OK);
	for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
		const struct xf_growth *g = growth_of(&st, plan[i].category);
		assert_int_equal(g->last_week, plan[i].last);
		assert_int_equal(g->this_week, plan[i].now);
		if (strcmp(g->level, plan[i].level) != 0)
			fail_msg("%s: level %s, want %s", plan[i].category, g->level, plan[i].level);
	}
	report_free(&st);
	fixture_close(&fx);
}

/* The levels are data: the boundaries as written, and bad lines named. */
static void test_level_file(void **state)
{
	(void)state;
	struct xf_warn_level *lv;
	size_t n;
	struct xf_err err;
	assert_int_equal(report_parse_levels("# 注释\n蓝色 >=10 <20\n黄色 >=20 <=30\n红色 >30\n", &lv, &n, &err), XF_OK);
	assert_int_equal(n, 3);
	struct {
		double pct;
		const char *want;
	} cases[] = {{9.99, NULL}, {10, "蓝色"}, {19.99, "蓝色"}, {20, "黄色"}, {30, "黄色"}, {30.01, "红色"}, {500, "红色"},
	             {-40, NULL}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct xf_warn_level *l = report_level_of(lv, n, cases[i].pct);
		if (cases[i].want == NULL)
			assert_null(l);
		else
			assert_string_equal(l->name, cases[i].want);
	}
	free(lv);
	assert_int_equal(report_parse_levels("蓝色 >=10 <20\n黄色 20 30\n", &lv, &n, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "第 2 行"));
	char s[11], u[11];
	assert_int_equal(report_period("quarter", "2026-Q2", s, u, &err), XF_OK);
	assert_string_equal(s, "2026-04-01");
	assert_string_equal(u, "2026-06-30");
	assert_int_equal(report_period("year", "2026", s, u, &err), XF_OK);
	assert_string_equal(u, "2026-12-31");
	assert_int_equal(report_period("month", "2026-02", s, u, &err), XF_OK);
	assert_string_equal(u, "2026-02-28");
	assert_int_equal(report_period("month", "2026-13", s, u, &err), XF_EINVAL);
	assert_int_equal(report_period("quarter", "2026-Q5", s, u, &err), XF_EINVAL);
}

/* Printing goes through the slip path (a file in GB18030 here) and is recorded; the command
 * line prints the page, the CSV and the definitions. */
static void test_print_and_cli(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-02-27");
	int64_t id[6];
	build_march(&fx, id);
	struct xf_stats st;
	struct xf_err err;
	assert_int_equal(report_stats(&fx.head, "2026-03-01", "2026-03-31", &st, &err), XF_OK);
	char *path = xasprintf("%s/stats.txt", fx.dir);
	struct xf_print_opts opts = {"stats", "GB18030", XF_PRINT_FILE, path, slip_default_page(), NULL, XF_FORMAT_TEXT, NULL};
	assert_int_equal(report_print(&fx.head, &st, 0, &opts, NULL, &err), XF_OK);
	char *cmd = xasprintf("iconv -f GB18030 -t UTF-8 '%s' | grep -c '及时转办率'", path);
	FILE *p = popen(cmd, "r");
	char line[64] = "";
	assert_non_null(fgets(line, sizeof line, p));
	pclose(p);
	assert_string_equal(line, "1\n");
	free(cmd);
	struct xf_rows rows;
	assert_int_equal(store_list(fx.st, "audit", "action", "print_stats", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	report_free(&st);
	char *db = xasprintf("XINFANG_DB=%s", fx.db);
	const char *env[] = {db, "XINFANG_USER=head", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-20", NULL};
	struct run_result r;
	const char *a1[] = {"stats", "month=2026-03", NULL};
	run_xinfang(&r, env, a1);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "收到事项 5 件"));
	assert_non_null(strstr(r.out, "按期办结率"));
	const char *a2[] = {"stats", "since=2026-03-01", "until=2026-03-31", "by=channel", "--format", "csv", NULL};
	run_xinfang(&r, env, a2);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "比率,重复信访率,,1,5,0.2000,"));
	assert_non_null(strstr(r.out, "按渠道,来访,2"));
	assert_null(strstr(r.out, "按类别"));
	const char *a6[] = {"stats", "month=2026-03", "by=jrt", NULL};
	run_xinfang(&r, env, a6);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "按 JR/T 业务渠道"));
	assert_non_null(strstr(r.out, "营业现场"));
	assert_null(strstr(r.out, "按渠道"));
	const char *a3[] = {"stats", "--explain", NULL};
	run_xinfang(&r, env, a3);
	assert_int_equal(r.status, 0);
	for (int k = 0; k < XF_RATE_COUNT; k++)
		assert_non_null(strstr(r.out, report_rate_label((enum xf_rate_kind)k)));
	assert_non_null(strstr(r.out, "平均办理时间"));
	const char *a4[] = {"stats", "month=2026-3x", NULL};
	run_xinfang(&r, env, a4);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "YYYY-MM"));
	const char *a5[] = {"stats", "since=2026-03-31", "until=2026-03-01", NULL};
	run_xinfang(&r, env, a5);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "早于"));
	free(db);
	free(path);
	fixture_close(&fx);
}

/* Every line of a text page fits the width. */
static void assert_fits(const char *page, int width)
{
	for (const char *line = page; line && *line;) {
		const char *nl = strchr(line, '\n');
		char *one = xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));
		if (text_width(one) > width)
			fail_msg("line wider than %d columns: %s", width, one);
		free(one);
		line = nl ? nl + 1 : NULL;
	}
}

/* The note that handling days were estimated appears only when a day actually counted lies
 * outside the loaded calendar (2025 and 2026 here), not because a period ends on 12-31, and
 * it takes its own line so the page keeps to 80 columns. */
static void test_estimate_note_only_when_counted(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-12-01");
	int64_t early = fixture_case(&fx, "received=2026-12-01", "category=咨询", NULL);
	move(&fx.head, early, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	today("2026-12-10");
	move(&fx.clerk, early, XF_MV_OUTCOME, "findings=属实", "satisfaction=满意", NULL);
	today("2026-12-15");
	struct xf_stats st;
	struct xf_err err;
	char since[11], until[11];
	assert_int_equal(report_period("quarter", "2026-Q4", since, until, &err), XF_OK);
	assert_int_equal(report_stats(&fx.head, since, until, &st, &err), XF_OK);
	assert_int_equal(st.handling_cases, 1);
	assert_int_equal(st.handling_workdays, 7); /* 12-02..12-04, 12-07..12-10 */
	assert_false(st.handling_estimated);
	struct xf_buf page;
	buf_init(&page);
	report_render(&st, 0, 80, XF_RENDER_TERMINAL, &page);
	assert_null(strstr(page.data, "估算"));
	buf_free(&page);
	report_free(&st);
	/* The same range ending 12-30 agrees. */
	assert_int_equal(report_stats(&fx.head, "2026-10-01", "2026-12-30", &st, &err), XF_OK);
	assert_false(st.handling_estimated);
	report_free(&st);
	/* An outcome in 2027, a year the store has no calendar for: its days are estimated. */
	int64_t late = fixture_case(&fx, "received=2026-12-15", "category=咨询", NULL);
	move(&fx.head, late, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	today("2027-01-05");
	move(&fx.clerk, late, XF_MV_OUTCOME, "findings=属实", "satisfaction=满意", NULL);
	assert_int_equal(report_stats(&fx.head, since, until, &st, &err), XF_OK);
	assert_int_equal(st.handling_cases, 2);
	assert_true(st.handling_estimated);
	buf_init(&page);
	report_render(&st, 0, 80, XF_RENDER_TERMINAL, &page);
	const char *figure = strstr(page.data, "个工作日（");
	const char *note = strstr(page.data, "按周末估算");
	assert_non_null(figure);
	assert_non_null(note);
	assert_non_null(memchr(figure, '\n', (size_t)(note - figure))); /* on a line of its own */
	assert_fits(page.data, 80);
	buf_free(&page);
	report_free(&st);
	fixture_close(&fx);
}

/* A wrong month, quarter or year is refused on the command line with the whole message: the
 * example it gives is never cut. */
static void test_period_messages_whole(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-20");
	char *db = xasprintf("XINFANG_DB=%s", fx.db);
	const char *env[] = {db, "XINFANG_USER=head", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-20", NULL};
	struct {
		const char *arg, *whole;
	} wrong[] = {
		{"month=2026-13", "月份“2026-13”应写成 YYYY-MM，如 month=2026-03\n"},
		{"quarter=2026-Q5", "季度“2026-Q5”应写成 YYYY-Qn，如 quarter=2026-Q1\n"},
		{"year=两千", "年份“两千”应写成 YYYY，如 year=2026\n"},
		{"month=𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷", "应写成 YYYY-MM，如 month=2026-03\n"},
	};
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		struct run_result r;
		const char *argv[] = {"stats", wrong[i].arg, NULL};
		run_xinfang(&r, env, argv);
		assert_int_equal(r.status, 2);
		if (strstr(r.err, wrong[i].whole) == NULL)
			fail_msg("%s: got %s", wrong[i].arg, r.err);
		assert_true(utf8_valid(r.err, strlen(r.err), NULL));
	}
	free(db);
	fixture_close(&fx);
}


/* Week-over-week growth is over the period's own last 7 days: a period after today has none
 * (said in one line on the page and in the CSV), a period ending before today ends its week
 * on its last day, one reaching past today ends it today, and one with fewer than 7 days up
 * to today has none. */
static void test_growth_follows_period(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-10");
	for (int d = 10; d <= 25; d++) {
		char rec[32];
		today(d == 10 ? "2026-11-10" : "2026-11-25");
		snprintf(rec, sizeof rec, "received=2026-11-%02d", d);
		fixture_case(&fx, rec, "category=服务态度", NULL);
	}
	today("2026-11-25");
	struct xf_stats st;
	struct xf_err err;
	/* A year after today: no weeks, nothing counted, said in one line. */
	assert_int_equal(report_stats(&fx.head, "2027-01-01", "2027-12-31", &st, &err), XF_OK);
	assert_int_equal(st.received, 0);
	assert_int_equal(st.ngrowth, 0);
	assert_non_null(strstr(st.growth_none, "今天（2026-11-25）之后"));
	struct xf_buf page, csv;
	buf_init(&page);
	report_render(&st, 0, 80, XF_RENDER_TERMINAL, &page);
	assert_non_null(strstr(page.data, "\n环比增长：不计，期间在今天（2026-11-25）之后"));
	assert_null(strstr(page.data, "对比"));
	assert_null(strstr(page.data, "预警"));
	assert_null(strstr(page.data, "2026-11-19"));
	buf_free(&page);
	buf_init(&csv);
	report_csv(&st, 0, &csv);
	assert_non_null(strstr(csv.data, "\r\n环比增长期间,不计：期间在今天（2026-11-25）之后"));
	assert_null(strstr(csv.data, "\r\n环比增长,"));
	buf_free(&csv);
	report_free(&st);
	/* Two days: fewer than 7, none; the weeks around them are not compared. */
	assert_int_equal(report_stats(&fx.head, "2026-11-20", "2026-11-21", &st, &err), XF_OK);
	assert_int_equal(st.received, 2);
	assert_int_equal(st.ngrowth, 0);
	assert_non_null(strstr(st.growth_none, "只有 2 天"));
	report_free(&st);
	/* A period reaching past today with 3 days up to today: none either. */
	assert_int_equal(report_stats(&fx.head, "2026-11-23", "2026-12-31", &st, &err), XF_OK);
	assert_non_null(strstr(st.growth_none, "到今天只有 3 天"));
	report_free(&st);
	/* A period ending before today: its last 7 days, not the week before today. */
	assert_int_equal(report_stats(&fx.head, "2026-11-01", "2026-11-20", &st, &err), XF_OK);
	assert_string_equal(st.growth_none, "");
	assert_string_equal(st.week_from, "2026-11-14");
	assert_string_equal(st.week_to, "2026-11-20");
	assert_string_equal(st.prev_from, "2026-11-07");
	assert_string_equal(st.prev_to, "2026-11-13");
	assert_int_equal(growth_of(&st, "服务态度")->this_week, 7);
	assert_int_equal(growth_of(&st, "服务态度")->last_week, 4); /* 11-10 .. 11-13 */
	buf_init(&csv);
	report_csv(&st, 0, &csv);
	assert_non_null(strstr(csv.data, "\r\n环比增长期间,2026-11-14～2026-11-20 对比 2026-11-07～2026-11-13,,,,,\r\n"));
	buf_free(&csv);
	report_free(&st);
	/* A year reaching past today: the week ends today. */
	assert_int_equal(report_stats(&fx.head, "2026-01-01", "2026-12-31", &st, &err), XF_OK);
	assert_string_equal(st.week_to, "2026-11-25");
	assert_string_equal(st.week_from, "2026-11-19");
	report_free(&st);
	/* The command line says the same. */
	char *db = xasprintf("XINFANG_DB=%s", fx.db);
	const char *env[] = {db, "XINFANG_USER=head", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-25", NULL};
	struct run_result r;
	run_xinfang(&r, env, (const char *[]){"stats", "year=2027", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "环比增长：不计，期间在今天（2026-11-25）之后"));
	assert_null(strstr(r.out, "红色预警"));
	run_xinfang(&r, env, (const char *[]){"stats", "since=2026-11-20", "until=2026-11-21", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "环比增长：不计，期间只有 2 天"));
	assert_null(strstr(r.out, "2026-11-15～"));
	free(db);
	fixture_close(&fx);
}

/* The column of a line where its first bar starts, or -1. */
static int bar_column(const char *line)
{
	const char *at = strstr(line, "█");
	if (at == NULL)
		return -1;
	char *head = xstrndup(line, (size_t)(at - line));
	int w = text_width(head);
	free(head);
	return w;
}

/* The overdue cases by handler and by department are the accountability list: a long name is
 * shown whole, every bar of the page starts in one column, the page keeps to 80 columns, and
 * a name too long for any column is cut between characters with …. */
static void test_names_whole(void **state)
{
	(void)state;
	struct xf_stats st;
	memset(&st, 0, sizeof st);
	snprintf(st.since, sizeof st.since, "2026-11-01");
	snprintf(st.until, sizeof st.until, "2026-11-30");
	snprintf(st.growth_none, sizeof st.growth_none, "测试");
	struct xf_stat_count who[] = {{"阿卜杜热合曼·买买提", 3}, {"李𠮷", 1}};
	struct xf_stat_count dept[] = {{"普惠金融事业部小微企业服务中心", 2}, {"个人金融部", 1}};
	struct xf_stat_count chan[] = {{"来访", 4}};
	st.overdue_handler = (struct xf_stat_counts){who, 2};
	st.overdue_department = (struct xf_stat_counts){dept, 2};
	st.axes[XF_AXIS_CHANNEL] = (struct xf_stat_counts){chan, 1};
	st.received = 4;
	for (int dev = 0; dev < 2; dev++) {
		struct xf_buf page;
		buf_init(&page);
		report_render(&st, 1u << XF_AXIS_CHANNEL, 80, (enum xf_render_device)dev, &page);
		assert_non_null(strstr(page.data, "  阿卜杜热合曼·买买提 "));
		assert_non_null(strstr(page.data, "  普惠金融事业部小微企业服务中心 "));
		assert_null(strstr(page.data, "…"));
		if (dev == XF_RENDER_TERMINAL) { /* measured as the terminal shows it */
			assert_fits(page.data, 80);
			int first = bar_column(strstr(page.data, "  来访"));
			assert_true(first > 0);
			assert_int_equal(bar_column(strstr(page.data, "  阿卜杜热合曼")), first);
			assert_int_equal(bar_column(strstr(page.data, "  普惠金融")), first);
			assert_int_equal(bar_column(strstr(page.data, "  李𠮷")), first);
		}
		buf_free(&page);
	}
	/* A name longer than any column: cut between characters, ending in …, within the page. */
	struct xf_stat_count huge[] = {{"𠮷买买买买买买买买买买买买买买买买买买买买买买买买买买买买买", 1}};
	st.overdue_handler = (struct xf_stat_counts){huge, 1};
	struct xf_buf page;
	buf_init(&page);
	report_render(&st, 1u << XF_AXIS_CHANNEL, 80, XF_RENDER_TERMINAL, &page);
	assert_true(utf8_valid(page.data, page.len, NULL));
	assert_non_null(strstr(page.data, "  𠮷买买"));
	assert_non_null(strstr(page.data, "买… "));
	assert_fits(page.data, 80);
	buf_free(&page);
}

/* The statistics file takes the ledger's rule on names: a spreadsheet's or document's name for
 * text or CSV is refused before anything is written, a PDF goes to *.pdf; a UTF-8 CSV starts
 * with the byte order mark Excel needs, a GB18030 one does not. */
static void test_file_names_and_bom(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-02-27");
	int64_t id[6];
	build_march(&fx, id);
	char *db = xasprintf("XINFANG_DB=%s", fx.db);
	const char *env[] = {db, "XINFANG_USER=head", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-20", NULL};
	struct run_result r;
	const char *wrong[][3] = {{"x.xlsx", NULL, "x.xlsx 与格式不符"}, {"x.xls", NULL, "x.xls 与格式不符"},
	                          {"y.xlsx", "csv", "y.xlsx 与格式不符"}, {"z.xls", "pdf", "z.xls 与格式不符"},
	                          {"t.pdf", "text", "t.pdf 与格式不符"}};
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		char *path = xasprintf("%s/%s", fx.dir, wrong[i][0]);
		run_xinfang(&r, env, (const char *[]){"stats", "month=2026-03", "--to", path, wrong[i][1] ? "--format" : NULL,
		                                      wrong[i][1], NULL});
		if (r.status != 1 || strstr(r.err, wrong[i][2]) == NULL)
			fail_msg("stats --to %s: status %d, %s", wrong[i][0], r.status, r.err);
		assert_int_equal(access(path, F_OK), -1);
		free(path);
	}
	char *utf8 = xasprintf("%s/su.csv", fx.dir), *gb = xasprintf("%s/sg.csv", fx.dir);
	run_xinfang(&r, env, (const char *[]){"stats", "month=2026-03", "--to", utf8, "--encoding", "UTF-8", NULL});
	assert_int_equal(r.status, 0);
	run_xinfang(&r, env, (const char *[]){"stats", "month=2026-03", "--to", gb, NULL});
	assert_int_equal(r.status, 0);
	char *bytes;
	size_t len;
	assert_int_equal(paths_read_file(utf8, &bytes, &len, NULL), XF_OK);
	assert_true(len > 3);
	assert_memory_equal(bytes, "\xEF\xBB\xBF分项,项目", strlen("\xEF\xBB\xBF分项,项目"));
	free(bytes);
	assert_int_equal(paths_read_file(gb, &bytes, &len, NULL), XF_OK);
	assert_true(len > 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) != 0);
	free(bytes);
	/* Asked for UTF-8 on standard output (… > 统计.csv): the same bytes. */
	run_xinfang(&r, env, (const char *[]){"stats", "month=2026-03", "--format", "csv", "--encoding", "UTF-8", NULL});
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "\xEF\xBB\xBF", 3);
	/* The core's function refuses the same names. */
	struct xf_stats st;
	struct xf_err err;
	assert_int_equal(report_stats(&fx.head, "2026-03-01", "2026-03-31", &st, &err), XF_OK);
	char *xlsx = xasprintf("%s/desk.xlsx", fx.dir);
	assert_int_equal(report_csv_file(&st, 0, "UTF-8", xlsx, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "desk.xlsx 与格式不符"));
	assert_non_null(strstr(err.msg, ".csv"));
	assert_int_equal(access(xlsx, F_OK), -1);
	report_free(&st);
	free(xlsx);
	free(utf8);
	free(gb);
	free(db);
	fixture_close(&fx);
}

/* stats --explain keeps to 80 columns (CJK two), no line starts with closing punctuation,
 * and it states the growth rule. */
static void test_explain_fits(void **state)
{
	(void)state;
	const char *text = report_explain();
	assert_fits(text, 80);
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line), i = 0;
		while (i < n && line[i] == ' ')
			i++;
		if (i < n) {
			size_t at = i;
			uint32_t cp = utf8_next(line, n, &at);
			if (text_no_line_start(cp))
				fail_msg("line starts with punctuation: %.*s", (int)n, line);
		}
		line = nl ? nl + 1 : line + n;
	}
	char *flat = squeeze_spaces(text);
	char *joined = xstrdup(flat);
	char *w = joined;
	for (const char *p = flat; *p; p++)
		if (*p != '\n')
			*w++ = *p;
	*w = '\0';
	assert_non_null(strstr(joined, "期间最后7天"));
	assert_non_null(strstr(joined, "期间全在今天之后，或到今天不足7天的，不计环比增长"));
	assert_non_null(strstr(joined, "首办一次性办结率从未退回"));
	free(joined);
	free(flat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_march_by_hand),
		cmocka_unit_test(test_growth_levels),
		cmocka_unit_test(test_level_file),
		cmocka_unit_test(test_print_and_cli),
		cmocka_unit_test(test_estimate_note_only_when_counted),
		cmocka_unit_test(test_period_messages_whole),
		cmocka_unit_test(test_growth_follows_period),
		cmocka_unit_test(test_names_whole),
		cmocka_unit_test(test_file_names_and_bom),
		cmocka_unit_test(test_explain_fits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

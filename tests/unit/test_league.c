/* Supervision figures across branches: statistics, JR/T figures and the ledger of a branch
 * account hold its branch only; the league table's figures per branch are report_stats of that
 * branch alone and add up to the consolidated ones; the head office's limits list across
 * branches runs by days left. A head office (HQ, branch 1) with 北京分行 (BJ01) and 上海分行
 * (SH01) under it, each with its own clerk and head, and a supervisor at the head office. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/branch.h"
#include "xinfang/clock.h"
#include "xinfang/ledger.h"
#include "xinfang/oversight.h"
#include "xinfang/report.h"

/* Sets today. */
static void today(const char *iso)
{
	assert_int_equal(clock_set_today_iso(iso, NULL), XF_OK);
}

/* The head office and its two branches, their accounts and March 2026's cases. */
struct bank {
	struct fixture fx;
	struct xf_session bjclerk, bjhead, shclerk, shhead, sup;
	char repeat_of[32];
};

/* Logs an account in. */
static void login(struct bank *b, const char *name, struct xf_session *s)
{
	struct xf_err err;
	if (auth_login(b->fx.st, name, "secret1", s, &err) != XF_OK)
		fail_msg("login %s: %s", name, err.msg);
}

/* Opens the bank: HQ's own cases (the fixture's clerk and head: one transferred and overdue),
 * BJ01's (one reported on time and 满意, one transferred and overdue, one a repeat of the first
 * and overdue, one answered on the spot), one of SH01's (reported late, 不满意); registered and
 * transferred on 2026-03-04; today is 2026-03-20. */
static void bank_open(struct bank *b)
{
	memset(b, 0, sizeof *b);
	fixture_open(&b->fx, "2026-03-02");
	struct xf_err err;
	int64_t id;
	if (branch_add(&b->fx.admin, "BJ01", "北京分行", NULL, &id, &err) != XF_OK)
		fail_msg("branch add: %s", err.msg);
	assert_int_equal(branch_add(&b->fx.admin, "SH01", "上海分行", NULL, &id, &err), XF_OK);
	static const char *const accounts[][3] = {{"bjclerk", "operator", "BJ01"}, {"bjhead", "head", "BJ01"},
	                                          {"shclerk", "operator", "SH01"}, {"shhead", "head", "SH01"},
	                                          {"sup", "supervisor", ""}};
	for (size_t i = 0; i < 5; i++)
		if (auth_user_add_in(&b->fx.admin, accounts[i][0], accounts[i][1], "", "", accounts[i][2], "secret1", &err) !=
		    XF_OK)
			fail_msg("user add %s: %s", accounts[i][0], err.msg);
	login(b, "bjclerk", &b->bjclerk);
	login(b, "bjhead", &b->bjhead);
	login(b, "shclerk", &b->shclerk);
	login(b, "shhead", &b->shhead);
	login(b, "sup", &b->sup);

	struct fixture *fx = &b->fx;
	today("2026-03-04");
	int64_t h1 = fixture_case(fx, "received=2026-03-02", "jrt_channel=营业现场", NULL);
	fixture_move(&fx->head, h1, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	int64_t h2 = fixture_case(fx, "received=2026-03-03", "category=工作失误", NULL);
	(void)h2;

	int64_t b1 = fixture_case_by(&b->bjclerk, b->repeat_of, "received=2026-03-02", NULL);
	fixture_move(&b->bjhead, b1, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	int64_t b2 = fixture_case_by(&b->bjclerk, NULL, "received=2026-03-02", "category=工作失误", NULL);
	fixture_move(&b->bjhead, b2, XF_MV_TRANSFER, "dept=运营管理部", NULL);
	char repeat[64];
	snprintf(repeat, sizeof repeat, "repeat_of=%s", b->repeat_of);
	int64_t b3 = fixture_case_by(&b->bjclerk, NULL, "received=2026-03-03", repeat, NULL);
	fixture_move(&b->bjhead, b3, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	int64_t b4 = fixture_case_by(&b->bjclerk, NULL, "received=2026-03-04", "category=咨询", "spot_answer=已当场解答", NULL);
	(void)b4;
	today("2026-03-05");
	fixture_move(&b->bjclerk, b1, XF_MV_OUTCOME, "findings=属实", "satisfaction=满意", NULL);

	int64_t s1 = fixture_case_by(&b->shclerk, NULL, "received=2026-03-02", "jrt_channel=电子渠道", NULL);
	fixture_move(&b->shhead, s1, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	today("2026-03-16");
	fixture_move(&b->shclerk, s1, XF_MV_OUTCOME, "findings=部分属实", "satisfaction=不满意", NULL);
	today("2026-03-20");
}

/* Closes the bank. */
static void bank_close(struct bank *b)
{
	session_close(&b->bjclerk);
	session_close(&b->bjhead);
	session_close(&b->shclerk);
	session_close(&b->shhead);
	session_close(&b->sup);
	fixture_close(&b->fx);
}

/* The league table's row of a branch. */
static const struct xf_league_row *row_of(const struct xf_league *lg, const char *code)
{
	for (size_t i = 0; i < lg->n; i++)
		if (strcmp(lg->v[i].branch.code, code) == 0)
			return &lg->v[i];
	fail_msg("no league row for %s", code);
	return NULL;
}

/* The figures of each branch add up to the supervisor's consolidated ones, and each branch's
 * are report_stats of that branch alone. */
static void test_by_branch_adds_up(void **state)
{
	(void)state;
	struct bank b;
	bank_open(&b);
	struct xf_err err;
	struct xf_stats all;
	assert_int_equal(report_stats(&b.sup, "2026-03-01", "2026-03-31", &all, &err), XF_OK);
	assert_int_equal(all.received, 7);
	struct xf_league lg;
	if (report_league(&b.sup, "2026-03-01", "2026-03-31", NULL, &lg, &err) != XF_OK)
		fail_msg("league: %s", err.msg);
	assert_int_equal(lg.n, 3);
	assert_int_equal(lg.v[0].branch.id, XF_BRANCH_OWN); /* the head office, first in path order */
	long received = 0, overdue = 0, workdays = 0;
	struct xf_rate sum[XF_RATE_COUNT];
	memset(sum, 0, sizeof sum);
	for (size_t i = 0; i < lg.n; i++) {
		const struct xf_stats *st = &lg.v[i].st;
		received += st->received;
		overdue += st->overdue;
		workdays += st->handling_workdays;
		for (int k = 0; k < XF_RATE_COUNT; k++) {
			sum[k].num += st->rates[k].num;
			sum[k].den += st->rates[k].den;
		}
		/* The branch alone, as report_stats counts it: by its code, or (the head office's own,
		 * which has no code in the fixture's store) as its own clerk sees it. */
		struct xf_stats one;
		int rc = *lg.v[i].branch.code
		                 ? report_stats_in(&b.sup, "2026-03-01", "2026-03-31", lg.v[i].branch.code, &one, &err)
		                 : report_stats(&b.fx.clerk, "2026-03-01", "2026-03-31", &one, &err);
		if (rc != XF_OK)
			fail_msg("stats of %s: %s", lg.v[i].branch.name, err.msg);
		assert_int_equal(one.received, st->received);
		assert_int_equal(one.overdue, st->overdue);
		assert_int_equal(one.handling_workdays, st->handling_workdays);
		for (int k = 0; k < XF_RATE_COUNT; k++)
			if (one.rates[k].num != st->rates[k].num || one.rates[k].den != st->rates[k].den)
				fail_msg("%s %s: league %ld/%ld, report %ld/%ld", lg.v[i].branch.code,
				         report_rate_label((enum xf_rate_kind)k), st->rates[k].num, st->rates[k].den,
				         one.rates[k].num, one.rates[k].den);
		report_free(&one);
	}
	assert_int_equal(received, all.received);
	assert_int_equal(overdue, all.overdue);
	assert_int_equal(workdays, all.handling_workdays);
	for (int k = 0; k < XF_RATE_COUNT; k++) {
		assert_int_equal(sum[k].num, all.rates[k].num);
		assert_int_equal(sum[k].den, all.rates[k].den);
	}
	/* BJ01 by hand: 4 received, 1 repeat of 4, 1 of 1 on time, 1 overdue (运营管理部), 1 of 1 satisfied. */
	const struct xf_league_row *bj = row_of(&lg, "BJ01");
	assert_int_equal(bj->st.received, 4);
	assert_int_equal(bj->st.rates[XF_RATE_REPEAT].num, 1);
	assert_int_equal(bj->st.rates[XF_RATE_REPEAT].den, 4);
	assert_int_equal(bj->st.rates[XF_RATE_HANDLE].num, 1);
	assert_int_equal(bj->st.rates[XF_RATE_HANDLE].den, 1);
	assert_int_equal(bj->st.overdue, 2); /* the one never reported and the repeat: both past 周限 */
	assert_int_equal(bj->st.rates[XF_RATE_SATISFIED].num, 1);
	const struct xf_league_row *sh = row_of(&lg, "SH01");
	assert_int_equal(sh->st.received, 1);
	assert_int_equal(sh->st.rates[XF_RATE_HANDLE].num, 0);
	assert_int_equal(sh->st.rates[XF_RATE_HANDLE].den, 1);
	assert_int_equal(sh->st.rates[XF_RATE_SATISFIED].num, 0);
	assert_int_equal(sh->st.rates[XF_RATE_SATISFIED].den, 1);

	/* Sorted by a column: the most received first; by 满意率, a branch without one last. */
	report_league_sort(&lg, XF_LEAGUE_RECEIVED);
	assert_string_equal(lg.v[0].branch.code, "BJ01");
	assert_string_equal(lg.v[2].branch.code, "SH01");
	report_league_sort(&lg, XF_LEAGUE_SATISFIED);
	assert_string_equal(lg.v[0].branch.code, "BJ01");
	assert_string_equal(lg.v[1].branch.code, "SH01");
	assert_int_equal(lg.v[2].branch.id, XF_BRANCH_OWN);
	struct xf_buf text;
	buf_init(&text);
	report_league_render(&lg, XF_LEAGUE_SATISFIED, &text);
	assert_non_null(strstr(text.data, "北京分行"));
	assert_non_null(strstr(text.data, "按满意率排序"));
	buf_free(&text);
	report_league_free(&lg);
	/* Under one branch: that branch (and any under it) only. */
	assert_int_equal(report_league(&b.sup, "2026-03-01", "2026-03-31", "BJ01", &lg, &err), XF_OK);
	assert_int_equal(lg.n, 1);
	assert_string_equal(lg.v[0].branch.code, "BJ01");
	assert_int_equal(lg.v[0].st.received, 4);
	report_league_free(&lg);
	report_free(&all);
	bank_close(&b);
}

/* A branch's accounts count their branch only: statistics, JR/T figures, the league table and
 * the ledger; another branch is not found, in the words of one that does not exist. */
static void test_branch_account_sees_its_branch(void **state)
{
	(void)state;
	struct bank b;
	bank_open(&b);
	struct xf_err err;
	struct xf_stats st;
	assert_int_equal(report_stats(&b.bjclerk, "2026-03-01", "2026-03-31", &st, &err), XF_OK);
	assert_int_equal(st.received, 4);
	report_free(&st);
	assert_int_equal(report_stats(&b.shclerk, "2026-03-01", "2026-03-31", &st, &err), XF_OK);
	assert_int_equal(st.received, 1);
	assert_int_equal(report_stats_jrt(&b.shclerk, &st, &err), XF_OK);
	assert_int_equal(st.axes[XF_AXIS_JRT_CHANNEL].n, 1);
	assert_string_equal(st.axes[XF_AXIS_JRT_CHANNEL].v[0].label, "电子渠道");
	report_free(&st);
	/* The head office's own clerk: HQ's two cases, not the branches' under it. */
	assert_int_equal(report_stats(&b.fx.clerk, "2026-03-01", "2026-03-31", &st, &err), XF_OK);
	assert_int_equal(st.received, 2);
	report_free(&st);
	char unknown[sizeof err.msg];
	/* One branch asked for is named on the page and in the CSV. */
	assert_int_equal(report_stats_in(&b.sup, "2026-03-01", "2026-03-31", "BJ01", &st, &err), XF_OK);
	struct xf_buf page;
	buf_init(&page);
	report_render(&st, 0, 80, XF_RENDER_TERMINAL, &page);
	assert_non_null(strstr(page.data, "\n分支机构：BJ01 北京分行\n"));
	buf_free(&page);
	buf_init(&page);
	report_csv(&st, 0, &page);
	assert_non_null(strstr(page.data, "分支机构,BJ01 北京分行"));
	buf_free(&page);
	report_free(&st);
	assert_int_equal(report_stats_in(&b.bjclerk, "2026-03-01", "2026-03-31", "NOPE", &st, &err), XF_ENOTFOUND);
	snprintf(unknown, sizeof unknown, "%s", err.msg);
	assert_int_equal(report_stats_in(&b.bjclerk, "2026-03-01", "2026-03-31", "SH01", &st, &err), XF_ENOTFOUND);
	assert_non_null(strstr(err.msg, "SH01"));
	assert_non_null(strstr(unknown, "NOPE"));
	struct xf_league lg;
	assert_int_equal(report_league(&b.bjclerk, "2026-03-01", "2026-03-31", NULL, &lg, &err), XF_OK);
	assert_int_equal(lg.n, 1);
	assert_string_equal(lg.v[0].branch.code, "BJ01");
	assert_int_equal(lg.v[0].st.received, 4);
	report_league_free(&lg);

	/* The ledger: the branch clerk's holds BJ01's four cases and no other branch's row. */
	char path[400];
	snprintf(path, sizeof path, "%s/bj.csv", b.fx.dir);
	struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, "UTF-8", path, NULL, NULL, NULL, NULL};
	long rows = 0;
	if (ledger_export(&b.bjclerk, &opts, &rows, &err) != XF_OK)
		fail_msg("export: %s", err.msg);
	assert_int_equal(rows, 4);
	int status;
	char *out = run_capture(&status, "grep -c '^BJ01-2026年' '%s'", path);
	assert_string_equal(out, "4\n");
	free(out);
	out = run_capture(&status, "grep -c -e '^HQ-' -e '^SH01-' '%s'", path);
	assert_string_equal(out, "0\n");
	free(out);
	out = run_capture(&status, "head -1 '%s' | grep -c ',分支机构'", path);
	assert_string_equal(out, "1\n");
	free(out);
	/* The supervisor's: every branch's, each row naming its branch; branch= one of them. */
	assert_int_equal(ledger_export(&b.sup, &opts, &rows, &err), XF_OK);
	assert_int_equal(rows, 7);
	out = run_capture(&status, "grep -c ',SH01 上海分行\r*$' '%s'", path);
	assert_string_equal(out, "1\n");
	free(out);
	opts.branch = "SH01";
	assert_int_equal(ledger_export(&b.sup, &opts, &rows, &err), XF_OK);
	assert_int_equal(rows, 1);
	assert_int_equal(ledger_export(&b.bjclerk, &opts, &rows, &err), XF_ENOTFOUND);
	bank_close(&b);
}

/* A store of one office exports the ledger's columns as ever: no 分支机构 column. */
static void test_one_office_ledger_unchanged(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	fixture_case(&fx, "received=2026-03-02", NULL);
	char path[400];
	snprintf(path, sizeof path, "%s/one.csv", fx.dir);
	struct xf_export opts = {NULL, NULL, XF_LEDGER_CSV, "UTF-8", path, NULL, NULL, NULL, NULL};
	long rows = 0;
	struct xf_err err;
	assert_int_equal(ledger_export(&fx.clerk, &opts, &rows, &err), XF_OK);
	assert_int_equal(rows, 1);
	int status;
	char *out = run_capture(&status, "head -1 '%s' | grep -c '分支机构'", path);
	assert_string_equal(out, "0\n");
	free(out);
	fixture_close(&fx);
}

/* A one-office store's admin sees the office's own limits list, worded as before branches
 * existed (no 分支机构 column, also a page at a time); once a branch is added under it, the
 * list across branches. A branch's clerk never reaches several. */
static void test_one_office_limits_list(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	int64_t id = fixture_case(&fx, "received=2026-03-02", NULL);
	fixture_move(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	assert_false(branch_reach_several(&fx.admin));
	assert_false(branch_reach_several(&fx.clerk));
	char *db = xasprintf("XINFANG_DB=%s", fx.db);
	const char *env[] = {db, "XINFANG_USER=admin", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-20", NULL};
	struct run_result r;
	run_xinfang(&r, env, (const char *[]){"due", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, " 临近或超过时限的事项：时限\t编号\t状态"));
	assert_non_null(strstr(r.out, "\n周限\t2026年第0001号\t已转办\t"));
	assert_null(strstr(r.out, "分支机构"));
	run_xinfang(&r, env, (const char *[]){"due", "page=1", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, " 临近或超过时限的事项（第 1 页）：时限\t编号\t状态"));
	assert_non_null(strstr(r.out, "\n周限\t2026年第0001号\t已转办\t"));
	assert_null(strstr(r.out, "分支机构"));
	/* A branch under the office: the admin's reach now holds two. */
	struct xf_err err;
	int64_t bj;
	assert_int_equal(branch_add(&fx.admin, "BJ01", "北京分行", NULL, &bj, &err), XF_OK);
	assert_true(branch_reach_several(&fx.admin));
	assert_false(branch_reach_several(&fx.clerk));
	run_xinfang(&r, env, (const char *[]){"due", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "各分支机构临近或超过时限的事项（第 1 页）：分支机构\t编号"));
	free(db);
	fixture_close(&fx);
}

/* The command line: stats by=branch for the supervisor (one line per branch), a branch clerk's
 * stats branch= of another branch refused as not found. */
static void test_cli(void **state)
{
	(void)state;
	struct bank b;
	bank_open(&b);
	char *db = xasprintf("XINFANG_DB=%s", b.fx.db);
	const char *sup[] = {db, "XINFANG_USER=sup", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-20", NULL};
	const char *bj[] = {db, "XINFANG_USER=bjclerk", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-20", NULL};
	struct run_result r;
	const char *a1[] = {"stats", "month=2026-03", "by=branch", "sort=overdue", "--format", "csv", NULL};
	run_xinfang(&r, sup, a1);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "分支机构代码,分支机构,收到"));
	assert_non_null(strstr(r.out, "\nBJ01,北京分行,4,1,1,100.0%,2,1,4,25.0%,1,1,100.0%"));
	const char *a2[] = {"stats", "month=2026-03", "branch=SH01", NULL};
	run_xinfang(&r, bj, a2);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "不在您的范围内"));
	const char *a3[] = {"stats", "month=2026-03", NULL};
	run_xinfang(&r, bj, a3);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "收到事项 4 件"));
	free(db);
	bank_close(&b);
}

/* The head office's limits list across branches runs by days left over every branch, each
 * case named with its branch, a page at a time; a branch clerk's holds its branch only. */
static void test_limits_across_branches(void **state)
{
	(void)state;
	struct bank b;
	bank_open(&b);
	struct xf_err err;
	struct xf_rows rows;
	bool more = true;
	if (oversight_due(&b.sup, 0, 50, &rows, &more, &err) != XF_OK)
		fail_msg("due across: %s", err.msg);
	assert_false(more);
	bool seen_bj = false, seen_hq = false;
	for (size_t i = 0; i < rows.n; i++) {
		const char *branch = fields_str(&rows.v[i], "branch");
		seen_bj |= strcmp(branch, "BJ01") == 0;
		assert_string_not_equal(branch, "SH01"); /* its one case answered, its reply not yet near */
		seen_hq |= strcmp(branch, "本行") == 0; /* the fixture's own branch has no code: its name */
		if (i > 0 && atoi(fields_str(&rows.v[i], "days_left")) < atoi(fields_str(&rows.v[i - 1], "days_left")))
			fail_msg("row %zu (%s, %s days left) after one with %s", i, fields_str(&rows.v[i], "number"),
			         fields_str(&rows.v[i], "days_left"), fields_str(&rows.v[i - 1], "days_left"));
	}
	assert_true(seen_bj && seen_hq);
	assert_true(rows.n >= 5);
	/* BJ01's overdue transfer (运营管理部): 周限 of a case received 03-02, reported never. */
	bool found = false;
	for (size_t i = 0; i < rows.n; i++)
		if (strcmp(fields_str(&rows.v[i], "department"), "运营管理部") == 0) {
			found = true;
			assert_string_equal(fields_str(&rows.v[i], "branch"), "BJ01");
			assert_string_equal(fields_str(&rows.v[i], "limit"), "周限");
			assert_true(atoi(fields_str(&rows.v[i], "days_left")) < 0);
		}
	assert_true(found);
	/* Pages: two rows, then the rest from where the first page ended. */
	struct xf_rows first, second;
	assert_int_equal(oversight_due(&b.sup, 0, 2, &first, &more, &err), XF_OK);
	assert_int_equal(first.n, 2);
	assert_true(more);
	assert_int_equal(oversight_due(&b.sup, 2, 50, &second, &more, &err), XF_OK);
	assert_int_equal(second.n, rows.n - 2);
	assert_string_equal(fields_str(&second.v[0], "number"), fields_str(&rows.v[2], "number"));
	assert_string_equal(fields_str(&first.v[1], "number"), fields_str(&rows.v[1], "number"));
	rows_free(&first);
	rows_free(&second);
	rows_free(&rows);
	/* The branch clerk's: BJ01's only. */
	assert_int_equal(oversight_due(&b.bjclerk, 0, 50, &rows, &more, &err), XF_OK);
	assert_true(rows.n >= 2);
	for (size_t i = 0; i < rows.n; i++)
		assert_string_equal(fields_str(&rows.v[i], "branch"), "BJ01");
	rows_free(&rows);
	assert_true(branch_reach_several(&b.sup));
	assert_false(branch_reach_several(&b.bjclerk));
	/* The command line: due for the supervisor has the branch column. */
	char *db = xasprintf("XINFANG_DB=%s", b.fx.db);
	const char *env[] = {db, "XINFANG_USER=sup", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-20", NULL};
	const char *argv[] = {"due", NULL};
	struct run_result r;
	run_xinfang(&r, env, argv);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "分支机构\t编号\t时限"));
	assert_non_null(strstr(r.out, "\nBJ01\tBJ01-2026年第0002号\t周限\t已转办\t"));
	free(db);
	bank_close(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_branch_adds_up),
		cmocka_unit_test(test_branch_account_sees_its_branch),
		cmocka_unit_test(test_one_office_ledger_unchanged),
		cmocka_unit_test(test_one_office_limits_list),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_limits_across_branches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

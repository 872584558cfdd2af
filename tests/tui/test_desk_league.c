/* The head office's supervisor at the desk: the branch league table (one line per branch, the
 * report's figures, sorted by the column chosen) and the limits list across branches (each case
 * with its branch, the most overdue first), in 80 columns. The real binary in a real pty, read
 * back through libvterm. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/branch.h"
#include "xinfang/text.h"

/* The supervisor's league table and limits list across the head office and 北京分行. */
static void supervisor_at_the_desk(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-04");
	struct xf_err err;
	int64_t id;
	assert_int_equal(branch_add(&fx.admin, "BJ01", "北京分行", NULL, &id, &err), XF_OK);
	assert_int_equal(auth_user_add_in(&fx.admin, "bjclerk", "operator", "", "", "BJ01", "secret1", &err), XF_OK);
	assert_int_equal(auth_user_add_in(&fx.admin, "bjhead", "head", "", "", "BJ01", "secret1", &err), XF_OK);
	assert_int_equal(auth_user_add_in(&fx.admin, "sup", "supervisor", "", "", "", "secret1", &err), XF_OK);
	struct xf_session bjclerk, bjhead;
	assert_int_equal(auth_login(fx.st, "bjclerk", "secret1", &bjclerk, &err), XF_OK);
	assert_int_equal(auth_login(fx.st, "bjhead", "secret1", &bjhead, &err), XF_OK);
	/* 北京分行: three cases, two transferred and left past 周限; the head office: one, on time. */
	for (int i = 0; i < 3; i++) {
		int64_t c = fixture_case_by(&bjclerk, NULL, "received=2026-03-02", NULL);
		if (i < 2)
			fixture_move(&bjhead, c, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	}
	int64_t hq = fixture_case(&fx, "received=2026-03-03", NULL);
	fixture_move(&fx.head, hq, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx.clerk, hq, XF_MV_OUTCOME, "findings=属实", "satisfaction=满意", NULL);
	session_close(&bjclerk);
	session_close(&bjhead);

	char dbenv[400], home[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	snprintf(home, sizeof home, "HOME=%s", fx.dir);
	const char *env[] = {dbenv, home, "XINFANG_TODAY=2026-03-20", "XINFANG_USER=sup", "XINFANG_PASSWORD=secret1", NULL};
	struct term t;
	term_start(&t, 24, 80, env, (const char *[]){NULL});
	must_see(&t, "信 访 工 作 台", 5000);
	must_see(&t, "分支机构排名", 1000);
	must_see(&t, "F10 退出", 1000); /* the hint line too, drawn in the same refresh but read apart */
	/* One limits list on the menu, the one across branches: 时限清单 on its line and in the
	 * F5 hint, not on a second line 3 of the branch's own. */
	char *menu = term_text(&t);
	assert_non_null(strstr(menu, "各分支机构临近或超过时限的事项"));
	assert_null(strstr(menu, "临近或超过批转、周限、月限的事项"));
	int lists = 0;
	for (const char *p = menu; (p = strstr(p, "时限清单")) != NULL; p++)
		lists++;
	assert_int_equal(lists, 2);
	free(menu);
	term_send(&t, "c");
	must_see(&t, "分支机构排名 2026年3月", 5000);
	must_see(&t, "按收到排序", 1000);
	/* 北京分行 first by received: 3 cases, none reported (—), 2 overdue. */
	char *line = term_row_with(&t, "北京分行");
	assert_non_null(strstr(line, "BJ01"));
	assert_non_null(strstr(line, " 3 "));
	assert_non_null(strstr(line, "—"));
	assert_true(text_width(line) <= 80);
	int bj_row, hq_row, col;
	assert_true(term_find(&t, "北京分行", &bj_row, &col));
	assert_true(term_find(&t, "本行", &hq_row, &col));
	assert_true(bj_row < hq_row);
	free(line);
	/* By 按期办结率: the head office's 100.0% before 北京分行's none. */
	term_send(&t, "s");
	must_see(&t, "按按期办结率排序", 3000);
	line = term_row_with(&t, "本行");
	assert_non_null(strstr(line, "100.0%"));
	free(line);
	assert_true(term_find(&t, "北京分行", &bj_row, &col));
	assert_true(term_find(&t, "本行", &hq_row, &col));
	assert_true(hq_row < bj_row);
	/* The limits list across branches: 北京分行's overdue cases with their branch. */
	term_send(&t, K_F10);
	must_see(&t, "信 访 工 作 台", 3000);
	term_send(&t, "3");
	must_see(&t, "各分支机构时限清单 第1页", 5000);
	line = term_row_with(&t, "BJ01-2026年第0001号");
	assert_non_null(strstr(line, "周限"));
	assert_non_null(strstr(line, "-"));
	assert_true(text_width(line) <= 80);
	free(line);
	must_see(&t, "BJ01-2026年第0002号", 1000);
	term_free(&t);
	fixture_close(&fx);
}

/* The admin of a one-office store: the menu's line 3 and its 时限清单 are the office's own, as
 * before branches existed, with no 分支机构 anywhere; after a branch is added under the office,
 * the next desk shows the list across branches. */
static void one_office_admin_at_the_desk(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-04");
	int64_t c = fixture_case(&fx, "received=2026-03-02", NULL);
	fixture_move(&fx.head, c, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	char dbenv[400], home[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	snprintf(home, sizeof home, "HOME=%s", fx.dir);
	const char *env[] = {dbenv, home, "XINFANG_TODAY=2026-03-20", "XINFANG_USER=admin", "XINFANG_PASSWORD=secret1", NULL};
	struct term t;
	term_start(&t, 24, 80, env, (const char *[]){NULL});
	must_see(&t, "信 访 工 作 台", 5000);
	must_see(&t, "临近或超过批转、周限、月限的事项", 1000);
	char *menu = term_text(&t);
	assert_null(strstr(menu, "分支机构"));
	free(menu);
	term_send(&t, "3");
	must_see(&t, "时限清单（临近或超期）", 5000);
	must_see(&t, "2026年第0001号", 1000);
	char *list = term_text(&t);
	assert_null(strstr(list, "分支机构"));
	free(list);
	char *line = term_row_with(&t, "2026年第0001号");
	assert_non_null(strstr(line, "周限"));
	assert_true(text_width(line) <= 80);
	free(line);
	term_free(&t);
	struct xf_err err;
	int64_t id;
	assert_int_equal(branch_add(&fx.admin, "BJ01", "北京分行", NULL, &id, &err), XF_OK);
	term_start(&t, 24, 80, env, (const char *[]){NULL});
	must_see(&t, "各分支机构临近或超过时限的事项", 5000);
	term_send(&t, "3");
	must_see(&t, "各分支机构时限清单 第1页", 5000);
	term_free(&t);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_office_admin_at_the_desk),
		cmocka_unit_test(supervisor_at_the_desk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The one deadline at the desk: the head's 办理期限 on the 转办单 is the 周限 the status bar,
 * the limits list and the case file go by; a closed case's case file counts no days. */
#include "../unit/testutil.h"
#include "harness.h"
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fails when text is on the screen above the message line (the status bar says 超期0). */
static void must_not_see(struct term *t, const char *text)
{
	for (int r = 0; r < t->rows - 3; r++) {
		char *line = term_row(t, r);
		if (strstr(line, text) != NULL) {
			char *s = term_text(t);
			fail_msg("\"%s\" on row %d:\n%s", text, r, s);
		}
		free(line);
	}
}

/* The transfer form prefills the rules' 周限, refuses a later date on F2 with the reason and the
 * date kept as typed, and saves an earlier one as the case's 周限: the status bar counts it as
 * nearing, the limits list and the case file show it. */
static void transfer_form_deadline_is_the_week_limit(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "刘䶮"); /* handle limit 2026-11-27 */
	struct term t;
	open_desk(&t, &e, "head", NULL);
	must_see(&t, "周限 临近0 超期0", 2000);
	term_send(&t, "2");
	must_see(&t, "待批队列", 3000);
	must_see(&t, "2026年第0001号", 2000);
	term_send(&t, "t");
	must_see(&t, "信 访 转 办 单", 3000);
	/* To 办理期限: 主办部门, 协办部门, 摘要, 领导批示, 批示领导, then the date. */
	for (int i = 0; i < 5; i++)
		term_send(&t, "\t");
	must_see(&t, "办理期限  │2026-11-27", 1000); /* the rules' limit, not today */
	term_send(&t, "\025" "2026-12-31");
	must_see(&t, "2026-12-31", 1000);
	term_send(&t, K_F2);
	must_see(&t, "晚于周限 2026-11-27", 3000);
	must_see(&t, "│2026-12-31", 100); /* kept as typed */
	int row, col, crow, ccol;
	assert_true(term_find(&t, "│2026-12-31", &row, &col));
	term_cursor(&t, &crow, &ccol);
	assert_int_equal(crow, row); /* the cursor in the date */
	assert_shows(&e, "2026-0001", "state_code", "queued");
	term_send(&t, "\025" "2026-11-21");
	term_send(&t, K_F2);
	must_see(&t, "批转已完成", 3000);
	assert_shows(&e, "2026-0001", "due_handle", "2026-11-21");
	assert_shows(&e, "2026-0001", "transfer.deadline", "2026-11-21");
	assert_shows(&e, "2026-0001", "limit_handle", "2026-11-21（还剩 1 天）");
	/* The statutory 11-27 would not be nearing on 11-20; the head's date is. */
	must_see(&t, "周限 临近1 超期0", 2000);
	term_send(&t, K_F10);
	must_see(&t, "待批队列", 3000);
	term_send(&t, K_F10);
	must_see(&t, "信 访 工 作 台", 3000);
	term_send(&t, "3");
	must_see(&t, "时限清单", 3000);
	must_see(&t, "2026-11-21", 2000);
	term_send(&t, "\r");
	must_see(&t, "卷宗", 3000);
	must_see(&t, "2026-11-21（还剩 1 天）", 2000);
	term_free(&t);
	env_teardown(&e);
}

/* A case closed without a transfer (不予受理) and looked at long after its limits: the case
 * file says 已办结 and counts no days; the status bar and the limits list leave it out. */
static void closed_case_runs_no_limits(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "孙小红");
	cli(&e, "head", (const char *[]){"reject", "2026-0001", "reason=不属于本行受理范围", "advice=请向人民法院起诉", NULL});
	snprintf(e.today, sizeof e.today, "XINFANG_TODAY=%s", "2027-01-10");
	assert_shows(&e, "2026-0001", "limit_handle", "已办结");
	struct term t;
	open_desk(&t, &e, "clerk", NULL);
	must_see(&t, "周限 临近0 超期0 │ 月限 临近0 超期0 │ 待批转 0 超期0", 2000);
	term_send(&t, "3");
	must_see(&t, "时限清单", 3000);
	term_pump(&t, 300);
	must_not_see(&t, "2026年第0001号");
	term_send(&t, K_F10);
	must_see(&t, "信 访 工 作 台", 3000);
	term_send(&t, "4");
	must_see(&t, "全部", 2000);
	term_send(&t, "4");
	must_see(&t, "2026年第0001号", 2000);
	term_send(&t, "\r");
	must_see(&t, "卷宗", 3000);
	must_see(&t, "已办结", 2000);
	must_not_see(&t, "超期");
	must_not_see(&t, "还剩");
	term_free(&t);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transfer_form_deadline_is_the_week_limit),
		cmocka_unit_test(closed_case_runs_no_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* End-to-end in a real pty: the head office's supervisor urges (督办) a case the hotline handed
 * to a branch, typing the urging on the desk's 督办 screen; the branch head answers it on the
 * same screen of the branch's desk; the supervisor's list then shows it answered. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The `supervised` list as the command line prints it for a user (a new string). */
static char *supervised(struct desk_env *e, const char *user)
{
	char u[64];
	snprintf(u, sizeof u, "XINFANG_USER=%s", user);
	const char *env[] = {e->db, e->today, "XINFANG_PASSWORD=secret1", u, NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"supervised", NULL});
	assert_int_equal(r->status, 0);
	char *out = xstrdup(r->out);
	free(r);
	return out;
}

/* One urging typed on the supervisor's desk and its answer typed on the branch head's. */
static void urge_and_answer(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-12-07");
	cli(&e, "admin", (const char *[]){"branch", "add", "BJ01", "北京分行", NULL});
	cli(&e, "admin", (const char *[]){"user", "add", "sup", "supervisor", "full_name=周督办", NULL});
	cli(&e, "admin", (const char *[]){"user", "add", "bjhead", "head", "full_name=孙主任", "branch=BJ01", NULL});
	cli_case(&e, "甲");
	cli(&e, "sup", (const char *[]){"handover", "2026-0001", "BJ01", NULL});

	struct term t;
	open_desk(&t, &e, "sup", NULL);
	term_send(&t, "d");
	must_see(&t, "督办清单（下级机构）", 3000);
	term_send(&t, "n");
	must_see(&t, "督办要求", 3000);
	term_send(&t, "BJ01-2026年第0001号\t2026-12-20\t请报告约谈结果");
	must_see(&t, "请报告约谈结果", 2000);
	term_send(&t, K_F2);
	must_see(&t, "已督办 BJ01-2026年第0001号", 5000);
	must_see(&t, "未答复", 3000);
	must_see(&t, "2026-12-20", 100);
	term_free(&t);
	char *list = supervised(&e, "sup");
	assert_non_null(strstr(list, "# 督办事项（1 件）：机构\t编号\t督办期限"));
	assert_non_null(strstr(list, "BJ01\tBJ01-2026年第0001号\t2026-12-20\t13\t未答复"));
	free(list);

	open_desk(&t, &e, "bjhead", NULL);
	/* The head's keys in runs, 1-7 then d (not "1 2-7 d": the handler's own 1 between them). */
	must_see(&t, " 1-7 d 选择", 2000);
	term_send(&t, "d");
	must_see(&t, "督办：待本机构答复", 3000);
	must_see(&t, "BJ01-2026年第0001号", 2000);
	term_send(&t, "\r");
	must_see(&t, "请报告约谈结果", 3000);
	must_see(&t, "F2 答复督办", 100);
	term_send(&t, "已约谈客户并致歉");
	must_see(&t, "已约谈客户并致歉", 2000);
	term_send(&t, K_F2);
	must_see(&t, "已答复 BJ01-2026年第0001号 的督办", 5000);
	must_see(&t, "已答复", 100);
	term_free(&t);

	list = supervised(&e, "sup");
	assert_non_null(strstr(list, "BJ01\tBJ01-2026年第0001号\t2026-12-20\t13\t已答复\tbjhead\t已约谈客户并致歉"));
	free(list);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urge_and_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

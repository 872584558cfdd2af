/* End-to-end in a real pty at 80×24: the moves between branches on the case view. The head
 * office's supervisor hands the hotline's item to a branch chosen from a list (交办), then takes
 * it back over (提级办理); the branch head hands a case up (上报); each time the new number is
 * shown. The moves are offered only to who may make them: not to a branch clerk, not to a
 * head the case names (回避). An earlier number typed in 查找 reaches the case and says so. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `xinfang show NUMBER` as a user: its exit status, stdout and stderr into r. */
static void show_as(struct desk_env *e, const char *user, const char *number, struct run_result *r)
{
	char u[64];
	snprintf(u, sizeof u, "XINFANG_USER=%s", user);
	const char *env[] = {e->db, e->today, "XINFANG_PASSWORD=secret1", u, NULL};
	run_xinfang(r, env, (const char *[]){"show", number, NULL});
}

/* Fails when text is on the screen. */
static void must_not_see(struct term *t, const char *text)
{
	char *screen = term_text(t);
	if (strstr(screen, text))
		fail_msg("“%s” is on the screen:\n%s", text, screen);
	free(screen);
}

/* Opens a case on the desk by its number through 查找. */
static void open_case(struct term *t, const char *number)
{
	term_send(t, "5");
	must_see(t, "查找内容", 3000);
	term_send(t, number);
	term_send(t, K_F2);
	must_see(t, "卷宗", 3000);
}

/* The supervisor's hand-over and take-over, the branch head's hand-up, on the desk. */
static void moves_on_the_case_view(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-12-07");
	cli(&e, "admin", (const char *[]){"branch", "add", "BJ01", "北京分行", NULL});
	cli(&e, "admin", (const char *[]){"branch", "add", "SH01", "上海分行", NULL});
	cli(&e, "admin", (const char *[]){"user", "add", "sup", "supervisor", "full_name=周督办", NULL});
	cli(&e, "admin", (const char *[]){"user", "add", "bjhead", "head", "full_name=孙主任", "branch=BJ01", NULL});
	cli(&e, "admin", (const char *[]){"user", "add", "bjclerk", "operator", "full_name=钱前台", "branch=BJ01", NULL});
	cli_case(&e, "甲");
	cli_case(&e, "乙");
	cli(&e, "clerk", (const char *[]){"new", "channel=来访", "category=服务态度", "name=丙",
	                                  "summary=北京分行孙主任接待时态度冷淡", NULL});
	cli(&e, "sup", (const char *[]){"handover", "2026-0002", "BJ01", NULL});
	cli(&e, "sup", (const char *[]){"handover", "2026-0003", "BJ01", NULL});

	/* The supervisor: 交办 from the case view, the branch chosen from those in reach. */
	struct term t;
	open_desk(&t, &e, "sup", NULL);
	open_case(&t, "2026-0001");
	must_see(&t, "卷宗 2026年第0001号", 2000);
	must_see(&t, "h交办", 1000);
	term_send(&t, "h");
	must_see(&t, "交给哪个机构", 3000);
	must_see(&t, "BJ01 北京分行", 100);
	must_see(&t, "SH01 上海分行", 100);
	term_send(&t, "\r");
	must_see(&t, "接收机构", 3000);
	must_see(&t, "BJ01 北京分行", 100);
	term_send(&t, "属北京分行辖内网点");
	must_see(&t, "属北京分行辖内网点", 2000);
	term_send(&t, K_F2);
	must_see(&t, "原编号 2026年第0001号 → 现编号 BJ01-2026年第0003号", 5000);
	must_see(&t, "卷宗 BJ01-2026年第0003号", 3000);
	/* Now a case of BJ01: hand it over elsewhere or take it over; the second, 提级办理. */
	must_see(&t, "h机构间移交", 2000);
	term_send(&t, "h");
	must_see(&t, "提级办理：由本机构办理", 3000);
	term_send(&t, K_DOWN "\r");
	must_see(&t, "F2 提级办理", 3000);
	term_send(&t, K_F2);
	must_see(&t, "原编号 BJ01-2026年第0003号 → 现编号 2026年第0004号", 5000);
	must_see(&t, "卷宗 2026年第0004号", 3000);
	term_send(&t, K_F10);
	/* The earlier number typed in 查找 reaches the case and says it was renumbered. */
	term_send(&t, K_F10);
	open_case(&t, "BJ01-2026-0003");
	must_see(&t, "原编号 BJ01-2026年第0003号 → 现编号 2026年第0004号", 3000);
	must_see(&t, "卷宗 2026年第0004号", 2000);
	term_free(&t);
	struct run_result *r = malloc(sizeof *r);
	show_as(&e, "sup", "2026-0001", r);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->err, "原编号 2026年第0001号 → 现编号 2026年第0004号"));
	assert_non_null(strstr(r->out, "2026年第0004号"));

	/* The branch clerk is offered no move between branches. */
	open_desk(&t, &e, "bjclerk", NULL);
	open_case(&t, "2026-0001");
	must_see(&t, "卷宗 BJ01-2026年第0001号", 2000);
	must_not_see(&t, "上报");
	term_send(&t, "h");
	must_see(&t, "现在不能把这件事项移交给其他机构", 2000);
	term_free(&t);

	/* The branch head: 上报 to the head office; the case leaves the head's reach. A case that
	 * names the head is not offered to them. */
	open_desk(&t, &e, "bjhead", NULL);
	open_case(&t, "2026-0002");
	must_see(&t, "卷宗 BJ01-2026年第0002号", 2000);
	must_not_see(&t, "h上报");
	term_send(&t, K_F10);
	term_send(&t, K_F10);
	open_case(&t, "2026-0001");
	must_see(&t, "卷宗 BJ01-2026年第0001号", 2000);
	must_see(&t, "h上报", 1000);
	term_send(&t, "h");
	must_see(&t, "F2 上报", 3000);
	term_send(&t, "涉及总行政策");
	term_send(&t, K_F2);
	must_see(&t, "原编号 BJ01-2026年第0001号 → 现编号 2026年第0005号", 5000);
	term_free(&t);
	show_as(&e, "bjhead", "BJ01-2026-0001", r);
	assert_int_not_equal(r->status, 0);
	show_as(&e, "head", "BJ01-2026-0001", r);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->err, "现编号 2026年第0005号"));
	free(r);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(moves_on_the_case_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

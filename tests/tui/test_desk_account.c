/* End-to-end in a real pty: a handler's desk opened before the admin disabled the account, or
 * changed its role or department, records nothing after the change; the desk says why in
 * Chinese and goes back to the login. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One change the admin makes from the command line, and what the desk must then say. */
struct change {
	const char *const *argv;
	const char *said;      /* on the login screen the desk returns to */
	const char *relogin;   /* after logging in again: NULL when the login must be refused */
	const char *next;      /* what the message tells the person to do */
};

/* The handler opens the case of their department, starts 补充材料 and types it; the admin
 * makes the change; the handler saves. Nothing is recorded, the desk is back at the login
 * saying why, and logging in again gives the account as it now is. */
static void desk_after_change(const struct change *c)
{
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli(&e, "admin", (const char *[]){"user", "add", "handler", "handler", "full_name=赵敏", "dept=个人金融部", NULL});
	cli_case(&e, "甲");
	cli(&e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	struct term t;
	open_desk(&t, &e, "handler", NULL);
	term_send(&t, "1");
	must_see(&t, "本部门待办：个人金融部", 2000);
	term_send(&t, "\r");
	must_see(&t, "卷宗", 2000);
	term_send(&t, "m");
	must_see(&t, "材料内容", 2000);
	term_send(&t, "交易流水两页");
	must_see(&t, "交易流水两页", 1000);
	cli(&e, "admin", c->argv);
	term_send(&t, K_F2);
	must_see(&t, "请登录", 5000);
	must_see(&t, c->said, 1000);
	must_see(&t, "这次登录已失效", 100);
	must_see(&t, c->next, 100);
	assert_shows(&e, "2026-0001", "materials", "0");
	/* The same person logs in again: the account as it is now, or the one refusal. */
	term_send(&t, "secret1\r");
	must_see(&t, c->relogin ? c->relogin : "用户名或密码不对，或账户已停用", 5000);
	assert_shows(&e, "2026-0001", "materials", "0");
	term_free(&t);
	env_teardown(&e);
}

/* Disabled: the desk goes back to the login; the right password is then answered as any
 * wrong one is. */
static void disabled_during_session(void **state)
{
	(void)state;
	const struct change c = {(const char *[]){"user", "disable", "handler", NULL}, "账户 handler 已被管理员停用", NULL,
	                         "请与管理员联系"};
	desk_after_change(&c);
}

/* Another role: the handler, now a clerk, logs in again as one. */
static void role_changed_during_session(void **state)
{
	(void)state;
	const struct change c = {(const char *[]){"user", "role", "handler", "operator", NULL},
	                         "角色已由经办人改为接待员", "赵敏（接待员）", "请重新登录"};
	desk_after_change(&c);
}

/* Another department: the old department's case is no longer theirs to add to. */
static void department_changed_during_session(void **state)
{
	(void)state;
	const struct change c = {(const char *[]){"user", "role", "handler", "handler", "dept=公司金融部", NULL},
	                         "部门已由“个人金融部”改为“公司金融部”", "赵敏（经办人）",
	                         "请重新登录"};
	desk_after_change(&c);
}

/* On a terminal, `user add` refuses a weak password as soon as it is typed, with the reason,
 * instead of asking for it again; a good one is asked twice and the account is made. */
static void command_line_refuses_weak_password(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	struct term t;
	const char *env[] = {e.db, e.today, "XINFANG_USER=admin", "XINFANG_PASSWORD=secret1", NULL};
	term_start(&t, 24, 80, env, (const char *[]){"user", "add", "zhou", "operator", NULL});
	must_see(&t, "新密码（至少 6 个字符）", 5000);
	term_send(&t, "123456\r");
	must_see(&t, "新密码全是数字", 5000);
	assert_int_equal(term_stop(&t, 0, 5000), 1);
	char *screen = term_text(&t);
	assert_null(strstr(screen, "再输入一遍"));
	assert_null(strstr(screen, "123456")); /* never echoed */
	free(screen);
	term_free(&t);
	term_start(&t, 24, 80, env, (const char *[]){"user", "add", "zhou", "operator", NULL});
	must_see(&t, "新密码（至少 6 个字符）", 5000);
	term_send(&t, "7 tigers!\r");
	must_see(&t, "再输入一遍", 5000);
	term_send(&t, "7 tigers!\r");
	must_see(&t, "已添加用户 zhou", 5000);
	term_free(&t);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(disabled_during_session),
		cmocka_unit_test(role_changed_during_session),
		cmocka_unit_test(department_changed_during_session),
		cmocka_unit_test(command_line_refuses_weak_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

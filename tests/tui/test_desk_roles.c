/* The desk for every role of the office, at 80×24 and 120×40: the case file, the head's
 * queue and decisions, the handler's day, the admin's lists, keys and messages. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"

/* The two sizes every screen is tried at. */
static const int sizes[][2] = {{24, 80}, {40, 120}};

/* Adds the handler of 个人金融部 (赵敏). */
static void add_handler(struct desk_env *e)
{
	cli(e, "admin", (const char *[]){"user", "add", "handler", "handler", "full_name=赵敏", "dept=个人金融部", NULL});
}

/* Waits for text, paging down through a long screen until it shows. */
static void see_paging(struct term *t, const char *text)
{
	for (int i = 0; i < 8; i++) {
		if (term_wait(t, text, i ? 300 : 1500))
			return;
		term_send(t, "\033[6~"); /* Page Down */
	}
	must_see(t, text, 100);
}

/* Fails when a row of the screen starts (after its indent) with closing punctuation. */
static void no_line_starts_with_closing_punctuation(struct term *t)
{
	for (int r = 1; r < t->rows - 3; r++) {
		char *line = term_row(t, r);
		size_t len = strlen(line), i = 0;
		while (i < len && line[i] == ' ')
			i++;
		uint32_t cp;
		if (i < len && utf8_decode(line + i, len - i, &cp) > 0 && text_no_line_start(cp))
			fail_msg("row %d starts with closing punctuation: %s", r, line);
		free(line);
	}
}

/* Opens the first case of 事项列表 → 全部. */
static void open_first_case(struct term *t)
{
	term_send(t, "4");
	must_see(t, "全部", 2000);
	term_send(t, "4");
	must_see(t, "2026年第0001号", 2000);
	term_send(t, "\r");
	must_see(t, "卷宗", 2000);
}

/* The case file shows the transfer's instruction and opinion, every identifier whole, and
 * breaks lines without starting one with a comma, at both sizes. */
static void case_file_shows_everything(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	/* 36 characters, a comma, 19, a comma: a naive wrap starts a line with it at 80 and 120. */
	cli(&e, "clerk",
	    (const char *[]){"new", "channel=来访", "category=服务态度", "name=欧阳修文", "phone=13912345678",
	                     "id_number=11010519491231002X", "work_unit=北京市朝阳区建国路八十八号华贸中心写字楼三座二十层",
	                     "summary=本人在城东支行营业部办理存款业务时柜员态度冷淡答复敷衍排队等候超过一小时"
	                     "，要求支行负责人当面道歉并说明处理的结果，另请核查当日监控录像并回复处理意见。",
	                     NULL});
	cli(&e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", "instruction=请认真核查并于五日内书面报告",
	                                 "leader=张行长", "opinion=请个人金融部牵头核实，客服中心配合", NULL});
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		struct term t;
		open_desk_sized(&t, &e, "clerk", NULL, sizes[s][0], sizes[s][1]);
		open_first_case(&t);
		must_see(&t, "联系电话：13912345678", 1000); /* the 11 digits whole on one row */
		must_see(&t, "11010519491231002X", 100);
		no_line_starts_with_closing_punctuation(&t);
		see_paging(&t, "领导批示：请认真核查并于五日内书面报告");
		see_paging(&t, "办公室意见：请个人金融部牵头核实，客服中心配合");
		see_paging(&t, "李建国（办公室主任）");
		see_paging(&t, "状态：待批 → 已转办");
		/* Home and End (every spelling) and unknown keys move within the case file, never out. */
		term_send(&t, "\033[1~");
		must_see(&t, "联系电话：13912345678", 1000);
		term_send(&t, "\033[4~\033OF\033OH\033[99~\033[1;5Z");
		must_see(&t, "联系电话：13912345678", 1000);
		must_see(&t, "卷宗 2026年第0001号", 100);
		term_free(&t);
	}
	env_teardown(&e);
}

/* A withdrawal: 自愿 is set from the start, a stray Space or typing does not change it, and
 * the move waits for a confirmation that says what follows. */
static void closing_move_needs_confirmation(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "钱八");
	struct term t;
	open_desk(&t, &e, "clerk", NULL);
	open_first_case(&t);
	term_send(&t, "w");
	must_see(&t, "是否自愿撤诉", 2000);
	must_see(&t, "│是 ", 500);
	term_send(&t, "问题已当场解决");
	term_send(&t, "\t ");             /* to 是否自愿撤诉; a stray Space opens the list only */
	must_see(&t, "回车 确定", 1000);
	term_send(&t, "\033");            /* and Esc leaves it as it was */
	assert_true(term_wait_gone(&t, "回车 确定", 1000));
	term_send(&t, "x否");              /* typing into a choice is refused, whole characters only */
	must_see(&t, "是选择项", 1000);
	must_see(&t, "│是 ", 500);
	char *screen = term_text(&t);
	assert_null(strstr(screen, "\xef\xbf\xbd")); /* no U+FFFD, no half character */
	free(screen);
	term_send(&t, K_F2);
	must_see(&t, "确认撤诉", 2000);
	must_see(&t, "自愿撤诉", 100);
	term_send(&t, "n");
	must_see(&t, "没有办理“撤诉”", 2000);
	assert_shows(&e, "2026-0001", "state", "待批");
	term_send(&t, K_F2);
	must_see(&t, "确认撤诉", 2000);
	term_send(&t, "y");
	must_see(&t, "撤诉已完成", 2000);
	assert_shows(&e, "2026-0001", "state", "已结案");
	assert_shows(&e, "2026-0001", "closure.voluntary", "是");
	term_free(&t);
	env_teardown(&e);
}

/* The head sees an extension request among the urgent items with the date asked for and
 * the reason, and the decision form shows both. */
static void extension_decision_shows_request(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	add_handler(&e);
	cli_case(&e, "孙七");
	cli_case(&e, "周八");
	cli(&e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	cli(&e, "handler", (const char *[]){"extend", "2026-0001", "until=2026-12-10", "reason=需调取三个月的监控录像", NULL});
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		struct term t;
		open_desk_sized(&t, &e, "head", NULL, sizes[s][0], sizes[s][1]);
		term_send(&t, "2");
		must_see(&t, "延期申请", 2000);
		int erow, ecol, nrow, ncol;
		assert_true(term_find(&t, "延期申请", &erow, &ecol));
		assert_true(term_find(&t, "2026年第0002号", &nrow, &ncol));
		assert_true(erow > nrow); /* due later than the new item's transfer limit, so below it */
		assert_true(erow < t.rows - 8); /* among the items, not at the bottom of the screen */
		term_send(&t, K_DOWN);
		must_see(&t, "申请延至 2026-12-10", 1000);
		must_see(&t, "需调取三个月的监控录像", 100);
		term_send(&t, "d");
		must_see(&t, "审批意见", 2000);
		must_see(&t, "2026-12-10", 100);
		must_see(&t, "需调取三个月的监控录像", 100);
		must_see(&t, "赵敏（经办人）", 100);
		if (s == 1) {
			term_send(&t, K_F2);
			must_see(&t, "审批延期已完成", 2000);
			assert_shows(&e, "2026-0001", "due_handle", "2026-12-10");
		}
		term_free(&t);
	}
	env_teardown(&e);
}

/* The handler's status bar says what `xinfang status` says for the handler. */
static void handler_bar_equals_status(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	add_handler(&e);
	cli_case(&e, "甲");
	cli_case(&e, "乙");
	cli_case(&e, "丙");
	cli(&e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	cli(&e, "head", (const char *[]){"transfer", "2026-0002", "dept=运营管理部", NULL});
	snprintf(e.today, sizeof e.today, "XINFANG_TODAY=2026-11-26");
	const char *env[] = {e.db, e.today, "XINFANG_PASSWORD=secret1", "XINFANG_USER=handler", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 0);
	r->out[strcspn(r->out, "\n")] = '\0';
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		struct term t;
		open_desk_sized(&t, &e, "handler", NULL, sizes[s][0], sizes[s][1]);
		must_see(&t, "本部门待办", 2000);
		must_see(&t, r->out, 2000);
		int row, col;
		assert_true(term_find(&t, r->out, &row, &col));
		assert_int_equal(row, t.rows - 2);
		/* The handler's keys: 1 their department's cases, F5 the limits list. */
		term_send(&t, K_F5);
		must_see(&t, "时限清单", 2000);
		must_see(&t, "2026年第0001号", 1000);
		char *screen = term_text(&t);
		assert_null(strstr(screen, "2026年第0002号")); /* another department's case */
		free(screen);
		term_send(&t, K_F10);
		term_send(&t, "1");
		must_see(&t, "本部门待办：个人金融部", 2000);
		term_send(&t, "\r");
		must_see(&t, "卷宗", 2000);
		term_send(&t, "o");
		must_see(&t, "处 理 结 果 报 告 单", 2000);
		term_send(&t, K_F10);
		must_see(&t, "卷宗", 2000);
		term_free(&t);
	}
	free(r);
	env_teardown(&e);
}

/* The admin adds a department and a clerk can transfer to it... the head can: it is offered. */
static void admin_adds_a_department(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	struct term t;
	open_desk(&t, &e, "admin", NULL);
	term_send(&t, "8");
	must_see(&t, "基础清单", 2000);
	term_send(&t, "\r");
	must_see(&t, "个人金融部", 2000);
	term_send(&t, "a");
	must_see(&t, "部门名称", 2000);
	term_send(&t, "普惠金融部\t小微企业贷款" K_F2);
	must_see(&t, "承办部门“普惠金融部”已添加", 2000);
	must_see(&t, "小微企业贷款", 100);
	term_send(&t, K_F10 K_F10);
	term_send(&t, "9");
	must_see(&t, "节假日日历", 2000);
	must_see(&t, "使用中", 1000);
	term_free(&t);
	cli_case(&e, "丁");
	cli(&e, "head", (const char *[]){"transfer", "2026-0001", "dept=普惠金融部", NULL});
	assert_shows(&e, "2026-0001", "department", "普惠金融部");
	env_teardown(&e);
}

/* The admin adds an account on the accounts screen, and it can log in. */
static void admin_adds_an_account(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	struct term t;
	open_desk(&t, &e, "admin", NULL);
	term_send(&t, "a");
	must_see(&t, "账户管理", 2000);
	must_see(&t, "李建国", 1000);
	term_send(&t, "a");
	must_see(&t, "账户（登录名）", 2000);
	term_send(&t, "xiaozhou\t周晓\t" K_RIGHT K_RIGHT "\t" K_F3); /* 接待员 → 经办人; the department's list */
	must_see(&t, "个人金融部", 2000);
	term_send(&t, "\r");
	must_see(&t, "│经办人", 1000);
	term_send(&t, K_F2);
	must_see(&t, "的新密码", 2000);
	term_send(&t, "secret1\r");
	must_see(&t, "再输入一遍", 2000);
	term_send(&t, "secret1\r");
	must_see(&t, "已添加账户 xiaozhou", 2000);
	must_see(&t, "周晓", 1000);
	term_free(&t);
	open_desk(&t, &e, "xiaozhou", NULL);
	must_see(&t, "周晓（经办人）", 2000);
	must_see(&t, "本部门待办", 1000);
	term_free(&t);
	env_teardown(&e);
}

/* The admin's file forms show their whole note at 80 columns: the backup's (other desks keep
 * working; the file must be new) and the calendar's file format. */
static void admin_file_forms_show_whole_note(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	struct term t;
	open_desk(&t, &e, "admin", NULL);
	term_send(&t, "b");
	must_see(&t, "立即核验", 2000);
	term_send(&t, "b");
	must_see(&t, "备份到文件", 2000);
	must_see(&t, "说明：备份时其他工作台照常办理；文件须是新的", 500);
	term_send(&t, K_F10 K_F10);
	must_see(&t, "信 访 工 作 台", 2000);
	term_send(&t, "9");
	must_see(&t, "节假日日历", 2000);
	term_send(&t, "l");
	must_see(&t, "日历文件", 2000);
	must_see(&t, "格式：YYYY.txt，每行：日期 休|班 名称", 500);
	term_free(&t);
	env_teardown(&e);
}

/* Messages leave when their cause is fixed and do not follow to other screens; a long one
 * keeps the key it names at 80 columns. */
static void messages_clear_when_fixed(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	for (int i = 0; i < 7; i++)
		cli_case(&e, "张伟");
	struct term t;
	open_desk(&t, &e, "clerk", NULL);
	term_send(&t, "1");
	must_see(&t, "信 访 登 记 表", 2000);
	term_send(&t, "\t\t\t张伟\t");
	must_see(&t, "同名 7 件", 2000);
	must_see(&t, "按 F6 关联", 100);
	term_send(&t, K_BTAB "\025李四\t"); /* the name changed: the warning goes */
	assert_true(term_wait_gone(&t, "同名 7 件", 2000));
	term_send(&t, "\t\t\t\t\t1391234\t"); /* gender, age, people, document type and number; a short phone */
	must_see(&t, "手机号应为 11 位", 2000);
	term_send(&t, "\025" "13912345678\t");
	assert_true(term_wait_gone(&t, "手机号应为 11 位", 2000));
	term_send(&t, K_BTAB "\0251391\t");
	must_see(&t, "手机号应为 11 位", 2000);
	term_send(&t, K_F10);                /* to the menu: the message stays behind */
	must_see(&t, "信 访 工 作 台", 2000);
	assert_true(term_wait_gone(&t, "手机号应为 11 位", 1000));
	/* The draft is announced on the menu; dropped, it is not said to be kept. */
	must_see(&t, "未保存的登记草稿", 1000);
	term_send(&t, "1");
	must_see(&t, "已恢复", 2000);
	term_send(&t, "\004y");
	must_see(&t, "草稿已放弃", 2000);
	term_send(&t, K_F10);
	must_see(&t, "没有留草稿", 2000);
	assert_true(term_wait_gone(&t, "未保存的登记草稿", 1000));
	term_free(&t);
	env_teardown(&e);
}

/* A branch's head sees their branch's cases only on the queue and in search; the admin of
 * the store above sees both branches' (the reach is the core's, the screens show what it gives). */
static void branch_desk_shows_its_reach(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli(&e, "admin", (const char *[]){"branch", "add", "BJ01", "北京分行", NULL});
	cli(&e, "admin", (const char *[]){"branch", "add", "SH01", "上海分行", NULL});
	cli(&e, "admin", (const char *[]){"user", "add", "bjclerk", "operator", "branch=BJ01", NULL});
	cli(&e, "admin", (const char *[]){"user", "add", "bjhead", "head", "branch=BJ01", NULL});
	cli(&e, "admin", (const char *[]){"user", "add", "shclerk", "operator", "branch=SH01", NULL});
	cli(&e, "bjclerk", (const char *[]){"new", "channel=来访", "category=服务态度", "name=张北京",
	                                    "summary=北京柜台投诉", NULL});
	cli(&e, "shclerk", (const char *[]){"new", "channel=来访", "category=服务态度", "name=李上海",
	                                    "summary=上海柜台投诉", NULL});
	struct term t;
	open_desk(&t, &e, "bjhead", NULL);
	term_send(&t, "2");
	must_see(&t, "BJ01-2026年第0001号", 3000);
	int row, col;
	assert_false(term_find(&t, "SH01-", &row, &col));
	assert_false(term_find(&t, "李上海", &row, &col));
	term_send(&t, K_F10);
	term_send(&t, "5");
	must_see(&t, "查找内容", 3000);
	term_send(&t, "投诉" K_F2);
	must_see(&t, "查找结果", 3000);
	must_see(&t, "共 1 件", 1000);
	must_see(&t, "张北京", 1000);
	assert_false(term_find(&t, "李上海", &row, &col));
	term_free(&t);
	open_desk(&t, &e, "admin", NULL);
	term_send(&t, "5");
	must_see(&t, "查找内容", 3000);
	term_send(&t, "投诉" K_F2);
	must_see(&t, "共 2 件", 3000);
	must_see(&t, "李上海", 1000);
	must_see(&t, "张北京", 1000);
	term_free(&t);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case_file_shows_everything),
		cmocka_unit_test(closing_move_needs_confirmation),
		cmocka_unit_test(extension_decision_shows_request),
		cmocka_unit_test(handler_bar_equals_status),
		cmocka_unit_test(admin_adds_a_department),
		cmocka_unit_test(admin_adds_an_account),
		cmocka_unit_test(admin_file_forms_show_whole_note),
		cmocka_unit_test(messages_clear_when_fixed),
		cmocka_unit_test(branch_desk_shows_its_reach),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

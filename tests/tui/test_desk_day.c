/* The office's day at the desk, at 80x24: the JR/T 0169 codes entered on the registration form
 * and counted, and the messages and keys a clerk, the head, a handler and the admin meet. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/paths.h"
#include "xinfang/text.h"

/* The two message rows of an 80x24 desk joined, spaces left out. */
static char *message_rows(struct term *t)
{
	struct xf_buf b;
	buf_init(&b);
	for (int r = 20; r <= 21; r++) {
		char *row = term_row(t, r);
		for (const char *p = row; *p; p++)
			if (*p != ' ')
				buf_add(&b, p, 1);
		free(row);
	}
	return b.data;
}

/* Fails unless the message rows hold `want` (spaces left out of both). */
static void message_holds(struct term *t, const char *want)
{
	char *m = message_rows(t);
	struct xf_buf w;
	buf_init(&w);
	for (const char *p = want; *p; p++)
		if (*p != ' ')
			buf_add(&w, p, 1);
	if (strstr(m, w.data) == NULL)
		fail_msg("message rows hold \"%s\", not \"%s\":\n%s", m, want, term_text(t));
	buf_free(&w);
	free(m);
}

/* Output of a command line run as `user`. */
static char *cli_out(struct desk_env *e, const char *user, const char *const *argv)
{
	char u[64];
	snprintf(u, sizeof u, "XINFANG_USER=%s", user);
	const char *env[] = {e->db, e->today, "XINFANG_PASSWORD=secret1", u, NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, argv);
	if (r->status != 0)
		fail_msg("xinfang %s: %s", argv[0], r->err);
	char *out = xstrdup(r->out);
	free(r);
	return out;
}

/* On the registration form: 来访, a name, 服务态度 and a summary typed; the cursor is left on
 * 材料（份）. */
static void fill_registration(struct term *t, const char *name)
{
	term_send(t, "\t" K_RIGHT K_RIGHT K_RIGHT "\t\t"); /* received; channel 来访; importance */
	term_send(t, name);
	term_send(t, "\t\t\t\t\t\t\t\t\t\t\t\t\t"); /* name … accused */
	term_send(t, K_RIGHT K_RIGHT "\t\t");         /* category 服务态度; amount */
	term_send(t, "柜员态度冷淡，要求道歉\t");
}

/* A new store as of `today` with one case registered at the desk, the saved form still open. */
static void registered_at_desk(struct desk_env *e, struct term *t, const char *today)
{
	open_registration(e, t, today);
	fill_registration(t, "孙小红");
	term_send(t, K_F2);
	must_see(t, "已登记 2026年第0001号", 3000);
}

/* 业务渠道, 业务类型 and 投诉原因 are fields of the registration form: chosen from data/jrt_*.txt
 * with F3, checked, saved, shown in the case file and counted by the JR/T statistics. */
static void jrt_codes_entered_and_counted(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	fill_registration(&t, "孙小红");
	term_send(&t, "\t\t\t"); /* materials, first asked, receiver: on 当场答复 */
	term_send(&t, "\t");    /* on 业务渠道 */
	assert_false(term_wait(&t, "不在此填写", 300));
	term_send(&t, K_F3);
	must_see(&t, "营业现场", 2000);
	must_see(&t, "电子渠道", 100);
	term_send(&t, K_DOWN K_DOWN "\r"); /* 电子渠道 */
	must_see(&t, "│电子渠道", 2000);
	term_send(&t, "\t" K_F3);
	must_see(&t, "人民币储蓄", 2000);
	term_send(&t, K_DOWN "\r"); /* 贷款 */
	term_send(&t, "\t" K_F3);
	must_see(&t, "服务态度及服务质量", 2000);
	term_send(&t, "\r");
	/* Typing into a choice is not taken: said, and the value stays. */
	term_send(&t, "x");
	must_see(&t, "“投诉原因”是选择项", 2000);
	term_send(&t, K_F2);
	must_see(&t, "已登记 2026年第0001号", 3000);
	assert_shows(&e, "2026-0001", "jrt_channel", "电子渠道");
	assert_shows(&e, "2026-0001", "jrt_type", "贷款");
	assert_shows(&e, "2026-0001", "jrt_cause", "服务态度及服务质量");
	/* Counted under its codes, not 未分类. */
	char *stats = cli_out(&e, "head", (const char *[]){"stats", "month=2026-11", "by=jrt", NULL});
	const char *axis = strstr(stats, "按 JR/T 业务渠道");
	assert_non_null(axis);
	assert_non_null(strstr(axis, "电子渠道"));
	assert_null(strstr(axis, "未分类"));
	assert_non_null(strstr(axis, "贷款"));
	free(stats);
	term_free(&t);
	/* The case file shows them. */
	open_desk(&t, &e, "clerk", NULL);
	term_send(&t, "5");
	must_see(&t, "查找", 2000);
	term_send(&t, "2026-0001\r");
	must_see(&t, "卷宗", 3000);
	must_see(&t, "电子渠道", 2000);
	must_see(&t, "贷款", 100);
	term_free(&t);
	env_teardown(&e);
}

/* Fails unless the cursor is on the row holding `label`. */
static void cursor_on(struct term *t, const char *label)
{
	int row, col, crow, ccol;
	if (!term_find(t, label, &row, &col))
		fail_msg("\"%s\" not on the screen:\n%s", label, term_text(t));
	term_cursor(t, &crow, &ccol);
	if (crow != row)
		fail_msg("the cursor is on row %d, not on \"%s\" (row %d):\n%s", crow, label, row, term_text(t));
}

/* A receipt date after today is refused as its field is left, the cursor kept there; typing
 * into the prefilled date replaces it. */
static void future_receipt_date_refused_on_leaving(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	term_send(&t, "2026-11-25\t");
	must_see(&t, "收件日期 2026-11-25 晚于今天（2026-11-20）", 2000);
	cursor_on(&t, "收件时间");
	term_send(&t, "\0252026-11-20\t"); /* Ctrl-U: what was typed is kept until cleared */
	assert_true(term_wait_gone(&t, "晚于今天", 2000));
	cursor_on(&t, "来源渠道");
	term_free(&t);
	env_teardown(&e);
}

/* Typing into 人数 as prefilled (1) replaces the 1: 3 is 3, not 13. */
static void prefilled_people_replaced(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	term_send(&t, "\t" K_RIGHT K_RIGHT K_RIGHT "\t\t"); /* received; channel 来访; importance */
	term_send(&t, "孙小红\t\t\t");                        /* name, gender, age: on 人数 (1) */
	cursor_on(&t, "人    数");
	term_send(&t, "3\t");
	int r, c;
	assert_true(term_find(&t, "人    数", &r, &c));
	char *row = term_row(&t, r);
	assert_non_null(strstr(row, "│3 "));
	assert_null(strstr(row, "13"));
	free(row);
	term_send(&t, "\t\t\t\t\t\t\t\t\t"); /* id_type … accused: on 类别 */
	term_send(&t, K_RIGHT K_RIGHT "\t\t");  /* 服务态度; amount */
	term_send(&t, "柜员态度冷淡，要求道歉\t");
	term_send(&t, K_F2);
	must_see(&t, "已登记 2026年第0001号", 3000);
	assert_shows(&e, "2026-0001", "people", "3");
	term_free(&t);
	env_teardown(&e);
}

/* Limits estimated past the calendar: the note after saving names no command, says which year
 * is missing and is shown whole with the key it names. */
static void estimate_note_in_desk_words(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	registered_at_desk(&e, &t, "2026-12-21");
	message_holds(&t, "已登记 2026年第0001号；2027 年的节假日日历尚未导入，时限暂按周末和法定节日推算，导入后自动重算。"
	                  "按 F4 打印登记表");
	char *m = message_rows(&t);
	assert_null(strstr(m, "xinfang"));
	assert_null(strstr(m, "…"));
	free(m);
	term_free(&t);
	env_teardown(&e);
}

/* The message of a saved registration does not stay on the blank form Ctrl-N opens. */
static void saved_message_leaves_with_the_form(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	registered_at_desk(&e, &t, "2026-11-20");
	term_send(&t, "\016");
	must_see(&t, "（保存后生成）", 2000);
	assert_true(term_wait_gone(&t, "已登记", 2000));
	term_free(&t);
	env_teardown(&e);
}

/* A registration with 当场答复 filled says, once saved, that the case is closed. */
static void spot_answer_says_closed(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_registration(&e, &t, "2026-11-20");
	fill_registration(&t, "孙小红");
	term_send(&t, "\t\t\t"); /* materials, first asked, receiver: on 当场答复 */
	term_send(&t, "已当场解释并致歉");
	term_send(&t, K_F2);
	must_see(&t, "确认保存", 2000);
	term_send(&t, "y");
	must_see(&t, "已登记 2026年第0001号，已以当场答复结案", 3000);
	assert_shows(&e, "2026-0001", "state", "已结案");
	term_free(&t);
	env_teardown(&e);
}

/* The admin adding a handler without a department hears it before any password is asked, in
 * the desk's words, with the cursor in 部门. */
static void account_department_before_password(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	env_setup(&e, "2026-11-20");
	open_desk(&t, &e, "admin", NULL);
	term_send(&t, "a");
	must_see(&t, "账户管理", 2000);
	term_send(&t, "a");
	must_see(&t, "添加账户", 2000);
	term_send(&t, "zhaomin\t赵敏\t" K_RIGHT K_RIGHT); /* role 经办人 */
	must_see(&t, "经办人", 1000);
	term_send(&t, K_F2);
	must_see(&t, "经办人须指定所在部门", 2000);
	assert_false(term_wait(&t, "新密码", 300));
	char *m = message_rows(&t);
	assert_null(strstr(m, "dept="));
	free(m);
	cursor_on(&t, "部门（经办人必填）");
	/* With the department chosen, the password is asked. */
	term_send(&t, K_RIGHT);
	term_send(&t, K_F2);
	must_see(&t, "zhaomin的新密码", 2000);
	term_send(&t, "secret9\rsecret9\r");
	must_see(&t, "已添加账户 zhaomin", 2000);
	term_free(&t);
	env_teardown(&e);
}

/* A case transferred to 个人金融部, the desk open as its handler on the case's return form. */
static void handler_return_form(struct desk_env *e, struct term *t)
{
	env_setup(e, "2026-11-20");
	cli(e, "admin", (const char *[]){"user", "add", "handler", "handler", "full_name=赵敏", "dept=个人金融部", NULL});
	cli_case(e, "孙小红");
	cli(e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	open_desk(t, e, "handler", NULL);
	term_send(t, "1");
	must_see(t, "2026年第0001号", 2000);
	term_send(t, "\r");
	must_see(t, "卷宗", 2000);
	term_send(t, "b");
	must_see(t, "退回理由", 2000);
}

/* A handler returning a case to the office hears that it was done, not a refusal. */
static void handler_return_answered(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	handler_return_form(&e, &t);
	term_send(&t, "不属于本部门业务");
	term_send(&t, K_F2);
	must_see(&t, "2026年第0001号：退回已完成", 3000);
	assert_false(term_wait(&t, "无权", 500));
	assert_shows(&e, "2026-0001", "state", "待批");
	term_free(&t);
	env_teardown(&e);
}

/* A store with a passport holder's case transferred, the desk open on its case file as the
 * head. */
static void passport_case_file(struct desk_env *e, struct term *t)
{
	env_setup(e, "2026-11-20");
	cli(e, "clerk", (const char *[]){"new", "channel=来访", "category=服务态度", "name=约翰", "id_type=护照",
	                                 "id_number=E12345678", "summary=柜员态度冷淡，要求道歉", NULL});
	cli(e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
	open_desk(t, e, "head", NULL);
	term_send(t, "5");
	must_see(t, "查找", 2000);
	term_send(t, "2026-0001\r");
	must_see(t, "卷宗 2026年第0001号", 3000);
}

/* From the case file, the print dialog of the transfer slip with 打印到 set to `dest`. */
static void open_print_dialog(struct term *t, const char *dest)
{
	term_send(t, "p");
	must_see(t, "打印哪一张", 2000);
	term_send(t, K_DOWN "\r"); /* 信访转办单 */
	must_see(t, "打印到            │打印机", 3000);
	choose_print_dest(t, dest);
}

/* Prints the transfer slip to a text file from the case file; the file's text (a new string). */
static char *print_slip_to_file(struct desk_env *e, struct term *t)
{
	open_print_dialog(t, "文件");
	for (int i = 0; i < 3; i++) { /* Tab to the file's name, wherever the dialog puts it */
		int r, c, cr, cc;
		assert_true(term_find(t, "│文件              │", &r, &c));
		term_cursor(t, &cr, &cc);
		if (cr == r)
			break;
		term_send(t, "\t");
	}
	char path[160];
	snprintf(path, sizeof path, "\025%s/slip.txt", e->dir);
	term_send(t, path);
	term_send(t, K_F2);
	must_see(t, "已打印到文件", 3000);
	char *bytes, *text;
	size_t len;
	assert_int_equal(paths_read_file(path + 1, &bytes, &len, NULL), XF_OK);
	assert_int_equal(text_decode(bytes, len, "GB18030", &text, NULL), XF_OK);
	free(bytes);
	return text;
}

/* The print dialog visits only the fields that apply: the office's printer has a queue and a
 * format (no file); a file has its name, the format only when the name has no .pdf or .txt to
 * settle it, and the encoding only for text. */
static void print_dialog_skips_what_does_not_apply(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	passport_case_file(&e, &t);
	open_print_dialog(&t, "打印机");
	term_send(&t, "\t");
	cursor_on(&t, "│打印机队列");
	term_send(&t, "\t");
	cursor_on(&t, "│格式");
	term_send(&t, K_BTAB K_BTAB K_RIGHT);
	must_see(&t, "打印到            │文件", 1000);
	term_send(&t, "\t");
	cursor_on(&t, "│文件              │");
	/* The offered name ends .pdf: it settles the format, and PDF has no encoding. */
	must_see(&t, "-transfer.pdf", 1000);
	term_send(&t, "\t");
	must_see(&t, "“文件”是最后一项", 1000);
	cursor_on(&t, "│文件              │");
	/* A name without an extension: the format decides, and 文本 asks for an encoding. */
	char *path = xasprintf("\025%s/slip", e.dir);
	term_send(&t, path);
	term_send(&t, "\t");
	cursor_on(&t, "│格式");
	term_send(&t, "\t");
	must_see(&t, "“格式”是最后一项", 1000); /* PDF: no encoding */
	cursor_on(&t, "│格式");
	term_send(&t, K_RIGHT);
	must_see(&t, "格式              │文本", 1000);
	term_send(&t, "\t");
	cursor_on(&t, "│文本编码");
	term_send(&t, K_F2);
	must_see(&t, "已打印到文件", 3000);
	must_see(&t, "（文本）", 1000);
	char *bytes;
	size_t len;
	assert_int_equal(paths_read_file(path + 1, &bytes, &len, NULL), XF_OK);
	assert_true(len > 4 && memcmp(bytes, "%PDF", 4) != 0);
	free(bytes);
	free(path);
	term_free(&t);
	env_teardown(&e);
}

/* A file named .pdf is a PDF whatever 格式 says, and what is remembered for the next dialog is
 * what was written: it offers a .pdf name again, not .txt. */
static void print_dialog_remembers_what_was_written(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	passport_case_file(&e, &t);
	open_print_dialog(&t, "文件");
	term_send(&t, "\t");
	cursor_on(&t, "│文件              │");
	char *bare = xasprintf("\025%s/slip", e.dir);
	term_send(&t, bare);
	term_send(&t, "\t" K_RIGHT);
	must_see(&t, "格式              │文本", 1000);
	term_send(&t, K_BTAB);
	cursor_on(&t, "│文件              │");
	char *named = xasprintf("\025%s/slip.pdf", e.dir);
	term_send(&t, named);
	term_send(&t, K_F2);
	must_see(&t, "已打印到文件", 10000); /* a PDF page: fonts are loaded first */
	must_see(&t, "（PDF）", 1000);
	char *bytes;
	size_t len;
	assert_int_equal(paths_read_file(named + 1, &bytes, &len, NULL), XF_OK);
	assert_true(len > 4 && memcmp(bytes, "%PDF", 4) == 0);
	free(bytes);
	term_send(&t, "p");
	must_see(&t, "打印哪一张", 2000);
	term_send(&t, K_DOWN "\r");
	must_see(&t, "打印到            │文件", 3000);
	must_see(&t, "格式              │PDF", 1000);
	assert_false(term_wait(&t, ".txt ", 200));
	free(bare);
	free(named);
	term_free(&t);
	env_teardown(&e);
}

/* The transfer slip's label over a passport number says 护照号码, not 身份证号. */
static void slip_label_follows_document(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	passport_case_file(&e, &t);
	char *text = print_slip_to_file(&e, &t);
	assert_non_null(strstr(text, "│护照号码  │E12345678"));
	assert_null(strstr(text, "身份证号"));
	free(text);
	term_free(&t);
	env_teardown(&e);
}

/* After printing, the case file has its own title and keys again, not the dialog's. */
static void case_file_after_printing(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	passport_case_file(&e, &t);
	free(print_slip_to_file(&e, &t));
	char *title = term_row(&t, 0), *hints = term_row(&t, 23);
	assert_non_null(strstr(title, "卷宗 2026年第0001号"));
	assert_null(strstr(title, "打印"));
	assert_non_null(strstr(hints, "p打印"));
	assert_null(strstr(hints, "F2 打印"));
	free(title);
	free(hints);
	term_free(&t);
	env_teardown(&e);
}

/* A case linked to an earlier one keeps its number in the title bar. */
static void linked_case_title(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "孙小红");
	cli(&e, "clerk", (const char *[]){"new", "channel=来访", "category=服务态度", "name=孙小红", "repeat_of=2026-0001",
	                                  "summary=再次反映柜员态度问题", NULL});
	open_desk(&t, &e, "clerk", NULL);
	term_send(&t, "5");
	must_see(&t, "查找", 2000);
	term_send(&t, "2026-0002\r");
	must_see(&t, "g关联", 3000);
	char *title = term_row(&t, 0);
	assert_non_null(strstr(title, "卷宗 2026年第0002号"));
	free(title);
	term_free(&t);
	env_teardown(&e);
}

/* ※有更新 shows on a form over a case once another desk changes that case (not another case),
 * says what it means where it shows, the form's help explains it, and it goes once the case
 * is shown afresh. */
static void update_mark_explained(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	handler_return_form(&e, &t);
	cli_case(&e, "李四"); /* another case: nothing this form shows */
	assert_false(term_wait(&t, "※有更新", 1500));
	cli(&e, "head", (const char *[]){"edit", "2026-0001", "summary=柜员态度冷淡，要求书面道歉", NULL});
	must_see(&t, "※有更新，返回即刷新", 3000);
	term_send(&t, K_F1);
	must_see(&t, "别的工作台刚保存了改动", 2000);
	term_send(&t, K_F10);
	must_see(&t, "退回理由", 2000);
	must_see(&t, "※有更新", 1000);
	term_send(&t, K_F10);
	must_see(&t, "要求书面道歉", 3000); /* the case file read afresh */
	assert_false(term_wait(&t, "※有更新", 1500));
	term_free(&t);
	env_teardown(&e);
}

/* ※有更新 is not raised by what nothing on the screen shows: a blank registration form while
 * another desk saves a case, nor the desk's own saves. */
static void update_mark_only_for_what_is_shown(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	registered_at_desk(&e, &t, "2026-11-20"); /* the desk's own save */
	assert_false(term_wait(&t, "※有更新", 1500));
	term_send(&t, K_F10);
	must_see(&t, "1  ", 3000);
	term_send(&t, "1");
	must_see(&t, "信 访 登 记 表", 3000);
	cli_case(&e, "孙小红"); /* another desk saves a case the blank form does not show */
	assert_false(term_wait(&t, "※有更新", 1500));
	term_free(&t);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jrt_codes_entered_and_counted),
		cmocka_unit_test(future_receipt_date_refused_on_leaving),
		cmocka_unit_test(prefilled_people_replaced),
		cmocka_unit_test(estimate_note_in_desk_words),
		cmocka_unit_test(saved_message_leaves_with_the_form),
		cmocka_unit_test(spot_answer_says_closed),
		cmocka_unit_test(account_department_before_password),
		cmocka_unit_test(handler_return_answered),
		cmocka_unit_test(print_dialog_skips_what_does_not_apply),
		cmocka_unit_test(print_dialog_remembers_what_was_written),
		cmocka_unit_test(slip_label_follows_document),
		cmocka_unit_test(case_file_after_printing),
		cmocka_unit_test(linked_case_title),
		cmocka_unit_test(update_mark_explained),
		cmocka_unit_test(update_mark_only_for_what_is_shown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

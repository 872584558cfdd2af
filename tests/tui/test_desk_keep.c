/* The desk keeps what the operator typed and shows what it holds whole: leaving a changed move
 * form asks first, identifiers in the lists are never cut, a refused search stays on its form,
 * the outcome form reaches its last rows, and printing offers only the slips a case has. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"

static const char ask_drop[] = "放弃已填的内容吗？";

/* Adds the handler of 个人金融部 (赵敏) and a case transferred to that department. */
static void transferred_case(struct desk_env *e)
{
	cli(e, "admin", (const char *[]){"user", "add", "handler", "handler", "full_name=赵敏", "dept=个人金融部", NULL});
	cli_case(e, "孙小红");
	cli(e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
}

/* A new store with one queued case (孙小红), the desk open on the menu as `user`. */
static void one_case_desk(struct desk_env *e, struct term *t, const char *user)
{
	env_setup(e, "2026-11-20");
	cli_case(e, "孙小红");
	open_desk(t, e, user, NULL);
}

/* A new store with a case transferred to 个人金融部, the desk open on its case file as the
 * handler, through 本部门待办. */
static void handler_case_file(struct desk_env *e, struct term *t)
{
	env_setup(e, "2026-11-20");
	transferred_case(e);
	open_desk(t, e, "handler", NULL);
	term_send(t, "1");
	must_see(t, "2026年第0001号", 2000);
	term_send(t, "\r");
	must_see(t, "卷宗", 2000);
}

/* The handler's outcome form: typed text is not dropped without asking; n keeps it, y drops
 * it; a form left untouched asks nothing. */
static void outcome_form_asks_before_dropping_text(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	handler_case_file(&e, &t);
	/* Untouched: F10 goes straight back. */
	term_send(&t, "o");
	must_see(&t, "处 理 结 果 报 告 单", 2000);
	term_send(&t, K_F10);
	must_see(&t, "卷宗", 2000);
	assert_false(term_wait(&t, ask_drop, 300));
	/* Typed, then F10: the question; n returns to the form with the text. */
	term_send(&t, "o");
	must_see(&t, "处 理 结 果 报 告 单", 2000);
	term_send(&t, "经核实柜员已道歉\t");
	term_send(&t, K_F10);
	must_see(&t, ask_drop, 2000);
	term_send(&t, "n");
	assert_true(term_wait_gone(&t, ask_drop, 2000));
	must_see(&t, "处 理 结 果 报 告 单", 1000);
	must_see(&t, "经核实柜员已道歉", 1000);
	/* Esc asks too; y drops it and the form opens empty again. */
	term_send(&t, "\033");
	must_see(&t, ask_drop, 2000);
	term_send(&t, "y");
	must_see(&t, "卷宗", 2000);
	term_send(&t, "o");
	must_see(&t, "处 理 结 果 报 告 单", 2000);
	assert_false(term_wait(&t, "经核实柜员已道歉", 300));
	term_free(&t);
	env_teardown(&e);
}

/* The head's transfer form from the queue asks the same before dropping 承办人 and 办公室意见. */
static void transfer_form_asks_before_dropping_text(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	one_case_desk(&e, &t, "head");
	term_send(&t, "2");
	must_see(&t, "2026年第0001号", 2000);
	term_send(&t, "t");
	must_see(&t, "转 办 单", 2000);
	term_send(&t, K_F10); /* nothing typed: back at once */
	must_see(&t, "待批队列", 2000);
	assert_false(term_wait(&t, ask_drop, 300));
	term_send(&t, "t");
	must_see(&t, "转 办 单", 2000);
	term_send(&t, "\t\t\t\t\t\t"); /* 主办部门 → … → 办公室意见 */
	term_send(&t, "请尽快核实\t孙志明");
	must_see(&t, "孙志明", 2000);
	term_send(&t, K_F10);
	must_see(&t, ask_drop, 2000);
	term_send(&t, "n");
	assert_true(term_wait_gone(&t, ask_drop, 2000));
	must_see(&t, "请尽快核实", 1000);
	must_see(&t, "孙志明", 1000);
	term_send(&t, K_F10);
	must_see(&t, ask_drop, 2000);
	term_send(&t, "y");
	must_see(&t, "待批队列", 2000);
	term_send(&t, "t");
	must_see(&t, "转 办 单", 2000);
	assert_false(term_wait(&t, "孙志明", 300));
	term_send(&t, K_F10); /* the prefilled values as they were: nothing to ask */
	must_see(&t, "待批队列", 2000);
	assert_false(term_wait(&t, ask_drop, 300));
	term_free(&t);
	env_teardown(&e);
}

/* Imports a ledger with a six-digit number and a long name. */
static void import_long_number(struct desk_env *e)
{
	char ledger[160];
	snprintf(ledger, sizeof ledger, "%s/big.csv", e->dir);
	FILE *f = fopen(ledger, "w");
	assert_non_null(f);
	fputs("编号,收件日期,信访方式,信访人,投诉类别,投诉内容\r\n"
	      "2026年第137500号,2026-11-18,来信,北京星辰科技发展有限公司财务部,服务态度,对公账户年费扣收不合理\r\n"
	      "2026年第0009号,2026-11-19,来电,𠮷祥,服务态度,借记卡年费\r\n",
	      f);
	fclose(f);
	cli(e, "clerk", (const char *[]){"import", ledger, NULL});
}

/* The list row holding the three texts (the queue repeats the number and name in the details
 * under the list, without the state or kind), or -1. */
static int row_with(struct term *t, const char *a, const char *b, const char *c)
{
	for (int r = 0; r < t->rows; r++) {
		char *row = term_row(t, r);
		bool both = strstr(row, a) && strstr(row, b) && strstr(row, c);
		free(row);
		if (both)
			return r;
	}
	return -1;
}

/* The case number's column in a row (the display column where it starts), or -1. */
static int column_of(struct term *t, int r, const char *text)
{
	char *row = term_row(t, r);
	const char *at = strstr(row, text);
	int col = -1;
	if (at) {
		char *head = strndup(row, (size_t)(at - row));
		col = text_width(head);
		free(head);
	}
	free(row);
	return col;
}

/* In the list: the six-digit number whole under the 编号 heading on the row of the long name,
 * which is cut between characters with … (its end not shown); the short number in the same
 * column. */
static void number_whole_name_clipped(struct term *t, const char *state)
{
	must_see(t, "2026年第0009号", 2000);
	int hr, hc;
	assert_true(term_find(t, "编号", &hr, &hc));
	int r = row_with(t, "2026年第137500号", "北京星", state);
	if (r < 0)
		fail_msg("no row with the number whole and the name:\n%s", term_text(t));
	assert_true(r > hr);
	assert_int_equal(column_of(t, r, "2026年第137500号"), hc);
	char *row = term_row(t, r);
	assert_non_null(strstr(row, "…"));
	assert_null(strstr(row, "有限公司财务部"));
	free(row);
	int short_row = row_with(t, "2026年第0009号", "𠮷祥", state);
	assert_true(short_row > hr);
	assert_int_equal(column_of(t, short_row, "2026年第0009号"), hc);
}

/* 待批队列 and 事项列表 show a six-digit case number whole (with 号) and cut a long name with …. */
static void lists_show_numbers_whole(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	import_long_number(&e);
	struct term t;
	open_desk(&t, &e, "head", NULL);
	term_send(&t, "2");
	must_see(&t, "待批队列", 2000);
	number_whole_name_clipped(&t, "新登记");
	term_send(&t, K_F10);
	must_see(&t, "信 访 工 作 台", 2000);
	term_send(&t, "4");
	must_see(&t, "全部", 2000);
	term_send(&t, "4");
	must_see(&t, "事项列表：全部", 2000);
	number_whole_name_clipped(&t, "待批");
	term_free(&t);
	env_teardown(&e);
}

/* Dates the wrong way round keep the search form on screen with the message, as a date that
 * does not exist does; fixed, the search runs. */
static void reversed_dates_stay_on_search_form(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	one_case_desk(&e, &t, "clerk");
	term_send(&t, "5");
	must_see(&t, "查找内容", 3000);
	term_send(&t, "\t2026-11-20\t2026-11-01\r");
	must_see(&t, "早于起始日期", 2000);
	assert_false(term_wait(&t, "查找结果", 300));
	must_see(&t, "收件日期自", 100);
	must_see(&t, "2026-11-20", 100);
	must_see(&t, "2026-11-01", 100);
	/* The cursor waits in 起始日期, the first date the message names; corrected, the results. */
	term_send(&t, "\025" "2026-11-01\t\025" "2026-11-30\r");
	must_see(&t, "查找结果", 2000);
	must_see(&t, "孙小红", 2000);
	term_free(&t);
	env_teardown(&e);
}

/* The outcome form at 80×24: on its last field, 联系电话, the rows under it come into view, and
 * Tab past it says it is the last and names the fields filled elsewhere. */
static void outcome_form_shows_its_last_rows(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	handler_case_file(&e, &t);
	term_send(&t, "o");
	must_see(&t, "处 理 结 果 报 告 单", 2000);
	assert_false(term_wait(&t, "报结日期", 200)); /* below the screen at first */
	term_send(&t, "经核实属实\t\t\t\t\t\t\t");
	must_see(&t, "联系电话", 2000);
	must_see(&t, "答复日期", 2000);
	must_see(&t, "报结日期", 100);
	term_send(&t, "\t");
	must_see(&t, "“联系电话”是最后一项，答复方式、答复日期、报结日期不在此填写", 2000);
	term_free(&t);
	env_teardown(&e);
}

/* Printing from a transferred case offers the registration form and the transfer slip, not
 * the outcome report it does not have yet; the queue's p on a case not transferred says at
 * once that there is no transfer slip, before any print dialog. */
static void print_offers_only_what_the_case_has(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	transferred_case(&e);
	cli_case(&e, "周大福");
	struct term t;
	open_desk(&t, &e, "head", NULL);
	term_send(&t, "4");
	must_see(&t, "全部", 2000);
	term_send(&t, "4");
	must_see(&t, "2026年第0001号", 2000);
	for (int i = 0; i < 3 && !term_wait(&t, ">2026年第0001号", 200); i++)
		term_send(&t, K_DOWN);
	must_see(&t, ">2026年第0001号", 1000);
	term_send(&t, "\r");
	must_see(&t, "卷宗", 2000);
	assert_false(term_wait(&t, "处理结果报告单", 200));
	term_send(&t, "p");
	must_see(&t, "打印哪一张", 2000);
	must_see(&t, "信访登记表", 1000);
	must_see(&t, "信访转办单", 1000);
	assert_false(term_wait(&t, "处理结果报告单", 300));
	term_send(&t, K_F10);
	assert_true(term_wait_gone(&t, "打印哪一张", 2000));
	term_send(&t, K_F10);
	must_see(&t, "事项列表", 2000);
	term_send(&t, K_F10);
	must_see(&t, "信 访 工 作 台", 2000);
	term_send(&t, "2");
	must_see(&t, "2026年第0002号", 2000);
	term_send(&t, "p");
	must_see(&t, "尚未批转，没有转办单可打印", 2000);
	assert_false(term_wait(&t, "打印到", 300));
	term_free(&t);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outcome_form_asks_before_dropping_text),
		cmocka_unit_test(transfer_form_asks_before_dropping_text),
		cmocka_unit_test(lists_show_numbers_whole),
		cmocka_unit_test(reversed_dates_stay_on_search_form),
		cmocka_unit_test(outcome_form_shows_its_last_rows),
		cmocka_unit_test(print_offers_only_what_the_case_has),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

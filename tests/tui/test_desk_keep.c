/* The desk keeps what the operator typed and shows what it holds whole: leaving a changed move
 * form asks first, identifiers in the lists are never cut, a refused search stays on its form,
 * the outcome form reaches its last rows, and printing offers only the slips a case has. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ask_drop[] = "放弃已填的内容吗？";

/* Adds the handler of 个人金融部 (赵敏) and a case transferred to that department. */
static void transferred_case(struct desk_env *e)
{
	cli(e, "admin", (const char *[]){"user", "add", "handler", "handler", "full_name=赵敏", "dept=个人金融部", NULL});
	cli_case(e, "孙小红");
	cli(e, "head", (const char *[]){"transfer", "2026-0001", "dept=个人金融部", NULL});
}

/* The handler's outcome form: typed text is not dropped without asking; n keeps it, y drops
 * it; a form left untouched asks nothing. */
static void outcome_form_asks_before_dropping_text(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	transferred_case(&e);
	struct term t;
	open_desk(&t, &e, "handler", NULL);
	term_send(&t, "1");
	must_see(&t, "2026年第0001号", 2000);
	term_send(&t, "\r");
	must_see(&t, "卷宗", 2000);
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
	env_setup(&e, "2026-11-20");
	cli_case(&e, "孙小红");
	struct term t;
	open_desk(&t, &e, "head", NULL);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outcome_form_asks_before_dropping_text),
		cmocka_unit_test(transfer_form_asks_before_dropping_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

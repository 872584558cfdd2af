/* The print dialog's queue field against a real CUPS scheduler of the test's own: the message
 * line says which queue an empty field means, F3 lists the host's queues, and the one picked
 * is where the slip goes. */
#include "deskutil.h"
#include "../unit/cupsenv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when one row of the screen holds both texts. */
static bool row_holds(struct term *t, const char *a, const char *b)
{
	for (int r = 0; r < t->rows; r++) {
		char *line = term_row(t, r);
		bool both = strstr(line, a) && strstr(line, b);
		free(line);
		if (both)
			return true;
	}
	return false;
}

/* Opens the transfer slip's print dialog of case 2026-0001 as the head. */
static void open_print_dialog(struct term *t, struct desk_env *e)
{
	open_desk(t, e, "head", NULL);
	term_send(t, "2");
	must_see(t, "2026年第0001号", 3000);
	term_send(t, "t");
	must_see(t, "信 访 转 办 单", 3000);
	term_send(t, K_F2);
	must_see(t, "批转已完成", 3000);
	term_send(t, K_F4);
	must_see(t, "打印机队列", 3000);
}

/* F3 lists the queues; an empty field names the system's default, then the office's. */
static void queue_field_lists_and_says(void **state)
{
	(void)state;
	struct cups_env c;
	memset(&c, 0, sizeof c);
	cups_start(&c);
	int st;
	char *out = run_capture(&st, "lpadmin -d 针式 2>&1");
	if (st != 0)
		fail_msg("lpadmin -d: %s", out);
	free(out);
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	cli_case(&e, "刘䶮");
	struct term t;
	open_print_dialog(&t, &e);
	must_see(&t, "打印机队列留空即送系统默认打印机 针式", 2000);
	/* Tab to the queue field, F3: both queues in the pick list. */
	term_send(&t, "\t");
	term_send(&t, K_F3);
	must_see(&t, "信访办", 3000);
	must_see(&t, "针式", 100);
	/* Pick 信访办: down until the highlighted row holds it, then Enter. */
	term_send(&t, "\r");
	term_pump(&t, 300);
	if (!row_holds(&t, "打印机队列", "信访办")) {
		term_send(&t, "\t\033[Z"); /* back onto the field */
		term_send(&t, K_F3);
		must_see(&t, "信访办", 3000);
		term_send(&t, K_DOWN);
		term_send(&t, "\r");
		term_pump(&t, 300);
	}
	if (!row_holds(&t, "打印机队列", "信访办"))
		fail_msg("the queue picked is not in the field:\n%s", term_text(&t));
	term_send(&t, K_F2);
	must_see(&t, "已送打印机 信访办", 5000);
	term_stop(&t, 15, 5000);
	term_free(&t);
	/* With an office default, an empty field means that one. */
	cli(&e, "admin", (const char *[]){"printer", "set", "queue=信访办", NULL});
	struct term t2;
	open_desk(&t2, &e, "head", NULL);
	term_send(&t2, "4");
	must_see(&t2, "全部", 2000);
	term_send(&t2, "4");
	must_see(&t2, "2026年第0001号", 2000);
	term_send(&t2, "\r");
	must_see(&t2, "卷宗", 2000);
	term_send(&t2, "p");
	must_see(&t2, "打印", 2000);
	term_pump(&t2, 500);
	char *screen = term_text(&t2);
	bool said = strstr(screen, "留空即送办公室默认打印机 信访办") != NULL;
	free(screen);
	if (!said) {
		/* The case file offers a choice of forms first. */
		term_send(&t2, "\r");
		must_see(&t2, "留空即送办公室默认打印机 信访办", 3000);
	}
	term_stop(&t2, 15, 5000);
	term_free(&t2);
	env_teardown(&e);
	cups_stop(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queue_field_lists_and_says),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The desk as a handler sees it: the same mask as the command line, and stored control
 * characters drawn harmless. The real binary in a real pty, read back through libvterm. */
#include "../unit/testutil.h"
#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/clock.h"
#include "xinfang/text.h"

/* Fails with the screen when text does not show. */
static void must_see(struct term *t, const char *text, int ms)
{
	if (!term_wait(t, text, ms))
		fail_msg("\"%s\" not on the screen:\n%s", text, term_text(t));
}

/* Fails with the screen when text shows. */
static void must_not_see(struct term *t, const char *text)
{
	term_pump(t, 200);
	char *s = term_text(t);
	if (strstr(s, text) != NULL)
		fail_msg("\"%s\" on the screen:\n%s", text, s);
	free(s);
}

/* A handler opens their department's list, a confidential case, a case with stored
 * controls and the limits list. */
static void handler_desk(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t secret = fixture_case(&fx, "confidential=是", "name=刘䶮", "id_number=11010519491231002X",
	                              "phone=13812345678", "summary=本人刘䶮在柜台办理业务被拒。", NULL);
	int64_t odd = fixture_case(&fx, "name=钱明白", NULL);
	fixture_move(&fx.head, secret, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx.head, odd, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	struct xf_fields raw;
	struct xf_err err;
	fields_from(&raw, "summary=说明\x1b[2J清屏\xe2\x80\xae倒序", NULL);
	assert_int_equal(store_update(fx.st, "cases", odd, &raw, 0, &err), XF_OK);
	fields_free(&raw);

	char dbenv[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", fx.db);
	const char *env[] = {dbenv, "XINFANG_TODAY=2026-12-25", "XINFANG_USER=handler", "XINFANG_PASSWORD=secret1", NULL};
	struct term t;
	term_start(&t, 24, 80, env, (const char *[]){NULL});
	must_see(&t, "信 访 工 作 台", 5000);

	/* The department's list: the nearest week limit first (the two share it, so the earlier
	 * registered leads), the confidential case's name and summary masked, the stored controls
	 * drawn as � and never obeyed (the screen is not cleared). */
	term_send(&t, "1");
	must_see(&t, "本部门待办", 3000);
	must_see(&t, "钱明白", 3000);
	must_see(&t, "（保密）", 1000);
	must_see(&t, "说明�[2J清屏�倒序", 1000);
	must_not_see(&t, "䶮");

	/* The confidential case's view. */
	term_send(&t, "\r");
	must_see(&t, "2026年第0001号", 3000);
	must_see(&t, "（保密）", 1000);
	must_not_see(&t, "䶮");
	must_not_see(&t, "13812345678");
	must_not_see(&t, "11010519491231002X");
	must_not_see(&t, "76岁");
	term_send(&t, K_F10);
	must_see(&t, "本部门待办", 3000);
	term_send(&t, K_DOWN "\r");
	must_see(&t, "2026年第0002号", 3000);
	must_see(&t, "说明�[2J清屏�倒序", 3000);
	term_send(&t, K_F10);
	must_see(&t, "本部门待办", 3000);
	term_send(&t, K_F10);
	must_see(&t, "信 访 工 作 台", 3000);

	/* The limits list a month on: the department's two cases, the confidential one masked. */
	term_send(&t, "3");
	must_see(&t, "时限清单", 3000);
	must_see(&t, "钱明白", 3000);
	must_see(&t, "（保密）", 1000);
	must_not_see(&t, "䶮");
	term_stop(&t, SIGTERM, 3000);
	term_free(&t);
	fixture_close(&fx);
}

/* Entry point. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(handler_desk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

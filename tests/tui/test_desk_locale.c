/* Locales and terminals: the command line and the desk under zh_CN.GB18030 (the locale is
 * generated with localedef into a temporary directory), and terminals that cannot be a desk. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"

/* Where the generated locale lives (LOCPATH). */
static char locpath[64];

/* Generates zh_CN.GB18030 once for the whole run. */
static int make_locale(void **state)
{
	(void)state;
	snprintf(locpath, sizeof locpath, "/tmp/xinfang-locale-XXXXXX");
	if (mkdtemp(locpath) == NULL)
		return -1;
	char *cmd = xasprintf("localedef -f GB18030 -i zh_CN '%s/zh_CN.GB18030' >/dev/null 2>&1", locpath);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* Removes it. */
static int drop_locale(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", locpath);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* utf8 in GB18030 (a new string). */
static char *gb(const char *utf8)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(text_convert(utf8, strlen(utf8), "GB18030", &out, &len, NULL), XF_OK);
	return out;
}

/* True when the bytes (len) hold needle. */
static bool holds(const char *bytes, size_t len, const char *needle)
{
	return memmem(bytes, len, needle, strlen(needle)) != NULL;
}

/* Asserts an exit status and that out holds utf8 in GB18030 and not in UTF-8; frees out. */
static void says_in_gb18030(char *out, int status, int want_status, const char *utf8)
{
	char *want = gb(utf8);
	assert_int_equal(status, want_status);
	if (!holds(out, strlen(out), want) || holds(out, strlen(out), utf8))
		fail_msg("not “%s” in GB18030: %s", utf8, out);
	free(want);
	free(out);
}

/* The command line in a GB18030 locale: help, messages and values come out in GB18030, the
 * arguments typed in GB18030 are stored right, and binary output passes untouched. */
static void command_line_in_gb18030(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	const char *bin = getenv("XINFANG_BIN");
	const char *db = strchr(e.db, '=') + 1;
	char *name = gb("欧阳娜娜");
	char *summary = gb("窗口服务态度差");
	char *cat = gb("服务态度");
	char *chan = gb("来访");
	int status;
	char *out = run_capture(&status,
	                        "cd /tmp && LOCPATH='%s' LC_ALL=zh_CN.GB18030 XINFANG_PASSWORD=secret1 XINFANG_USER=admin "
	                        "XINFANG_TODAY=2026-11-20 '%s' --db '%s' new 'channel=%s' 'category=%s' 'name=%s' "
	                        "'summary=%s' 2>&1",
	                        locpath, bin, db, chan, cat, name, summary);
	assert_int_equal(status, 0);
	free(out);
	/* Stored as UTF-8: a UTF-8 locale reads the name right. */
	assert_shows(&e, "2026-0001", "name", "欧阳娜娜");
	/* Shown in GB18030 in the GB18030 locale. */
	out = run_capture(&status, "LOCPATH='%s' LC_ALL=zh_CN.GB18030 XINFANG_PASSWORD=secret1 XINFANG_USER=admin '%s' --db "
	                  "'%s' show 2026-0001",
	                  locpath, bin, db);
	says_in_gb18030(out, status, 0, "欧阳娜娜");
	/* Help and a refusal on stderr, both in GB18030. */
	out = run_capture(&status, "LOCPATH='%s' LC_ALL=zh_CN.GB18030 '%s' show --help", locpath, bin);
	says_in_gb18030(out, status, 0, "用法");
	out = run_capture(&status, "LOCPATH='%s' LC_ALL=zh_CN.GB18030 '%s' frobnicate 2>&1", locpath, bin);
	says_in_gb18030(out, status, 2, "不认识的命令");
	/* Output already in the encoding asked (a form as UTF-8 text) passes untouched. */
	char *form = run_capture(&status, "LOCPATH='%s' LC_ALL=zh_CN.GB18030 XINFANG_PASSWORD=secret1 XINFANG_USER=admin "
	                         "'%s' --db '%s' print 2026-0001 registration --to - --format text --encoding UTF-8",
	                         locpath, bin, db);
	assert_int_equal(status, 0);
	assert_true(utf8_valid(form, strlen(form), NULL));
	assert_non_null(strstr(form, "欧阳娜娜"));
	free(form);
	free(name);
	free(summary);
	free(cat);
	free(chan);
	env_teardown(&e);
}

/* The desk under GB18030: curses writes the screen in GB18030 and takes the login. */
static void desk_in_gb18030(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	char loc[128];
	snprintf(loc, sizeof loc, "LOCPATH=%s", locpath);
	const char *env[] = {e.db, e.today, loc, "LC_ALL=zh_CN.GB18030", NULL};
	struct term t;
	term_start(&t, 24, 80, env, (const char *[]){NULL});
	char *login = gb("请登录");
	char *desk = gb("信 访 工 作 台");
	for (int i = 0; i < 50 && !holds(t.raw.data, t.raw.len, login); i++)
		term_pump(&t, 100);
	if (!holds(t.raw.data, t.raw.len, login))
		fail_msg("no login screen in GB18030:\n%s", term_text(&t));
	assert_false(holds(t.raw.data, t.raw.len, "请登录"));
	term_send(&t, "clerk\r");
	term_send(&t, "secret1\r");
	for (int i = 0; i < 50 && !holds(t.raw.data, t.raw.len, desk); i++)
		term_pump(&t, 100);
	assert_true(holds(t.raw.data, t.raw.len, desk));
	assert_int_equal(term_stop(&t, 15, 5000), 0);
	term_free(&t);
	free(login);
	free(desk);
	env_teardown(&e);
}

/* Starts the desk with TERM set to term and returns what it wrote, as the screen shows it. */
static char *desk_with_term(struct desk_env *e, struct term *t, const char *term)
{
	char tv[64];
	snprintf(tv, sizeof tv, "TERM=%s", term);
	const char *env[] = {e->db, e->today, tv, NULL};
	term_start(t, 24, 80, env, (const char *[]){NULL});
	term_pump(t, 1500);
	return term_text(t);
}

/* TERM=dumb and an unknown TERM are refused in Chinese, never with curses' English; the Linux
 * console starts with a warning that it may not show Chinese. */
static void terminals_that_cannot(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup(&e, "2026-11-20");
	struct term t;
	char *text = desk_with_term(&e, &t, "dumb");
	assert_non_null(strstr(text, "TERM=dumb 不能显示全屏界面"));
	assert_int_equal(term_stop(&t, 15, 5000), 1);
	term_free(&t);
	free(text);
	text = desk_with_term(&e, &t, "no-such-terminal");
	assert_non_null(strstr(text, "不认识终端类型 TERM=no-such-terminal"));
	assert_null(strstr(text, "Error opening terminal"));
	assert_int_equal(term_stop(&t, 15, 5000), 1);
	term_free(&t);
	free(text);
	text = desk_with_term(&e, &t, "linux");
	free(text);
	must_see(&t, "不能显示汉字", 5000);
	must_see(&t, "请登录", 5000);
	term_stop(&t, 15, 5000);
	term_free(&t);
	env_teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(command_line_in_gb18030),
		cmocka_unit_test(desk_in_gb18030),
		cmocka_unit_test(terminals_that_cannot),
	};
	return cmocka_run_group_tests(tests, make_locale, drop_locale);
}

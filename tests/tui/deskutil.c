/* Helpers of the desk's end-to-end tests: stores made with the command line, the desk opened
 * and logged in at a size, and what `xinfang show` says. */
#include "deskutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Runs the command line on the store as a user ("" for none); fails the test on an error. */
void cli(struct desk_env *e, const char *user, const char *const *argv)
{
	char u[64];
	snprintf(u, sizeof u, "XINFANG_USER=%s", user);
	const char *env[] = {e->db, e->today, "XINFANG_PASSWORD=secret1", "XINFANG_NEW_PASSWORD=secret1", u, NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, argv);
	if (r->status != 0)
		fail_msg("xinfang %s: %s", argv[0], r->err);
	free(r);
}

/* Turns an open print dialog's 打印到 to dest with the arrow key, one turn at a time. */
void choose_print_dest(struct term *t, const char *dest)
{
	static const char *const dests[] = {"打印机", "文件", "终端打印机"};
	char want[128];
	snprintf(want, sizeof want, "打印到            │%s", dest);
	for (int i = 0; i < 4 && !term_wait(t, want, 200); i++) {
		/* What the field shows now ("│打印机" is no part of "│终端打印机"), to see it change. */
		char *s = term_text(t), shown[128] = "";
		for (size_t d = 0; d < sizeof dests / sizeof dests[0]; d++) {
			char one[128];
			snprintf(one, sizeof one, "打印到            │%s", dests[d]);
			if (strstr(s, one))
				snprintf(shown, sizeof shown, "%s", one);
		}
		free(s);
		term_send(t, K_RIGHT);
		if (*shown && !term_wait_gone(t, shown, 3000))
			fail_msg("打印到 stayed %s after the arrow key", shown);
	}
	must_see(t, want, 1000);
}

/* A new store as of `today`. */
void env_setup(struct desk_env *e, const char *today)
{
	snprintf(e->dir, sizeof e->dir, "/tmp/xinfang-desk-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	if (test_on_pg()) { /* meson test --setup pg: a new database of the cluster, its anchor in dir */
		char locator[256];
		test_pg_database(e->dir, locator, sizeof locator);
		snprintf(e->db, sizeof e->db, "XINFANG_DB=%s", locator);
		snprintf(e->anchor, sizeof e->anchor, "%s/", e->dir);
		setenv("XINFANG_ANCHOR", e->anchor, 1);
	} else {
		snprintf(e->db, sizeof e->db, "XINFANG_DB=%s/desk.db", e->dir);
		e->anchor[0] = '\0';
	}
	snprintf(e->today, sizeof e->today, "XINFANG_TODAY=%s", today);
	cli(e, "", (const char *[]){"init", "--training", NULL});
	cli(e, "admin", (const char *[]){"user", "add", "clerk", "operator", "full_name=王丽", NULL});
	cli(e, "admin", (const char *[]){"user", "add", "head", "head", "full_name=李建国", NULL});
}

/* Removes the store. */
void env_teardown(struct desk_env *e)
{
	if (e->anchor[0])
		test_pg_drop(e->db + strlen("XINFANG_DB="));
	char *cmd = xasprintf("rm -rf '%s'", e->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Opens the desk and logs in through the login screen. */
void open_desk(struct term *t, struct desk_env *e, const char *user, const char *const *extra_env)
{
	open_desk_sized(t, e, user, extra_env, 24, 80);
}

/* Opens the desk in a terminal of rows x cols and logs in through the login screen. */
void open_desk_sized(struct term *t, struct desk_env *e, const char *user, const char *const *extra_env, int rows,
                     int cols)
{
	const char *env[8] = {e->db, e->today};
	int n = 2;
	for (int i = 0; extra_env && extra_env[i] && n < 7; i++)
		env[n++] = extra_env[i];
	env[n] = NULL;
	term_start(t, rows, cols, env, (const char *[]){NULL});
	if (!term_wait(t, "请登录", 5000))
		fail_msg("no login screen:\n%s", term_text(t));
	term_send(t, user);
	term_send(t, "\r");
	term_send(t, "secret1\r");
	if (!term_wait(t, "信 访 工 作 台", 5000))
		fail_msg("no menu after login:\n%s", term_text(t));
}

/* Fails with the screen when text does not show. */
void must_see(struct term *t, const char *text, int ms)
{
	if (!term_wait(t, text, ms)) {
		char *s = term_text(t);
		fail_msg("\"%s\" not on the screen:\n%s", text, s);
	}
}

/* A new store as of `today`, the desk open on it as the clerk, on the registration form. */
void open_registration(struct desk_env *e, struct term *t, const char *today)
{
	env_setup(e, today);
	open_desk(t, e, "clerk", NULL);
	term_send(t, "1");
	must_see(t, "信 访 登 记 表", 3000);
}

/* The value of a key in `xinfang show`. */
char *show_value(struct desk_env *e, const char *number, const char *key)
{
	const char *env[] = {e->db, e->today, "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"show", number, NULL});
	assert_int_equal(r->status, 0);
	char want[64];
	snprintf(want, sizeof want, "\n%s\t", key);
	char *at = strstr(r->out, want);
	char *v = NULL;
	if (at) {
		at += strlen(want);
		v = xstrndup(at, strcspn(at, "\n"));
	}
	free(r);
	assert_non_null(v);
	return v;
}

/* Asserts a key's value in `xinfang show`. */
void assert_shows(struct desk_env *e, const char *number, const char *key, const char *want)
{
	char *v = show_value(e, number, key);
	if (strcmp(v, want) != 0)
		fail_msg("%s %s is \"%s\", not \"%s\"", number, key, v, want);
	free(v);
}

/* Registers a case from the command line. */
void cli_case(struct desk_env *e, const char *name)
{
	char n[64];
	snprintf(n, sizeof n, "name=%s", name);
	cli(e, "clerk", (const char *[]){"new", "channel=来访", "category=服务态度", n, "summary=柜员态度冷淡，要求道歉", NULL});
}


/* The screen row holding text. */
char *term_row_with(struct term *t, const char *text)
{
	int row, col;
	if (!term_find(t, text, &row, &col))
		fail_msg("\"%s\" not on the screen:\n%s", text, term_text(t));
	return term_row(t, row);
}

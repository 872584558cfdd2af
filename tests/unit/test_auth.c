/* Logins that hold: tries reserved before the password is checked, one answer for unknown and
 * known names, locks after five, audited unlocks; the account commands of the admin. */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xinfang/store.h"

/* Counts the audit events of an action. */
static size_t audit_count(struct fixture *fx, const char *action)
{
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(fx->st, "audit", "action", action, &rows, &err), XF_OK);
	size_t n = rows.n;
	rows_free(&rows);
	return n;
}

/* The failure count stored for a name. */
static int failures_of(struct fixture *fx, const char *name)
{
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(fx->st, "logins", "name", name, &rows, &err), XF_OK);
	int n = rows.n ? atoi(fields_str(&rows.v[0], "failures")) : 0;
	rows_free(&rows);
	return n;
}

/* Starts `xinfang status` as user with a password, its stderr into errfile; returns the pid. */
static pid_t start_login(const char *db, const char *user, const char *password, const char *errfile)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		int errfd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(errfd, 2);
		setsid();
		setenv("XINFANG_DB", db, 1);
		setenv("XINFANG_USER", user, 1);
		setenv("XINFANG_PASSWORD", password, 1);
		unsetenv("XINFANG_TODAY");
		execl(getenv("XINFANG_BIN"), "xinfang", "status", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Reads a small file into buf. */
static void read_small(const char *path, char *buf, size_t cap)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Sixty real processes guess at once; the right password is among them once the lock holds.
 * At most five passwords are checked and the right one does not get in. */
static void parallel_burst(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	enum { BURST = 60, RIGHT = 40 };
	pid_t pids[BURST];
	char errs[BURST][320];
	int started = 0;
	for (; started < 30; started++) {
		snprintf(errs[started], sizeof errs[started], "%s/err%d", fx.dir, started);
		pids[started] = start_login(fx.db, "clerk", "wrong-password", errs[started]);
	}
	/* The right password goes in as soon as the count shows the lock, while the burst runs. */
	for (int tries = 0; failures_of(&fx, "clerk") < 5 && tries < 1000; tries++)
		usleep(2000);
	for (; started < BURST; started++) {
		snprintf(errs[started], sizeof errs[started], "%s/err%d", fx.dir, started);
		pids[started] = start_login(fx.db, "clerk", started == RIGHT ? "secret1" : "wrong-password", errs[started]);
	}
	int logged_in = 0;
	for (int i = 0; i < BURST; i++) {
		int status;
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status)); /* every one answered, none died */
		if (WEXITSTATUS(status) == 0)
			logged_in++;
		else
			assert_int_equal(WEXITSTATUS(status), 1);
	}
	char msg[2048];
	read_small(errs[RIGHT], msg, sizeof msg);
	if (strstr(msg, "已锁定") == NULL)
		fail_msg("the right password during the lock: %s", msg);
	assert_int_equal(logged_in, 0);
	/* Every checked password that failed is one login_failed event: five, no more. */
	assert_int_equal(audit_count(&fx, "login_failed"), 5);
	assert_int_equal(audit_count(&fx, "login_locked"), 1);
	assert_int_equal(failures_of(&fx, "clerk"), 5);
	fixture_close(&fx);
}

/* Replaces digits so two messages can be compared apart from the seconds left. */
static void without_digits(char *s)
{
	for (; *s; s++)
		if (*s >= '0' && *s <= '9')
			*s = '#';
}

/* Seconds of a monotonic clock. */
static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An unknown name gets the same answers, the same count, the same lock, and costs a password
 * check as a known one does. */
static void unknown_name_same_answer(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_session s;
	struct xf_err known, unknown;
	double known_time = 0, unknown_time = 0;
	for (int i = 1; i <= 7; i++) {
		double t0 = now_seconds();
		assert_int_equal(auth_login(fx.st, "clerk", "wrong-password", &s, &known), XF_EAUTH);
		double t1 = now_seconds();
		assert_int_equal(auth_login(fx.st, "no.such.user", "wrong-password", &s, &unknown), XF_EAUTH);
		double t2 = now_seconds();
		if (i <= 5) {
			known_time += t1 - t0;
			unknown_time += t2 - t1;
		}
		without_digits(known.msg);
		without_digits(unknown.msg);
		assert_string_equal(known.msg, unknown.msg);
	}
	assert_int_equal(failures_of(&fx, "clerk"), 5);
	assert_int_equal(failures_of(&fx, "no.such.user"), 5);
	/* The unknown name was checked against a hash of the same cost, not answered at once. */
	if (unknown_time < known_time * 0.5)
		fail_msg("unknown names answer faster: %.3f s against %.3f s", unknown_time, known_time);
	/* A name no account can have is counted too. */
	assert_int_equal(auth_login(fx.st, "名字\033[2J", "x", &s, &unknown), XF_EAUTH);
	assert_int_equal(failures_of(&fx, "?"), 1);
	fixture_close(&fx);
}

/* The lock: the right password is refused during it; an admin unlock (audited) or the end of
 * the wait lets the owner in; a wrong password after the wait locks for longer. */
static void lock_and_unlock(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_session s;
	struct xf_err err;
	for (int i = 0; i < 5; i++)
		assert_int_equal(auth_login(fx.st, "head", "wrong-password", &s, &err), XF_EAUTH);
	assert_int_equal(auth_login(fx.st, "head", "secret1", &s, &err), XF_EAUTH);
	assert_non_null(strstr(err.msg, "已锁定"));
	/* Locked tries are not checked and not counted: a stranger cannot lengthen the lock. */
	assert_int_equal(failures_of(&fx, "head"), 5);
	struct xf_rows list;
	assert_int_equal(auth_user_list(&fx.admin, &list, &err), XF_OK);
	bool seen = false;
	for (size_t i = 0; i < list.n; i++)
		if (strcmp(fields_str(&list.v[i], "name"), "head") == 0) {
			assert_string_equal(fields_str(&list.v[i], "locked"), "是");
			assert_string_equal(fields_str(&list.v[i], "failures"), "5");
			seen = true;
		}
	rows_free(&list);
	assert_true(seen);
	/* Only an admin unlocks. */
	assert_int_equal(auth_user_unlock(&fx.clerk, "head", &err), XF_EDENIED);
	size_t unlocks = audit_count(&fx, "user_unlock");
	assert_int_equal(auth_user_unlock(&fx.admin, "head", &err), XF_OK);
	assert_int_equal(audit_count(&fx, "user_unlock"), unlocks + 1);
	assert_int_equal(auth_login(fx.st, "head", "secret1", &s, &err), XF_OK);
	session_close(&s);
	assert_int_equal(failures_of(&fx, "head"), 0);
	/* Locked again; then the wait passes (moved into the past here). */
	for (int i = 0; i < 5; i++)
		assert_int_equal(auth_login(fx.st, "head", "wrong-password", &s, &err), XF_EAUTH);
	struct xf_rows rows;
	assert_int_equal(store_list(fx.st, "logins", "name", "head", &rows, &err), XF_OK);
	struct xf_fields past;
	fields_from(&past, "wait_until=1", NULL);
	assert_int_equal(store_update(fx.st, "logins", atoll(fields_str(&rows.v[0], "id")), &past, 0, &err), XF_OK);
	/* One wrong try after the wait: locked again, for two minutes. */
	assert_int_equal(auth_login(fx.st, "head", "wrong-password", &s, &err), XF_EAUTH);
	assert_non_null(strstr(err.msg, "锁定 2 分钟"));
	assert_int_equal(auth_login(fx.st, "head", "secret1", &s, &err), XF_EAUTH);
	/* After that wait the right password gets in and clears the count. */
	assert_int_equal(store_update(fx.st, "logins", atoll(fields_str(&rows.v[0], "id")), &past, 0, &err), XF_OK);
	assert_int_equal(auth_login(fx.st, "head", "secret1", &s, &err), XF_OK);
	session_close(&s);
	assert_int_equal(failures_of(&fx, "head"), 0);
	fields_free(&past);
	rows_free(&rows);
	assert_int_equal(audit_count(&fx, "login_locked"), 3);
	fixture_close(&fx);
}

/* The account functions the admin screens use: each works, each is audited, each refuses
 * what it must. */
static void account_functions(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_session s;
	struct xf_err err;
	/* Own password. */
	assert_int_equal(auth_password_change(&fx.clerk, "not-it", "newpass1", &err), XF_EAUTH);
	assert_non_null(strstr(err.msg, "原密码不对"));
	assert_int_equal(auth_password_change(&fx.clerk, "secret1", "short", &err), XF_EINVAL);
	assert_int_equal(auth_password_change(&fx.clerk, "secret1", "newpass1", &err), XF_OK);
	assert_int_equal(auth_login(fx.st, "clerk", "secret1", &s, &err), XF_EAUTH);
	assert_int_equal(auth_login(fx.st, "clerk", "newpass1", &s, &err), XF_OK);
	session_close(&s);
	assert_int_equal(audit_count(&fx, "user_password"), 1);
	/* Reset by the admin only; it also unlocks. */
	for (int i = 0; i < 5; i++)
		auth_login(fx.st, "clerk", "wrong-password", &s, &err);
	assert_int_equal(auth_user_reset(&fx.head, "clerk", "reset11", &err), XF_EDENIED);
	assert_int_equal(auth_user_reset(&fx.admin, "nobody", "reset11", &err), XF_ENOTFOUND);
	assert_int_equal(auth_user_reset(&fx.admin, "clerk", "reset11", &err), XF_OK);
	assert_int_equal(auth_login(fx.st, "clerk", "reset11", &s, &err), XF_OK);
	session_close(&s);
	assert_int_equal(audit_count(&fx, "user_reset"), 1);
	/* Disable and enable. */
	assert_int_equal(auth_user_disable(&fx.admin, "clerk", true, &err), XF_OK);
	assert_int_equal(auth_login(fx.st, "clerk", "reset11", &s, &err), XF_EAUTH);
	assert_non_null(strstr(err.msg, "已停用"));
	assert_int_equal(auth_user_disable(&fx.admin, "admin", true, &err), XF_EINVAL);
	assert_int_equal(auth_user_disable(&fx.admin, "clerk", false, &err), XF_OK);
	assert_int_equal(auth_login(fx.st, "clerk", "reset11", &s, &err), XF_OK);
	session_close(&s);
	assert_int_equal(audit_count(&fx, "user_disable"), 1);
	assert_int_equal(audit_count(&fx, "user_enable"), 1);
	/* Roles: a handler needs a real department; the last admin stays an admin. */
	assert_int_equal(auth_user_set_role(&fx.admin, "clerk", "handler", "", &err), XF_EINVAL);
	assert_int_equal(auth_user_set_role(&fx.admin, "clerk", "handler", "无此部门", &err), XF_EINVAL);
	assert_int_equal(auth_user_set_role(&fx.admin, "clerk", "handler", "个人金融部", &err), XF_OK);
	assert_int_equal(auth_user_set_role(&fx.admin, "admin", "head", "", &err), XF_EINVAL);
	assert_int_equal(auth_user_set_role(&fx.admin, "clerk", "nosuch", "", &err), XF_EINVAL);
	assert_int_equal(audit_count(&fx, "user_role"), 1);
	assert_int_equal(auth_login(fx.st, "clerk", "reset11", &s, &err), XF_OK);
	assert_int_equal(s.op.role, XF_ROLE_HANDLER);
	assert_string_equal(s.op.department, "个人金融部");
	session_close(&s);
	/* The list. */
	struct xf_rows list;
	assert_int_equal(auth_user_list(&fx.clerk, &list, &err), XF_EDENIED);
	assert_int_equal(auth_user_list(&fx.admin, &list, &err), XF_OK);
	assert_int_equal(list.n, 4);
	const struct xf_fields *clerk = &list.v[1];
	assert_string_equal(fields_str(clerk, "name"), "clerk");
	assert_string_equal(fields_str(clerk, "full_name"), "王丽");
	assert_string_equal(fields_str(clerk, "role"), "handler");
	assert_string_equal(fields_str(clerk, "role_label"), "经办人");
	assert_string_equal(fields_str(clerk, "department"), "个人金融部");
	assert_int_equal(strlen(fields_str(clerk, "last_login")), 16);
	assert_string_equal(fields_str(clerk, "locked"), "否");
	assert_string_equal(fields_str(clerk, "disabled"), "否");
	assert_string_equal(fields_str(clerk, "failures"), "0");
	rows_free(&list);
	fixture_close(&fx);
}

/* The command line: passwd and user commands, scripts through XINFANG_NEW_PASSWORD. */
static void account_commands(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	char db[320];
	snprintf(db, sizeof db, "XINFANG_DB=%s", fx.db);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, (const char *[]){db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", "XINFANG_NEW_PASSWORD=clerk22", NULL},
	            (const char *[]){"passwd", NULL});
	if (r->status != 0)
		fail_msg("passwd: %s", r->err);
	run_xinfang(r, (const char *[]){db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=clerk22", NULL}, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 0);
	const char *admin[] = {db, "XINFANG_USER=admin", "XINFANG_PASSWORD=secret1", "XINFANG_NEW_PASSWORD=fresh123", NULL};
	run_xinfang(r, admin, (const char *[]){"user", "add", "zhou", "head", "full_name=周卫东", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, admin, (const char *[]){"user", "role", "zhou", "handler", "dept=运营管理部", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, admin, (const char *[]){"user", "disable", "zhou", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, admin, (const char *[]){"user", "list", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "zhou\t周卫东\t经办人\t运营管理部\t\t否\t是\t0"));
	run_xinfang(r, admin, (const char *[]){"user", "enable", "zhou", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, admin, (const char *[]){"user", "reset", "zhou", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, (const char *[]){db, "XINFANG_USER=zhou", "XINFANG_PASSWORD=fresh123", NULL}, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, admin, (const char *[]){"user", "unlock", "zhou", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, admin, (const char *[]){"user", "frobnicate", NULL});
	assert_int_equal(r->status, 2);
	run_xinfang(r, (const char *[]){db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=clerk22", NULL}, (const char *[]){"user", "list", NULL});
	assert_int_equal(r->status, 1);
	free(r);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parallel_burst),
		cmocka_unit_test(unknown_name_same_answer),
		cmocka_unit_test(lock_and_unlock),
		cmocka_unit_test(account_functions),
		cmocka_unit_test(account_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

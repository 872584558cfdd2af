/* Logins that hold: only wrong passwords count, yet parallel guesses cannot pass the limit; one
 * answer for unknown names and disabled accounts; locks after five, audited unlocks; sessions
 * that follow their account; weak passwords refused; the account commands of the admin. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xinfang/store.h"

/* Counts the rows of a table (where column is value, when column is given). */
static size_t rows_in(struct fixture *fx, const char *table, const char *column, const char *value)
{
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(fx->st, table, column, value, &rows, &err), XF_OK);
	size_t n = rows.n;
	rows_free(&rows);
	return n;
}

/* Counts the audit events of an action. */
static size_t audit_count(struct fixture *fx, const char *action)
{
	return rows_in(fx, "audit", "action", action);
}

/* A count the store keeps for a name's logins (failures, checking), 0 without its row. */
static int login_count(struct fixture *fx, const char *name, const char *column)
{
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(fx->st, "logins", "name", name, &rows, &err), XF_OK);
	int n = rows.n ? atoi(fields_str(&rows.v[0], column)) : 0;
	rows_free(&rows);
	return n;
}

/* The failure count stored for a name. */
static int failures_of(struct fixture *fx, const char *name)
{
	return login_count(fx, name, "failures");
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

/* Right passwords in parallel never lock: twenty real processes of the same account log in at
 * once (each its own `status`), then the same beside four wrong guesses running with them. */
static void parallel_right_passwords(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	enum { N = 24, WRONG = 4 };
	for (int round = 0; round < 2; round++) {
		pid_t pids[N];
		char errs[N][320];
		for (int i = 0; i < N; i++) {
			snprintf(errs[i], sizeof errs[i], "%s/err%d-%d", fx.dir, round, i);
			bool wrong = round == 1 && i % (N / WRONG) == 0;
			pids[i] = start_login(fx.db, "clerk", wrong ? "wrong-password" : "secret1", errs[i]);
		}
		for (int i = 0; i < N; i++) {
			int status;
			assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
			assert_true(WIFEXITED(status));
			bool wrong = round == 1 && i % (N / WRONG) == 0;
			char msg[2048];
			read_small(errs[i], msg, sizeof msg);
			if (!wrong && WEXITSTATUS(status) != 0)
				fail_msg("round %d, right password %d refused: %s", round, i, msg);
			if (wrong)
				assert_int_equal(WEXITSTATUS(status), 1);
		}
		/* At most the four wrong ones are counted, and nothing locks. */
		assert_true(failures_of(&fx, "clerk") <= (round ? WRONG : 0));
		assert_int_equal(audit_count(&fx, "login_failed"), round ? WRONG : 0);
		assert_int_equal(audit_count(&fx, "login_locked"), 0);
	}
	struct xf_session s;
	struct xf_err err;
	assert_int_equal(auth_login(fx.st, "clerk", "secret1", &s, &err), XF_OK);
	session_close(&s);
	fixture_close(&fx);
}

/* A disabled account answers as a wrong password does, whatever the password: the same
 * message, the same count; once enabled again the right password logs in. */
static void disabled_same_answer(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_session s;
	struct xf_err right, wrong;
	assert_int_equal(auth_user_disable(&fx.admin, "clerk", true, &right), XF_OK);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(auth_login(fx.st, "clerk", "secret1", &s, &right), XF_EAUTH);
		assert_int_equal(auth_login(fx.st, "clerk", "wrong-password", &s, &wrong), XF_EAUTH);
		assert_non_null(strstr(right.msg, "用户名或密码不对，或账户已停用"));
		without_digits(right.msg);
		without_digits(wrong.msg);
		assert_string_equal(right.msg, wrong.msg);
	}
	assert_int_equal(failures_of(&fx, "clerk"), 4);
	/* The same as an unknown name. */
	assert_int_equal(auth_login(fx.st, "nobody", "secret1", &s, &wrong), XF_EAUTH);
	without_digits(wrong.msg);
	assert_string_equal(right.msg, wrong.msg);
	/* The old password cannot be changed either, and says no more. */
	assert_int_equal(auth_password_change(&fx.clerk, "secret1", "another-pw1", &wrong), XF_EAUTH);
	assert_non_null(strstr(wrong.msg, "原密码不对"));
	assert_int_equal(auth_user_disable(&fx.admin, "clerk", false, &right), XF_OK);
	assert_int_equal(failures_of(&fx, "clerk"), 0);
	assert_int_equal(auth_login(fx.st, "clerk", "secret1", &s, &right), XF_OK);
	session_close(&s);
	fixture_close(&fx);
}

/* Asks the handler's old session for 补充材料 and expects a refusal naming `what`, with
 * nothing written. */
static void material_refused(struct fixture *fx, int64_t id, const char *what)
{
	size_t audits = rows_in(fx, "audit", NULL, NULL), materials = rows_in(fx, "materials", NULL, NULL);
	struct xf_fields f;
	fields_from(&f, "description=交易流水两页", NULL);
	struct xf_err err;
	assert_int_equal(case_move(&fx->handler, id, XF_MV_MATERIAL, &f, 0, &err), XF_EAUTH);
	fields_free(&f);
	if (strstr(err.msg, what) == NULL || strstr(err.msg, "没有保存") == NULL)
		fail_msg("refusal without %s: %s", what, err.msg);
	assert_int_equal(rows_in(fx, "audit", NULL, NULL), audits);
	assert_int_equal(rows_in(fx, "materials", NULL, NULL), materials);
	assert_int_equal(auth_session_current(&fx->handler, &err), XF_EAUTH);
}

/* An account's current state governs every move of a session opened before it changed:
 * disabled, another role, another department; the admin's own session as well. */
static void session_follows_account(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	int64_t id = fixture_case(&fx, NULL);
	fixture_move(&fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	fixture_move(&fx.handler, id, XF_MV_MATERIAL, "description=第一份材料", NULL);
	struct xf_err err;
	assert_int_equal(auth_session_current(&fx.handler, &err), XF_OK);
	/* Disabled. */
	assert_int_equal(auth_user_disable(&fx.admin, "handler", true, &err), XF_OK);
	material_refused(&fx, id, "已被管理员停用");
	assert_int_equal(auth_user_disable(&fx.admin, "handler", false, &err), XF_OK);
	fixture_move(&fx.handler, id, XF_MV_MATERIAL, "description=又一份材料", NULL);
	/* Another role. */
	assert_int_equal(auth_user_set_role(&fx.admin, "handler", "operator", "", &err), XF_OK);
	material_refused(&fx, id, "角色已由经办人改为接待员");
	/* Another department (the old one's case). */
	assert_int_equal(auth_user_set_role(&fx.admin, "handler", "handler", "公司金融部", &err), XF_OK);
	material_refused(&fx, id, "部门已由“个人金融部”改为“公司金融部”");
	/* Back as it was: the session works again. */
	assert_int_equal(auth_user_set_role(&fx.admin, "handler", "handler", "个人金融部", &err), XF_OK);
	fixture_move(&fx.handler, id, XF_MV_MATERIAL, "description=第三份材料", NULL);
	/* An admin made head by another admin can no longer act as admin. */
	assert_int_equal(auth_user_add(&fx.admin, "admin2", "admin", "", "", "secret1", &err), XF_OK);
	struct xf_session admin2;
	assert_int_equal(auth_login(fx.st, "admin2", "secret1", &admin2, &err), XF_OK);
	assert_int_equal(auth_user_set_role(&admin2, "admin", "head", "", &err), XF_OK);
	assert_int_equal(auth_user_add(&fx.admin, "zhou", "operator", "", "", "secret1", &err), XF_EAUTH);
	assert_non_null(strstr(err.msg, "角色已由管理员改为办公室主任"));
	session_close(&admin2);
	fixture_close(&fx);
}

/* Weak new passwords are refused with the reason, wherever a password is set; demo123 and
 * the like still do. */
static void weak_passwords(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	static const struct {
		const char *pw, *why;
	} weak[] = {
		{"123456", "全是数字"},
		{"12345678901", "全是数字"},
		{"      ", "只有空格"},
		{"\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80   ", "只有空格"}, /* ideographic spaces */
		{"abc\tdefg", "控制字符"},
		{"ab\x01" "cdefg", "控制字符"},
		{"abc\x1b[2J", "控制字符"},
		{"pass\x7fword", "控制字符"},
		{"abc", "不到 6 个字符"},
		{"aaaaaaaa", "同一个字符"},
		{"ababab", "几个字符的重复"},
		{"xyzxyzxyz", "几个字符的重复"},
		{"abcdefg", "连续的字符"},
		{"GFEDCBA", "连续的字符"},
		{"Password", "常见"},
		{"qwerty123", "常见"},
		{"woaini1314", "常见"},
		{"zhouwd", "与用户名相同"},
		{"ZhouWD", "与用户名相同"},
		{"zhouwdzhouwd", "用户名加上几个字符"},
		{"Zhouwd1", "用户名加上几个字符"},
		{"111111a", "不到 4 种字符"},
		{"abab11", "不到 4 种字符"},
		{"", "没有输入密码"},
		{"ab\xff" "cdefg", "无效的字符"},
	};
	struct xf_err err;
	for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
		assert_int_equal(auth_user_add(&fx.admin, "zhouwd", "operator", "", "", weak[i].pw, &err), XF_EINVAL);
		if (strstr(err.msg, weak[i].why) == NULL || strstr(err.msg, "新密码") == NULL)
			fail_msg("%zu: %s", i, err.msg);
		if (strcmp(weak[i].why, "与用户名相同") == 0 || strcmp(weak[i].why, "用户名加上几个字符") == 0)
			continue; /* the clerk's name is another */
		assert_int_equal(auth_user_reset(&fx.admin, "clerk", weak[i].pw, &err), XF_EINVAL);
		assert_int_equal(auth_password_change(&fx.clerk, "secret1", weak[i].pw, &err), XF_EINVAL);
	}
	assert_int_equal(auth_user_reset(&fx.admin, "clerk", "CLERK", &err), XF_EINVAL);
	assert_int_equal(auth_password_change(&fx.clerk, "secret1", "clerk", &err), XF_EINVAL);
	/* The old password again. */
	assert_int_equal(auth_password_change(&fx.clerk, "secret1", "secret1", &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "与原密码相同"));
	assert_int_equal(auth_password_change(&fx.clerk, "secret1", "SECRET1", &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "与原密码相同"));
	assert_int_equal(auth_password_change(&fx.clerk, "secret1", "clerkclerk", &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "用户名加上几个字符"));
	/* Nothing was added, nothing counted as a failed login. */
	assert_int_equal(rows_in(&fx, "operators", NULL, NULL), 4);
	assert_int_equal(failures_of(&fx, "clerk"), 0);
	/* Passwords that do. */
	static const char *const fine[] = {"demo123", "secret1", "reset11", "柜台密码很长", "7 tigers!"};
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
		char name[16];
		snprintf(name, sizeof name, "fine%zu", i);
		if (auth_user_add(&fx.admin, name, "operator", "", "", fine[i], &err) != XF_OK)
			fail_msg("%s: %s", fine[i], err.msg);
	}
	/* init checks the first admin's password before it creates anything. */
	char db[300];
	snprintf(db, sizeof db, "XINFANG_DB=%s/weak.db", fx.dir);
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, (const char *[]){db, "XINFANG_PASSWORD=111111", NULL}, (const char *[]){"init", "--training", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "全是数字"));
	free(r);
	fixture_close(&fx);
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

/* What the work beside a login saw: how often it ran, on which thread, how many threads the
 * process had meanwhile, and the checks the store had running then. */
struct beside_seen {
	struct fixture *fx;
	int runs;
	pthread_t thread;
	int threads;
	int checking;
};

/* The threads of this process, counted in /proc/self/task. */
static int thread_count(void)
{
	DIR *d = opendir("/proc/self/task");
	assert_non_null(d);
	int n = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The work beside the password check: notes what it sees. */
static void beside_note(void *arg)
{
	struct beside_seen *b = arg;
	b->runs++;
	b->thread = pthread_self();
	b->threads = thread_count();
	b->checking = login_count(b->fx, "head", "checking");
}

/* After one wrong password tried some other way (its answer in err, counted once): auth_login
 * answers the same, and three more lock the name. */
static void answer_as_login_then_lock(struct fixture *fx, struct xf_err *err)
{
	struct xf_session s;
	struct xf_err plain;
	assert_int_equal(failures_of(fx, "head"), 1);
	assert_int_equal(auth_login(fx->st, "head", "wrong-password", &s, &plain), XF_EAUTH);
	without_digits(err->msg);
	without_digits(plain.msg);
	assert_string_equal(err->msg, plain.msg);
	for (int i = 0; i < 3; i++)
		assert_int_equal(auth_login(fx->st, "head", "wrong-password", &s, &plain), XF_EAUTH);
	assert_int_equal(failures_of(fx, "head"), 5);
}

/* The desk's start does its other work while the password is checked: the work runs once, on
 * the calling thread, while a second thread hashes, after the attempt took its place in the
 * store; a wrong password gets the same answer and count as auth_login, and a locked name is
 * refused before any work or check. */
static void login_beside_the_check(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_session s;
	struct xf_err err;
	int before = thread_count();
	struct beside_seen b = {.fx = &fx};
	assert_int_equal(auth_login_beside(fx.st, "head", "secret1", beside_note, &b, &s, &err), XF_OK);
	assert_string_equal(s.op.name, "head");
	session_close(&s);
	assert_int_equal(b.runs, 1);
	assert_true(pthread_equal(b.thread, pthread_self()));
	assert_int_equal(b.threads, before + 1);
	assert_int_equal(thread_count(), before);
	assert_int_equal(b.checking, 1); /* the attempt had its place before the work began */
	/* A wrong password: the work still runs (it shows nothing), the answer and count are
	 * auth_login's. */
	b.runs = 0;
	assert_int_equal(auth_login_beside(fx.st, "head", "wrong-password", beside_note, &b, &s, &err), XF_EAUTH);
	assert_int_equal(b.runs, 1);
	answer_as_login_then_lock(&fx, &err);
	/* Locked: refused before any check, and the work does not run. */
	b.runs = 0;
	assert_int_equal(auth_login_beside(fx.st, "head", "secret1", beside_note, &b, &s, &err), XF_EAUTH);
	assert_non_null(strstr(err.msg, "已锁定"));
	assert_int_equal(b.runs, 0);
	assert_int_equal(failures_of(&fx, "head"), 5);
	fixture_close(&fx);
}

/* A password known before the desk shows anything is checked from the start: auth_login_start
 * takes the attempt's place and leaves the hash running on a second thread while the caller
 * uses the store (its own copy of the password: the caller's may go); auth_login_finish runs
 * the work beside, waits and settles as auth_login_beside does. A wrong password counts and
 * answers as auth_login; a locked name is refused at the start, no check begun. */
static void login_started_early(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_session s;
	struct xf_err err;
	int before = thread_count();
	char password[] = "secret1";
	struct auth_login *l;
	assert_int_equal(auth_login_start(fx.st, "head", password, &l, &err), XF_OK);
	assert_non_null(l);
	memset(password, 'x', sizeof password - 1);
	assert_int_equal(thread_count(), before + 1);
	assert_int_equal(login_count(&fx, "head", "checking"), 1);
	int64_t id = fixture_case(&fx, NULL); /* the store is free meanwhile */
	assert_true(id > 0);
	struct beside_seen b = {.fx = &fx};
	assert_int_equal(auth_login_finish(l, beside_note, &b, &s, &err), XF_OK);
	assert_string_equal(s.op.name, "head");
	session_close(&s);
	assert_int_equal(b.runs, 1);
	assert_true(pthread_equal(b.thread, pthread_self()));
	assert_int_equal(thread_count(), before);
	assert_int_equal(login_count(&fx, "head", "checking"), 0);
	/* A wrong password. */
	assert_int_equal(auth_login_start(fx.st, "head", "wrong-password", &l, &err), XF_OK);
	assert_int_equal(auth_login_finish(l, NULL, NULL, &s, &err), XF_EAUTH);
	answer_as_login_then_lock(&fx, &err);
	/* Locked: refused at the start. */
	assert_int_equal(auth_login_start(fx.st, "head", "secret1", &l, &err), XF_EAUTH);
	assert_null(l);
	assert_non_null(strstr(err.msg, "已锁定"));
	assert_int_equal(thread_count(), before);
	assert_int_equal(failures_of(&fx, "head"), 5);
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
	assert_non_null(strstr(err.msg, "用户名或密码不对，或账户已停用"));
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
	run_xinfang(r, (const char *[]){db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=secret1", "XINFANG_NEW_PASSWORD=Counter-22", NULL},
	            (const char *[]){"passwd", NULL});
	if (r->status != 0)
		fail_msg("passwd: %s", r->err);
	run_xinfang(r, (const char *[]){db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=Counter-22", NULL}, (const char *[]){"status", NULL});
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
	run_xinfang(r, (const char *[]){db, "XINFANG_USER=clerk", "XINFANG_PASSWORD=Counter-22", NULL}, (const char *[]){"user", "list", NULL});
	assert_int_equal(r->status, 1);
	free(r);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parallel_burst),
		cmocka_unit_test(parallel_right_passwords),
		cmocka_unit_test(disabled_same_answer),
		cmocka_unit_test(session_follows_account),
		cmocka_unit_test(weak_passwords),
		cmocka_unit_test(unknown_name_same_answer),
		cmocka_unit_test(lock_and_unlock),
		cmocka_unit_test(login_beside_the_check),
		cmocka_unit_test(login_started_early),
		cmocka_unit_test(account_functions),
		cmocka_unit_test(account_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

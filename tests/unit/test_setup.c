/* One clock, honestly, and the limits of the host: a production store refuses a set date; a
 * training store takes it and says so; receipt dates are bounded; an interrupted init is made
 * again; a busy store exits 3; a file-size limit is a message, never a silent death; a store
 * restores only its own backups. */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xinfang/clock.h"
#include "xinfang/setup.h"

/* A temporary directory and the XINFANG_DB entry of a store in it. */
struct place {
	char dir[64];
	char db[160];
	char db_env[200];
};

/* Makes a temporary directory for a store. */
static void place_open(struct place *p)
{
	snprintf(p->dir, sizeof p->dir, "/tmp/xinfang-setup-XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	snprintf(p->db, sizeof p->db, "%s/x.db", p->dir);
	snprintf(p->db_env, sizeof p->db_env, "XINFANG_DB=%s", p->db);
}

/* Removes it. */
static void place_close(struct place *p)
{
	char *cmd = xasprintf("rm -rf '%s'", p->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* A production store refuses --today and XINFANG_TODAY, on the command line and in the core,
 * and a production init refuses them too. */
static void production_refuses_date(void **state)
{
	(void)state;
	struct place p;
	place_open(&p);
	struct run_result *r = malloc(sizeof *r);
	const char *dated[] = {p.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin", NULL};
	run_xinfang(r, dated, (const char *[]){"init", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "init --training"));
	assert_int_equal(access(p.db, F_OK), -1); /* nothing made */
	const char *plain[] = {p.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_USER=admin", NULL};
	run_xinfang(r, plain, (const char *[]){"init", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, plain, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, dated, (const char *[]){"new", "channel=来访", "category=建议", "name=王五", "summary=x", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "正式数据库"));
	run_xinfang(r, plain, (const char *[]){"--today", "2019-03-01", "new", "channel=来访", "category=建议", "name=王五",
	                                       "summary=x", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "正式数据库"));
	run_xinfang(r, plain, (const char *[]){"list", NULL});
	assert_int_equal(r->status, 0);
	assert_null(strstr(r->out, "王五"));
	/* In the core: setup_open itself refuses while the date is set. */
	struct xf_store *st;
	struct xf_err err;
	clock_set_today(date_from_ymd(2031, 1, 1));
	assert_int_equal(setup_open(p.db, &st, &err), XF_EINVAL);
	assert_null(st);
	clock_set_today(-1);
	assert_int_equal(setup_open(p.db, &st, &err), XF_OK);
	assert_false(setup_is_training(st));
	store_close(st);
	free(r);
	place_close(&p);
}

/* A training store takes the date, and its slips say 演示/培训. */
static void training_store(void **state)
{
	(void)state;
	struct place p;
	place_open(&p);
	struct run_result *r = malloc(sizeof *r);
	const char *env[] = {p.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin", NULL};
	run_xinfang(r, env, (const char *[]){"init", "--training", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "培训数据库"));
	run_xinfang(r, env, (const char *[]){"new", "channel=来访", "category=建议", "name=王五", "summary=x", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "2026年第0001号"));
	run_xinfang(r, env, (const char *[]){"print", "2026-1", "registration", "--to", "-", "--encoding", "UTF-8", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "演示/培训"));
	struct xf_store *st;
	struct xf_err err;
	assert_int_equal(setup_open(p.db, &st, &err), XF_OK);
	assert_true(setup_is_training(st));
	store_close(st);
	free(r);
	place_close(&p);
}

/* A receipt date is neither after today nor before the calendar's first year. */
static void receipt_dates_bounded(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	struct xf_fields f;
	struct xf_err err, warn;
	char number[32];
	static const char *const refused[] = {"received=2024-12-31", "received=2019-03-01", "received=2026-11-21",
	                                      "received=2031-01-01"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		fields_from(&f, "channel=来访", "category=建议", "name=王五", "summary=x", refused[i], NULL);
		assert_int_equal(case_register(&fx.clerk, &f, number, &warn, &err), XF_EINVAL);
		assert_non_null(strstr(err.msg, "收件日期"));
		fields_free(&f);
	}
	fields_from(&f, "channel=来访", "category=建议", "name=王五", "summary=x", "received=2025-01-01", NULL);
	assert_int_equal(case_register(&fx.clerk, &f, number, &warn, &err), XF_OK);
	assert_string_equal(number, "2025年第0001号");
	fields_free(&f);
	fixture_close(&fx);
}

/* Counts rows of a table with a raw connection (0 when the table is not there yet). */
static long raw_count(const char *db, const char *table)
{
	sqlite3 *h;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return 0;
	}
	sqlite3_busy_timeout(h, 2000);
	char *sql = xasprintf("SELECT count(*) FROM %s", table);
	sqlite3_stmt *stmt;
	long n = 0;
	if (sqlite3_prepare_v2(h, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(h);
	free(sql);
	return n;
}

/* Starts `xinfang init ARG` in the background (output to /dev/null). */
static pid_t start_init(const struct place *p, const char *arg)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		setsid();
		setenv("XINFANG_DB", p->db, 1);
		setenv("XINFANG_PASSWORD", "secret1", 1);
		setenv("XINFANG_TODAY", "2026-11-20", 1);
		execl(getenv("XINFANG_BIN"), "xinfang", "init", arg, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Kills a process with SIGKILL and reaps it. */
static void kill_hard(pid_t pid)
{
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
}

/* init --demo killed half-way counts as nothing: the store refuses to open, and the next init
 * makes a whole one, in Chinese, never an English UNIQUE error. */
static void demo_init_killed(void **state)
{
	(void)state;
	struct place p;
	place_open(&p);
	pid_t pid = start_init(&p, "--demo");
	/* Kill it once the accounts and some of the cases are in. */
	int waited = 0;
	while (raw_count(p.db, "cases") < 20 && waited < 20000) {
		usleep(5000);
		waited += 5;
	}
	kill_hard(pid);
	long cases = raw_count(p.db, "cases");
	assert_true(cases >= 20 && cases < 200);
	struct run_result *r = malloc(sizeof *r);
	const char *env[] = {p.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=clerk", NULL};
	run_xinfang(r, env, (const char *[]){"status", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "初始化没有完成"));
	run_xinfang(r, env, (const char *[]){"init", "--demo", NULL});
	if (r->status != 0)
		fail_msg("init again: %s", r->err);
	assert_non_null(strstr(r->err, "重新开始"));
	assert_null(strstr(r->err, "UNIQUE"));
	run_xinfang(r, env, (const char *[]){"list", "limit=1000", NULL});
	assert_int_equal(r->status, 0);
	assert_int_equal(raw_count(p.db, "cases"), 200);
	/* A finished store is never made again. */
	run_xinfang(r, env, (const char *[]){"init", "--demo", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "已经初始化"));
	assert_int_equal(raw_count(p.db, "cases"), 200);
	free(r);
	place_close(&p);
}

/* A plain init killed at any moment leaves either nothing usable or a whole store; init run
 * again always ends with a working one. */
static void plain_init_killed(void **state)
{
	(void)state;
	struct run_result *r = malloc(sizeof *r);
	for (int delay = 0; delay <= 120; delay += 15) {
		struct place p;
		place_open(&p);
		pid_t pid = start_init(&p, "--training");
		usleep((useconds_t)delay * 1000);
		kill_hard(pid);
		const char *env[] = {p.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin",
		                     NULL};
		run_xinfang(r, env, (const char *[]){"init", "--training", NULL});
		if (r->status != 0 && strstr(r->err, "已经初始化") == NULL)
			fail_msg("init after a kill at %d ms: %s", delay, r->err);
		assert_null(strstr(r->err, "UNIQUE"));
		run_xinfang(r, env, (const char *[]){"status", NULL});
		if (r->status != 0)
			fail_msg("store after a kill at %d ms: %s", delay, r->err);
		assert_int_equal(raw_count(p.db, "operators"), 1);
		place_close(&p);
	}
	free(r);
}

/* A store whose init mark was edited behind the program's back (or an init that never
 * finished) is moved aside by the next init, never deleted: its records stay in the file. */
static void unfinished_store_kept_aside(void **state)
{
	(void)state;
	struct place p;
	place_open(&p);
	struct run_result *r = malloc(sizeof *r);
	const char *env[] = {p.db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin", NULL};
	run_xinfang(r, env, (const char *[]){"init", "--demo", NULL});
	assert_int_equal(r->status, 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE settings SET value = '0' WHERE key = 'initialised'", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	run_xinfang(r, env, (const char *[]){"init", "--training", NULL});
	if (r->status != 0)
		fail_msg("init again: %s", r->err);
	assert_non_null(strstr(r->err, ".unfinished-"));
	assert_int_equal(raw_count(p.db, "cases"), 0);
	/* The 200 cases are still in the file moved aside. */
	char *cmd = xasprintf("ls %s/x.db.unfinished-* | grep -v -- '-wal$\\|-shm$'", p.dir);
	FILE *ls = popen(cmd, "r");
	char aside[256] = "";
	assert_non_null(fgets(aside, sizeof aside, ls));
	pclose(ls);
	free(cmd);
	aside[strcspn(aside, "\n")] = '\0';
	assert_int_equal(raw_count(aside, "cases"), 200);
	free(r);
	place_close(&p);
}

/* A store held by another program's write lock: exit code 3 and a message to try again. */
static void busy_exit_code(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	char db[320];
	snprintf(db, sizeof db, "XINFANG_DB=%s", fx.db);
	sqlite3 *other;
	assert_int_equal(sqlite3_open(fx.db, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	struct run_result *r = malloc(sizeof *r);
	const char *env[] = {db, "XINFANG_PASSWORD=secret1", "XINFANG_USER=clerk", "XINFANG_BUSY_MS=200", NULL};
	run_xinfang(r, env, (const char *[]){"new", "channel=来访", "category=建议", "name=王五", "summary=x", NULL});
	assert_int_equal(r->status, 3);
	assert_non_null(strstr(r->err, "占用"));
	assert_non_null(strstr(r->err, "重试"));
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	run_xinfang(r, env, (const char *[]){"new", "channel=来访", "category=建议", "name=王五", "summary=x", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, NULL, (const char *[]){"--help", NULL});
	assert_non_null(strstr(r->out, "3 数据库正忙"));
	free(r);
	fixture_close(&fx);
}

/* Runs `prlimit --fsize=LIMIT xinfang new ...` with a long summary; fills r. */
static void register_limited(struct run_result *r, const char *db, long limit, int i)
{
	char fsize[64], name[32];
	snprintf(fsize, sizeof fsize, "--fsize=%ld:%ld", limit, limit);
	snprintf(name, sizeof name, "name=张%d", i);
	char *summary = xmalloc(3 * 2600 + 16);
	strcpy(summary, "summary=");
	for (int k = 0; k < 2600; k++)
		strcat(summary, "诉");
	char dbenv[400];
	snprintf(dbenv, sizeof dbenv, "XINFANG_DB=%s", db);
	const char *env[] = {dbenv, "XINFANG_PASSWORD=secret1", "XINFANG_USER=clerk", NULL};
	/* run_xinfang runs $XINFANG_BIN: point it at prlimit for this run. */
	const char *bin = getenv("XINFANG_BIN");
	char *saved = xstrdup(bin);
	setenv("XINFANG_BIN", "/usr/bin/prlimit", 1);
	run_xinfang(r, env, (const char *[]){fsize, "--", saved, "new", "channel=来信", "category=建议", name, summary, NULL});
	setenv("XINFANG_BIN", saved, 1);
	free(saved);
	free(summary);
}

/* Under a file-size limit every registration either commits and prints its number, or is
 * refused with a message and leaves nothing; none dies of SIGXFSZ. */
static void file_size_limit(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-11-20");
	fixture_case(&fx, NULL);
	store_close(fx.st); /* the WAL is folded back; the limited runs own the store */
	fx.st = NULL;
	struct stat sb;
	assert_int_equal(stat(fx.db, &sb), 0);
	long limit = (long)sb.st_size + 96 * 1024;
	struct run_result *r = malloc(sizeof *r);
	int committed = 0, refused_count = 0;
	for (int i = 0; i < 40 && (refused_count < 3 || committed < 1); i++) {
		long before = raw_count(fx.db, "cases");
		register_limited(r, fx.db, limit, i);
		long after = raw_count(fx.db, "cases");
		if (r->status == 0) {
			committed++;
			assert_int_equal(after, before + 1);
			assert_non_null(strstr(r->out, "年第"));
		} else {
			if (r->status != 1)
				fail_msg("registration %d ended with %d: %s", i, r->status, r->err);
			refused_count++;
			assert_int_equal(after, before);
			if (strstr(r->err, "磁盘已满") == NULL || strstr(r->err, "已有数据完好") == NULL)
				fail_msg("unclear message: %s", r->err);
		}
	}
	assert_true(committed >= 1);
	assert_true(refused_count >= 3);
	/* The numbers have no gaps: as many as committed, plus the first. */
	assert_int_equal(raw_count(fx.db, "cases"), committed + 1);
	/* Standard output itself past the limit: the committed number is told on stderr. */
	char *cmd = xasprintf("cd '%s' && head -c 200000 /dev/zero > big.out && XINFANG_DB='%s' XINFANG_USER=clerk "
	                      "XINFANG_PASSWORD=secret1 prlimit --fsize=150000 -- '%s' new channel=来访 category=建议 "
	                      "name=王五 summary=x >> big.out 2> err.out",
	                      fx.dir, fx.db, getenv("XINFANG_BIN"));
	int status = system(cmd);
	free(cmd);
	assert_true(WIFEXITED(status));
	char errpath[320], msg[1024] = "";
	snprintf(errpath, sizeof errpath, "%s/err.out", fx.dir);
	FILE *ef = fopen(errpath, "r");
	assert_non_null(ef);
	msg[fread(msg, 1, sizeof msg - 1, ef)] = '\0';
	fclose(ef);
	if (WEXITSTATUS(status) == 0 && strstr(msg, "已登记 2026年第") == NULL)
		fail_msg("a number committed but not shown: %s", msg);
	if (WEXITSTATUS(status) != 0 && strstr(msg, "磁盘已满") == NULL)
		fail_msg("unclear message: %s", msg);
	free(r);
	assert_int_equal(store_open(fx.db, &fx.st, &(struct xf_err){0}), XF_OK);
	fixture_close(&fx);
}

/* Runs the command line on db as admin (password secret1, no date) and returns what it said. */
static int run_admin(struct run_result *r, const char *db, const char *const *argv)
{
	char env_db[200];
	snprintf(env_db, sizeof env_db, "XINFANG_DB=%s", db);
	run_xinfang(r, (const char *[]){env_db, "XINFANG_USER=admin", "XINFANG_PASSWORD=secret1", NULL}, argv);
	return r->status;
}

/* A store restores only its own backups: a training store's backup over the production store,
 * or another production store's (made in the same second by the same admin), is refused with
 * what to do and the store keeps its cases; its own backup is restored; where no store is yet (a
 * new machine) the backup becomes the store, its admin logging in, and a wrong password leaves
 * nothing behind. */
static void restore_only_own_backup(void **state)
{
	(void)state;
	struct place p;
	place_open(&p);
	struct run_result *r = malloc(sizeof *r);
	char *training = xasprintf("%s/training.db", p.dir), *other = xasprintf("%s/other.db", p.dir),
	     *t_bak = xasprintf("%s/training-backup.db", p.dir), *o_bak = xasprintf("%s/other-backup.db", p.dir),
	     *own = xasprintf("%s/own-backup.db", p.dir), *fresh = xasprintf("%s/new-machine.db", p.dir),
	     *refused = xasprintf("%s/refused.db", p.dir);
	assert_int_equal(run_admin(r, p.db, (const char *[]){"init", NULL}), 0);
	assert_int_equal(run_admin(r, other, (const char *[]){"init", NULL}), 0);
	char env_training[200];
	snprintf(env_training, sizeof env_training, "XINFANG_DB=%s", training);
	run_xinfang(r, (const char *[]){env_training, "XINFANG_USER=admin", "XINFANG_PASSWORD=secret1", NULL},
	            (const char *[]){"init", "--demo", NULL});
	assert_int_equal(r->status, 0);
	assert_int_equal(run_admin(r, training, (const char *[]){"backup", t_bak, NULL}), 0);
	assert_int_equal(run_admin(r, other, (const char *[]){"backup", o_bak, NULL}), 0);
	assert_int_equal(run_admin(r, p.db, (const char *[]){"new", "channel=来访", "category=建议", "name=王五",
	                                                     "summary=柜台排队", NULL}),
	                 0);
	assert_int_equal(run_admin(r, p.db, (const char *[]){"backup", own, NULL}), 0);
	/* The training store's backup: refused, the production store as it was. */
	assert_int_equal(run_admin(r, p.db, (const char *[]){"restore", t_bak, NULL}), 1);
	if (strstr(r->err, "培训数据库的备份") == NULL || strstr(r->err, "正式库未动") == NULL)
		fail_msg("%s", r->err);
	/* Another production store's: refused too. */
	assert_int_equal(run_admin(r, p.db, (const char *[]){"restore", o_bak, NULL}), 1);
	if (strstr(r->err, "另一套数据库") == NULL || strstr(r->err, "不要先运行 init") == NULL)
		fail_msg("%s", r->err);
	struct xf_store *st;
	struct xf_err err;
	clock_set_today(-1); /* the system clock, as a production store wants */
	if (setup_open(p.db, &st, &err) != XF_OK)
		fail_msg("%s", err.msg);
	assert_false(setup_is_training(st));
	store_close(st);
	assert_int_equal(run_admin(r, p.db, (const char *[]){"list", NULL}), 0);
	assert_non_null(strstr(r->out, "王五"));
	/* Its own backup: restored. */
	assert_int_equal(run_admin(r, p.db, (const char *[]){"restore", own, NULL}), 0);
	assert_int_equal(run_admin(r, p.db, (const char *[]){"verify", NULL}), 0);
	/* A new machine: the backup becomes the store, with its cases and a sound record. */
	assert_int_equal(run_admin(r, fresh, (const char *[]){"restore", own, NULL}), 0);
	assert_non_null(strstr(r->out, "新的数据库"));
	assert_int_equal(run_admin(r, fresh, (const char *[]){"list", NULL}), 0);
	assert_non_null(strstr(r->out, "王五"));
	assert_int_equal(run_admin(r, fresh, (const char *[]){"verify", NULL}), 0);
	char env_refused[200];
	snprintf(env_refused, sizeof env_refused, "XINFANG_DB=%s", refused);
	run_xinfang(r, (const char *[]){env_refused, "XINFANG_USER=admin", "XINFANG_PASSWORD=wrong-one", NULL},
	            (const char *[]){"restore", own, NULL});
	assert_int_equal(r->status, 1);
	assert_int_equal(access(refused, F_OK), -1);
	char *anchor = xasprintf("%s.anchor", refused);
	assert_int_equal(access(anchor, F_OK), -1);
	free(anchor);
	free(training);
	free(other);
	free(t_bak);
	free(o_bak);
	free(own);
	free(fresh);
	free(refused);
	free(r);
	place_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(production_refuses_date),
		cmocka_unit_test(training_store),
		cmocka_unit_test(receipt_dates_bounded),
		cmocka_unit_test(demo_init_killed),
		cmocka_unit_test(plain_init_killed),
		cmocka_unit_test(unfinished_store_kept_aside),
		cmocka_unit_test(busy_exit_code),
		cmocka_unit_test(file_size_limit),
		cmocka_unit_test(restore_only_own_backup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* A failover under writers: beside a primary and its synchronous streaming standby
 * (tests/pg/with_cluster.sh --standby), writers register cases through the core in a loop, each
 * on one connection kept open with the multi-host locator, and note every number whose commit
 * returned OK; the primary is killed -9 (its postmaster and every server process), the standby
 * promoted. The writers carry on by themselves on the promoted server; afterwards every number
 * a writer was given is there, no two writers were given the same, the numbering has no gap,
 * and `xinfang verify` passes there. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/store_db.h"
#include "xinfang/clock.h"
#include "xinfang/setup.h"

enum { WRITERS = 3, MAX_NUMBERS = 4000 };

/* What the writers did, shared with the test's process. */
struct shared {
	volatile int stop;
	volatile long ok[WRITERS];     /* registrations whose commit returned OK */
	volatile long failed[WRITERS]; /* refused ones (the loss said), repeated after */
	int seq[WRITERS][MAX_NUMBERS]; /* the numbers given (their place in 2026) */
	char last_error[WRITERS][800];
};

static struct shared *sh;
static char dir[] = "/tmp/xinfang-test-failoverXXXXXX";
static char locator[512];
/* The locator's target_session_attrs (argv[1]), or NULL for none. */
static const char *session_attrs;

/* Milliseconds of the monotonic clock. */
static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Registrations given so far, all writers together. */
static long total_ok(void)
{
	long n = 0;
	for (int w = 0; w < WRITERS; w++)
		n += __atomic_load_n(&sh->ok[w], __ATOMIC_SEQ_CST);
	return n;
}

/* A desk between keys: a connection that only asks for news, as the desk's tick does. */
static struct xf_db *listener;

/* Asks the listener for news once: true when it says there is some (an error: none). */
static bool tick(void)
{
	bool changed = false;
	struct xf_err err;
	return xf_db_changed(listener, &changed, &err) == XF_OK && changed;
}

/* Waits until the writers together have at least n registrations, for at most ms, the listener
 * ticking meanwhile. */
static bool wait_for_ok(long n, long long ms)
{
	long long until = now_ms() + ms;
	while (total_ok() < n && now_ms() < until) {
		usleep(50 * 1000);
		tick();
	}
	return total_ok() >= n;
}

/* Registers one case as clerk0 in a connection of its own. */
static void register_one(void)
{
	struct xf_store *st;
	struct xf_session s;
	struct xf_err err, warn;
	assert_int_equal(store_open(locator, &st, &err), XF_OK);
	assert_int_equal(auth_login(st, "clerk0", "secret1", &s, &err), XF_OK);
	struct xf_fields f;
	fields_from(&f, "channel=来访", "category=服务态度", "name=测试人", "summary=故障切换之后", NULL);
	char number[32];
	if (case_register(&s, &f, number, &warn, &err) != XF_OK)
		fail_msg("register after the failover: %s", err.msg);
	fields_free(&f);
	session_close(&s);
	store_close(st);
}

/* One writer: registers as clerk<w> until told to stop, repeating what a lost connection
 * refused, as an operator would (the store reconnects by itself). */
static int writer(int w)
{
	struct xf_store *st;
	struct xf_err err;
	if (store_open(locator, &st, &err) != XF_OK) {
		snprintf(sh->last_error[w], sizeof sh->last_error[w], "open: %s", err.msg);
		return 1;
	}
	char name[16];
	snprintf(name, sizeof name, "clerk%d", w);
	struct xf_session s;
	if (auth_login(st, name, "secret1", &s, &err) != XF_OK) {
		snprintf(sh->last_error[w], sizeof sh->last_error[w], "login: %s", err.msg);
		return 1;
	}
	for (long round = 0; !__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST); round++) {
		struct xf_fields f;
		fields_from(&f, "channel=来访", "category=服务态度", "name=测试人", "summary=柜员态度冷淡，要求道歉。", NULL);
		char number[32];
		struct xf_err warn;
		int rc = case_register(&s, &f, number, &warn, &err);
		fields_free(&f);
		int year, seq;
		if (rc == XF_OK && case_parse_number(number, &year, &seq, &err) == XF_OK && year == 2026) {
			long i = sh->ok[w];
			if (i < MAX_NUMBERS)
				sh->seq[w][i] = seq;
			__atomic_store_n(&sh->ok[w], i + 1, __ATOMIC_SEQ_CST);
		} else {
			__atomic_add_fetch(&sh->failed[w], 1, __ATOMIC_SEQ_CST);
			snprintf(sh->last_error[w], sizeof sh->last_error[w], "%s", err.msg);
			usleep(100 * 1000);
		}
	}
	session_close(&s);
	store_close(st);
	return 0;
}

/* One integer a query on the store's server gives. */
static int64_t query_int(struct xf_db *db, const char *sql)
{
	struct xf_db_stmt *stmt = NULL;
	struct xf_err err;
	if (xf_db_prepare(db, sql, &stmt, &err) != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	if (xf_db_step(stmt) != XF_DB_ROW)
		fail_msg("%s: %s", sql, xf_db_errdetail(db));
	int64_t v = xf_db_column_int64(stmt, 0);
	xf_db_finalize(stmt);
	return v;
}

/* Orders ints. */
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The store made, writers started; the primary killed under them, the standby promoted; the
 * writers carry on; what they were told was committed is all on the promoted server. */
static void test_failover_keeps_every_commit(void **state)
{
	(void)state;
	struct xf_err err;
	assert_int_equal(clock_set_today_iso("2026-11-20", &err), XF_OK);
	assert_non_null(mkdtemp(dir));
	/* the locator names both hosts and no session kind (the driver's own read-write choice), or
	 * any (a standby reached is not taken for the server back all the same) */
	test_pg_database(dir, locator, sizeof locator);
	assert_non_null(strchr(strstr(locator, "host="), ','));
	if (session_attrs) {
		size_t len = strlen(locator);
		snprintf(locator + len, sizeof locator - len, "&target_session_attrs=%s", session_attrs);
	}
	char *anchor = xasprintf("%s/", dir);
	setenv("XINFANG_ANCHOR", anchor, 1);
	struct xf_store *st;
	struct xf_session admin;
	assert_int_equal(store_open(locator, &st, &err), XF_OK);
	if (setup_init_mode(st, test_datadir(), "admin", "secret1", XF_INIT_TRAINING, &admin, &err) != XF_OK)
		fail_msg("init: %s", err.msg);
	for (int w = 0; w < WRITERS; w++) {
		char name[16];
		snprintf(name, sizeof name, "clerk%d", w);
		assert_int_equal(auth_user_add(&admin, name, "operator", "王丽", "", "secret1", &err), XF_OK);
	}
	session_close(&admin);
	store_close(st);

	struct xf_db *db;
	assert_int_equal(xf_db_open(locator, NULL, &listener, &err), XF_OK);
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(sh != MAP_FAILED);
	memset(sh, 0, sizeof *sh);
	pid_t pids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0)
			_exit(writer(w));
	}
	if (!wait_for_ok(5 * WRITERS, 60000))
		fail_msg("the writers registered only %ld before the failover: %s", total_ok(), sh->last_error[0]);

	struct xf_db *command;
	assert_int_equal(xf_db_open(locator, NULL, &command, &err), XF_OK);
	test_pg_kill_primary();
	long at_kill = total_ok();
	for (int i = 0; i < 20; i++) { /* the writers and the desk find the loss; no host takes a write */
		usleep(50 * 1000);
		tick();
	}
	/* a command's statement waits XINFANG_RECONNECT_SECONDS for a host that takes writes, then
	 * says the connection is lost, how long it tried, and to do it again */
	setenv("XINFANG_RECONNECT_SECONDS", "1", 1);
	long long asked = now_ms();
	struct xf_db_stmt *stmt = NULL;
	if (xf_db_prepare(command, "SELECT 1", &stmt, &err) == XF_OK) {
		assert_int_equal(xf_db_step(stmt), XF_DB_ERROR);
		xf_db_fail(command, &err, "查询");
		xf_db_finalize(stmt);
	}
	long long waited = now_ms() - asked;
	unsetenv("XINFANG_RECONNECT_SECONDS");
	assert_int_equal(xf_db_errclass(command), XF_DB_ELOST);
	if (waited < 900 || waited > 15000 || strstr(err.msg, "tried again for 1 s") == NULL ||
	    strstr(err.msg, "连接中断") == NULL || strstr(err.msg, "重做") == NULL)
		fail_msg("after %lld ms: %s", waited, err.msg);
	print_message("a command meanwhile, after %lld ms: %s\n", waited, err.msg);
	xf_db_close(command);
	test_pg_promote();
	bool carried_on = wait_for_ok(at_kill + 5 * WRITERS, 90000);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	for (int w = 0; w < WRITERS; w++) {
		int status;
		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("writer %d ended badly: %s", w, sh->last_error[w]);
	}
	if (!carried_on)
		fail_msg("the writers did not carry on after the promotion (%ld at the kill, %ld now): %s", at_kill, total_ok(),
		         sh->last_error[0]);
	long failed = 0;
	for (int w = 0; w < WRITERS; w++) {
		failed += sh->failed[w];
		if (sh->failed[w])
			print_message("writer %d: %ld refused, the last: %s\n", w, sh->failed[w], sh->last_error[w]);
	}
	print_message("registered %ld (%ld before the kill), refused and repeated %ld\n", total_ok(), at_kill, failed);
	/* the loss refuses at most the move it cut: the store waits for the promotion meanwhile */
	for (int w = 0; w < WRITERS; w++)
		if (sh->failed[w] > 1)
			fail_msg("writer %d was refused %ld times: the store gave up before the promotion (%s)", w, sh->failed[w],
			         sh->last_error[w]);

	/* the desk between keys is back on the promoted server, listening: once it has caught up,
	 * another connection's commit is news within a few seconds */
	for (int quiet = 0, i = 0; quiet < 3 && i < 200; i++) {
		quiet = tick() ? 0 : quiet + 1;
		usleep(50 * 1000);
	}
	register_one();
	bool heard = false;
	for (int i = 0; i < 100 && !heard; i++) {
		heard = tick();
		usleep(50 * 1000);
	}
	if (!heard)
		fail_msg("the listening connection did not hear a commit on the promoted server (%s)", xf_db_errdetail(listener));
	xf_db_close(listener);

	/* the server the locator reaches now is the promoted standby */
	assert_int_equal(xf_db_open(locator, NULL, &db, &err), XF_OK);
	assert_int_equal(query_int(db, "SELECT CASE WHEN pg_is_in_recovery() THEN 0 ELSE 1 END"), 1);
	assert_int_equal(query_int(db, "SELECT CASE WHEN current_setting('cluster_name') = 'xinfang_standby' THEN 1 ELSE 0 END"), 1);

	/* every number a writer was given, once, and on the promoted server */
	long n = 0;
	int *given = xcalloc((size_t)WRITERS * MAX_NUMBERS, sizeof *given);
	for (int w = 0; w < WRITERS; w++) {
		assert_true(sh->ok[w] <= MAX_NUMBERS);
		for (long i = 0; i < sh->ok[w]; i++)
			given[n++] = sh->seq[w][i];
	}
	qsort(given, (size_t)n, sizeof *given, cmp_int);
	for (long i = 1; i < n; i++)
		if (given[i] == given[i - 1])
			fail_msg("the number %d was given twice: a commit said done was lost with the primary", given[i]);
	for (long i = 0; i < n; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE year = 2026 AND seq = %d", given[i]);
		if (query_int(db, sql) != 1)
			fail_msg("2026年第%04d号 was committed but is not on the promoted server", given[i]);
	}
	/* no gap, no duplicate; register_one's, and at most the refused ones (a commit cut on its
	 * way) more than given */
	int64_t cases = query_int(db, "SELECT count(*) FROM cases WHERE year = 2026");
	assert_int_equal(query_int(db, "SELECT count(DISTINCT seq) FROM cases WHERE year = 2026"), cases);
	assert_int_equal(query_int(db, "SELECT coalesce(max(seq), 0) FROM cases WHERE year = 2026"), cases);
	assert_true(cases >= n + 1 && cases <= n + 1 + failed);
	xf_db_close(db);
	free(given);

	/* the record proves itself on the promoted server: chain, replay, schema, anchor */
	char db_env[600], anchor_env[300];
	snprintf(db_env, sizeof db_env, "XINFANG_DB=%s", locator);
	snprintf(anchor_env, sizeof anchor_env, "XINFANG_ANCHOR=%s", anchor);
	struct run_result *r = xmalloc(sizeof *r);
	run_xinfang(r, (const char *[]){db_env, anchor_env, "XINFANG_TODAY=2026-11-20", "XINFANG_USER=admin",
	                                "XINFANG_PASSWORD=secret1", NULL},
	            (const char *[]){"verify", NULL});
	if (r->status != 0 || strstr(r->out, "校验链完整") == NULL)
		fail_msg("verify on the promoted server: %s%s", r->out, r->err);
	free(r);
	munmap(sh, sizeof *sh);
	test_pg_drop(locator);
	char *rm = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(rm), 0);
	free(rm);
	free(anchor);
}

/* Runs the test beside the primary and its standby: test_failover_pg [TARGET_SESSION_ATTRS]. */
int main(int argc, char **argv)
{
	session_attrs = argc > 1 ? argv[1] : NULL;
	if (getenv("XINFANG_TEST_PG_STANDBY_DIR") == NULL) {
		fprintf(stderr, "test_failover_pg: run it through tests/pg/with_cluster.sh --standby\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failover_keeps_every_commit),
	};
	return cmocka_run_group_tests_name(session_attrs ? "failover-pg (target_session_attrs)" : "failover-pg", tests, NULL, NULL);
}

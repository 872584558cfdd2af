/* The desk on a PostgreSQL store (beside the cluster tests/pg/with_cluster.sh started): another
 * connection's commit on the status bar within a second, even while the operator types; a
 * lost connection said on the message line, the form being typed kept, the desk reconnecting
 * by itself and saving again once the server is back. Beside a primary and its standby
 * (with_cluster.sh --standby): the primary killed while a form is typed, the standby promoted,
 * the form saved there. */
#include "deskutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/store_db.h"

/* Set by the registering thread once its registration is committed. */
static bool registered;

/* Milliseconds of the monotonic clock. */
static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A connection to the cluster's own database (to make stores and end connections). */
static struct xf_db *cluster(void)
{
	struct xf_db *db = NULL;
	struct xf_err err;
	if (xf_db_open(getenv("XINFANG_TEST_PG"), NULL, &db, &err) != XF_OK)
		fail_msg("cluster: %s", err.msg);
	return db;
}

/* Runs a statement on the cluster that must succeed. */
static void cluster_exec(const char *sql)
{
	struct xf_db *db = cluster();
	struct xf_err err;
	if (xf_db_exec(db, sql, &err, "测试") != XF_OK)
		fail_msg("%s: %s", sql, err.msg);
	xf_db_close(db);
}

/* A new store in a database of its own named name (as a DBA makes it), with the command
 * line's admin, clerk and head, as of today. */
static void env_setup_pg(struct desk_env *e, const char *name, const char *today)
{
	char sql[256];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'", name);
	cluster_exec(sql);
	snprintf(e->dir, sizeof e->dir, "/tmp/xinfang-desk-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	/* beside a standby (with_cluster.sh --standby): both hosts, the one taking writes chosen by
	 * the driver itself (no target_session_attrs written) */
	const char *dir = getenv("XINFANG_TEST_PG_DIR"), *standby = getenv("XINFANG_TEST_PG_STANDBY_DIR");
	int n = standby ? snprintf(e->db, sizeof e->db, "XINFANG_DB=postgresql:///%s?host=%s,%s&user=postgres", name, dir,
	                           standby)
	                : snprintf(e->db, sizeof e->db, "XINFANG_DB=postgresql:///%s?host=%s&user=postgres", name, dir);
	assert_true(n > 0 && (size_t)n < sizeof e->db);
	snprintf(e->today, sizeof e->today, "XINFANG_TODAY=%s", today);
	e->anchor[0] = '\0'; /* the database is the test's own, kept to its end */
	cli(e, "", (const char *[]){"init", "--training", NULL});
	cli(e, "admin", (const char *[]){"user", "add", "clerk", "operator", "full_name=王丽", NULL});
	cli(e, "admin", (const char *[]){"user", "add", "head", "head", "full_name=李建国", NULL});
}

/* Ends the server processes of the desks (every connection named xinfang but the asker's)
 * and waits until they are gone. */
static void terminate_desks(void)
{
	struct xf_db *db = cluster();
	struct xf_db_stmt *st = NULL;
	struct xf_err err;
	assert_int_equal(xf_db_prepare(db, "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
	                                   "FROM pg_stat_activity WHERE application_name = 'xinfang' "
	                                   "AND pid <> pg_backend_pid()", &st, &err),
	                 XF_OK);
	assert_int_equal(xf_db_step(st), XF_DB_ROW);
	assert_true(xf_db_column_int64(st, 0) >= 1);
	xf_db_finalize(st);
	xf_db_close(db);
}

/* Runs pg_ctl on the cluster (stop or start), as the server's account when root; a start
 * listens where with_cluster.sh's did (its socket directory only: pg_ctl start forgets). */
static void server(const char *how)
{
	const char *dir = getenv("XINFANG_TEST_PG_DIR");
	const char *bindir = getenv("XINFANG_TEST_PG_BINDIR");
	char *cmd = xasprintf("%s'%s/pg_ctl' -D '%s/data' -l '%s/server.log' -m fast -w -t 60 "
	                      "-o \"-c listen_addresses= -k '%s' -c fsync=off\" %s >/dev/null",
	                      geteuid() == 0 ? "runuser -u postgres -- " : "", bindir, dir, dir, dir, how);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Registers a case from the command line beside the desk, then says it is done. */
static void *register_beside(void *arg)
{
	struct desk_env *e = arg;
	cli_case(e, "王五");
	__atomic_store_n(&registered, true, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Another desk's registration reaches the head's status bar within a second while the head
 * keeps pressing keys (one every tenth of a second, from before the registration to after:
 * the half-second tick of an idle keyboard never comes). */
static void status_bar_while_typing(void **state)
{
	(void)state;
	struct desk_env e;
	env_setup_pg(&e, "desk_live", "2026-11-20");
	struct term t;
	open_desk(&t, &e, "head", NULL);
	must_see(&t, "待批转 0", 2000);
	registered = false;
	pthread_t other;
	assert_int_equal(pthread_create(&other, NULL, register_beside, &e), 0);
	long long start = now_ms(), done = 0;
	bool seen = false;
	for (int i = 0; !seen; i++) {
		term_send(&t, i % 2 ? K_UP : K_DOWN);
		seen = term_wait(&t, "待批转 1", 100);
		if (done == 0 && __atomic_load_n(&registered, __ATOMIC_SEQ_CST))
			done = now_ms();
		if ((done && now_ms() - done > 1000) || now_ms() - start > 30000)
			break;
	}
	pthread_join(other, NULL);
	if (!seen)
		fail_msg("the other desk's registration did not show within a second of typing:\n%s", term_text(&t));
	term_free(&t);
	env_teardown(&e);
}

/* A new store in the database `name`, the clerk's desk on it, the registration of 𠮷祥 typed
 * up to the summary (ready to save). */
static void open_typed_registration(struct desk_env *e, struct term *t, const char *name)
{
	env_setup_pg(e, name, "2026-11-20");
	open_desk(t, e, "clerk", NULL);
	term_send(t, "1");
	must_see(t, "信 访 登 记 表", 3000);
	term_send(t, "\t" K_RIGHT K_RIGHT K_RIGHT "\t\t"); /* received; channel 来访; importance */
	term_send(t, "𠮷祥\t\t\t\t\t");
	term_send(t, "11010519491231002X\t");
	term_send(t, "138 1234 5678\t");
	term_send(t, "北京市朝阳区建国路88号\t\t\t\t");
	term_send(t, "城东支行营业部\t\t" K_RIGHT K_RIGHT "\t\t");
	term_send(t, "柜员态度冷淡，排队等候超过一小时。");
	must_see(t, "排队等候超过一小时", 2000);
}

/* Saves the registration typed (F2): it is numbered and stored; the desk and the store end. */
static void save_and_check(struct desk_env *e, struct term *t)
{
	term_send(t, K_F2);
	must_see(t, "已登记 2026年第0001号", 3000);
	assert_shows(e, "2026-0001", "name", "𠮷祥");
	term_free(t);
	env_teardown(e);
}

/* A save (F2) while the server cannot take it: refused, saying it is not done, and everything
 * typed still on the form. */
static void save_refused_form_kept(struct term *t)
{
	term_send(t, K_F2);
	must_see(t, "未完成", 3000);
	must_see(t, "北京市朝阳区建国路88号", 100);
	must_see(t, "排队等候超过一小时", 100);
}

/* The desk's server process is terminated while a registration is typed: the message line says
 * so, then that it reconnected; the form is kept and saves. */
static void lost_connection_keeps_the_form(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_typed_registration(&e, &t, "desk_lost");
	terminate_desks();
	must_see(&t, "连接中断过，已自动重新连接", 3000);
	must_see(&t, "北京市朝阳区建国路88号", 100);
	must_see(&t, "排队等候超过一小时", 100);
	save_and_check(&e, &t);
}

/* The server stops while a registration is typed: the desk says the connection is lost, a save
 * meanwhile fails saying so and keeps everything typed; once the server is back the desk
 * reconnects by itself and the same save goes through. */
static void server_down_then_back(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_typed_registration(&e, &t, "desk_down");
	server("stop");
	must_see(&t, "连接中断", 3000); /* said by the tick, or by the draft kept at it */
	save_refused_form_kept(&t);
	server("start");
	must_see(&t, "连接中断过，已自动重新连接", 3000);
	save_and_check(&e, &t);
}

/* The primary is killed -9 while a registration is typed (with_cluster.sh --standby): the
 * desk says the connection is lost, a save meanwhile fails saying so (no host takes writes:
 * the standby is read-only) and keeps everything typed; once the standby is promoted the desk
 * reconnects to it by itself and the same save goes through there. */
static void primary_lost_standby_promoted(void **state)
{
	(void)state;
	struct desk_env e;
	struct term t;
	open_typed_registration(&e, &t, "desk_failover");
	test_pg_kill_primary();
	must_see(&t, "连接中断", 3000);
	save_refused_form_kept(&t);
	/* still lost a second later, and a save still refused: the standby answers, but takes no
	 * writes, and is not taken for the server back */
	usleep(1000 * 1000);
	if (term_wait(&t, "已自动重新连接", 100))
		fail_msg("the desk took the standby for the server back:\n%s", term_text(&t));
	term_send(&t, K_F2);
	must_see(&t, "未完成", 3000);
	test_pg_promote();
	must_see(&t, "连接中断过，已自动重新连接", 5000);
	must_see(&t, "排队等候超过一小时", 100);
	save_and_check(&e, &t); /* `xinfang show` through the same locator: the promoted server */
}

/* Runs the tests beside the cluster; beside a primary and its standby, the failover. */
int main(void)
{
	if (getenv("XINFANG_TEST_PG") == NULL || getenv("XINFANG_TEST_PG_DIR") == NULL) {
		fprintf(stderr, "test_desk_pglive: run it through tests/pg/with_cluster.sh [--standby]\n");
		return 1;
	}
	if (getenv("XINFANG_TEST_PG_STANDBY_DIR")) {
		const struct CMUnitTest failover[] = {
			cmocka_unit_test(primary_lost_standby_promoted),
		};
		return cmocka_run_group_tests_name("desk-failover-pg", failover, NULL, NULL);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_bar_while_typing),
		cmocka_unit_test(lost_connection_keeps_the_form),
		cmocka_unit_test(server_down_then_back),
	};
	return cmocka_run_group_tests_name("desk-pglive", tests, NULL, NULL);
}

/* xinfang verify against edits made behind the program's back (the sqlite3 C API used as the
 * sqlite3 shell would be): rows, records outside the chain, a production store turned training
 * for a while, schema objects dropped or added; the anchor outside the store, backup while
 * another process writes, and restore. */
#include "testutil.h"

#include <openssl/evp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xinfang/audit.h"
#include "xinfang/clock.h"
#include "xinfang/print.h"
#include "xinfang/setup.h"
#include "xinfang/verify.h"

/* Does a move that must succeed. */
static void must_move(struct xf_session *s, int64_t id, enum xf_move mv, const char *first, ...)
{
	struct xf_fields f;
	va_list ap;
	va_start(ap, first);
	fields_from_va(&f, first, ap);
	va_end(ap);
	struct xf_err err;
	int rc = case_move(s, id, mv, &f, 0, &err);
	fields_free(&f);
	if (rc != XF_OK)
		fail_msg("%s: %s", xf_moves[mv].key, err.msg);
}

/* A store with every kind of write the office makes: registrations, moves of every kind, an
 * edit, an account, a rule set switch, a calendar import, a print. Returns the queued case. */
static int64_t busy_store(struct fixture *fx, int64_t *closed_id)
{
	struct xf_err err;
	int64_t a = fixture_case(fx, "id_number=11010519491231002X", "phone=13812345678", NULL);
	int64_t b = fixture_case(fx, "summary=网点排队时间过长", NULL);
	int64_t c = fixture_case(fx, "name=刘䶮", NULL);
	must_move(&fx->head, b, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	must_move(&fx->clerk, b, XF_MV_OUTCOME, "findings=经核实情况属实", NULL);
	must_move(&fx->clerk, b, XF_MV_REPLY, "method=口头", NULL);
	must_move(&fx->clerk, b, XF_MV_CLOSE, NULL);
	must_move(&fx->head, c, XF_MV_INSTRUCT, "leader=张行长", "text=请认真核查", NULL);
	must_move(&fx->head, c, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	must_move(&fx->handler, c, XF_MV_RETURN, "reason=不属本部门", NULL);
	must_move(&fx->head, c, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	must_move(&fx->clerk, c, XF_MV_EXTEND, "until=2026-12-31", "reason=需调取外地凭证", NULL);
	must_move(&fx->head, c, XF_MV_DECIDE, "decision=同意", NULL);
	must_move(&fx->clerk, c, XF_MV_URGE, "target=个人金融部", "method=电话", NULL);
	must_move(&fx->clerk, c, XF_MV_MATERIAL, "description=交易流水两页", NULL);
	struct xf_fields f;
	fields_from(&f, "summary=柜员态度冷淡，要求当面道歉。", NULL);
	assert_int_equal(case_edit(&fx->clerk, a, &f, 0, &err), XF_OK);
	fields_free(&f);
	assert_int_equal(auth_user_add(&fx->admin, "clerk2", "operator", "孙强", "", "secret1", &err), XF_OK);
	if (setup_ruleset_use(&fx->admin, "seed", &err) != XF_OK)
		fail_msg("ruleset: %s", err.msg);
	int year = 0, recomputed = 0;
	char *cal = xasprintf("%s/holidays/2026.txt", test_datadir());
	assert_int_equal(setup_calendar_load(&fx->admin, cal, &year, &recomputed, &err), XF_OK);
	free(cal);
	char *slip = xasprintf("%s/slip.txt", fx->dir);
	assert_int_equal(print_record(&fx->clerk, a, "registration", slip, "UTF-8", &err), XF_OK);
	free(slip);
	if (closed_id)
		*closed_id = b;
	return a;
}

/* Runs SQL on a store file through a connection of its own, as the sqlite3 shell would;
 * returns SQLite's code, and its message in *msg (freed by the caller) when msg is not NULL. */
static int raw(const char *path, const char *sql, char **msg)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	int rc = sqlite3_exec(db, sql, NULL, NULL, msg);
	sqlite3_close(db);
	return rc;
}

/* The date in Beijing (UTC+8) at t, as "YYYY-MM-DD": the office's date whatever TZ says. */
static void beijing_date(time_t t, char out[16])
{
	t += 8 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* Runs SQL on a store file that must go through. */
static void attack_path(const char *path, const char *sql)
{
	char *msg = NULL;
	if (raw(path, sql, &msg) != SQLITE_OK)
		fail_msg("attack %s: %s", sql, msg);
	sqlite3_free(msg);
}

/* Runs SQL on the store's file through a connection of its own, as the sqlite3 shell would. */
static void attack(struct fixture *fx, const char *sql)
{
	attack_path(fx->db, sql);
}

/* Verifies the fixture's store; returns the number of failures (report kept in v). */
static int verify_fx(struct fixture *fx, struct xf_verify *v)
{
	struct xf_err err;
	xf_err_clear(&err);
	if (verify_store(fx->st, 0, NULL, v, &err) != XF_OK)
		fail_msg("verify: %s", err.msg);
	return v->failures;
}

/* Asserts that verify fails and its report holds each of the given texts. */
static void assert_caught(struct fixture *fx, const char *first, ...)
{
	struct xf_verify v;
	if (verify_fx(fx, &v) == 0)
		fail_msg("verify passed a tampered store:\n%s", v.text.data);
	va_list ap;
	va_start(ap, first);
	for (const char *want = first; want; want = va_arg(ap, const char *))
		if (strstr(v.text.data, want) == NULL)
			fail_msg("the report does not say \"%s\":\n%s", want, v.text.data);
	va_end(ap);
	verify_free(&v);
}

/* An edit made behind the program's back and what verify must say about it. */
struct edit {
	const char *sql;
	const char *wants[4]; /* NULL-terminated */
};

/* The sqlite3-shell edits of the trust finding (case 1 is the one busy_store leaves queued). */
static const struct edit edits[] = {
	{"UPDATE cases SET summary = '无事' WHERE id = 2",
	 {"2026年第0002号", "summary 记录为“网点排队时间过长”，现为“无事”", "操作日志第", NULL}},
	{"UPDATE cases SET state = 'closed', closure = '办结' WHERE id = 1",
	 {"2026年第0001号", "state 记录为“queued”，现为“closed”", NULL}},
	{"UPDATE operators SET role = 'admin' WHERE name = 'clerk'",
	 {"操作员 clerk", "role 记录为“operator”，现为“admin”", NULL}},
	{"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 12;",
	 {"触发器 audit_no_delete 缺失", "操作日志第 12 条记录缺失", NULL}},
	/* Tables kept whole: a row gone, a row changed (shown whole enough to see what changed). */
	{"DELETE FROM calendar_days WHERE day = '2026-10-01'",
	 {"节假日表（calendar_days）", "缺少 {\"day\":\"2026-10-01\"", NULL}},
	{"UPDATE limit_rules SET length = 99 WHERE ruleset = 'seed' AND kind = 'transfer' AND category = ''",
	 {"时限规则表（limit_rules）", "\"length\":99}", "多出 {\"ruleset\":\"seed\"", NULL}},
};

/* A busy store edited behind the program's back (*state is the edit): verify names it. */
static void test_edit_caught(void **state)
{
	const struct edit *e = *state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	attack(&fx, e->sql);
	struct xf_verify v;
	if (verify_fx(&fx, &v) == 0)
		fail_msg("verify passed after %s:\n%s", e->sql, v.text.data);
	for (int i = 0; e->wants[i]; i++)
		if (strstr(v.text.data, e->wants[i]) == NULL)
			fail_msg("after %s the report does not say \"%s\":\n%s", e->sql, e->wants[i], v.text.data);
	verify_free(&v);
	fixture_close(&fx);
}

/* A store with every kind of write verifies clean, and the anchor is written 0600. */
static void test_clean_store_passes(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	struct xf_verify v;
	int failures = verify_fx(&fx, &v);
	if (failures)
		fail_msg("a clean store fails:\n%s", v.text.data);
	assert_true(v.anchor_written);
	assert_true(v.rows > 20);
	verify_free(&v);
	char *anchor = verify_anchor_path(fx.db);
	struct stat sb;
	assert_int_equal(stat(anchor, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(anchor);
	fixture_close(&fx);
}

/* How many tables check a column against an IN list, and whether cases_due_reply's WHERE is one. */
static int in_lists(const char *path)
{
	sqlite3 *raw;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(raw,
	                                    "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%CHECK (% IN (%' "
	                                    "OR name = 'cases_due_reply' AND sql LIKE '% IN (%'",
	                                    -1, &stmt, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	int n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(raw);
	return n;
}

/* A store as version 14 left it (the allowed values as IN lists, as every store before 15
 * holds them) is brought to 15: its tables' SQL edited in place, and it verifies with every
 * record and row as they were (the rows and the chain unchanged). The store is made by this
 * build and its cases' SQL put back as 14 had it; 17's columns cannot be added twice, so the
 * migrations run to 16 and the version is then set to the newest. (Version 20 made
 * cases_due_reply again, so 15's edit of its WHERE is no longer what an upgrade leaves.) */
static void test_upgrade_from_14_verifies(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	struct xf_verify v;
	assert_int_equal(verify_fx(&fx, &v), 0);
	long rows = v.rows;
	verify_free(&v);
	store_close(fx.st);
	attack(&fx, "PRAGMA writable_schema = ON;"
	            "UPDATE sqlite_schema SET sql = replace(replace(sql, "
	            "'CHECK (state = ''queued'' OR state = ''transferred'' OR state = ''reported'' OR state = ''replied'' "
	            "OR state = ''closed'')', "
	            "'CHECK (state IN (''queued'', ''transferred'', ''reported'', ''replied'', ''closed''))'), "
	            "'CHECK (importance = ''一般'' OR importance = ''重要'')', 'CHECK (importance IN (''一般'', ''重要''))') "
	            "WHERE name = 'cases';"
	            "PRAGMA writable_schema = OFF; PRAGMA user_version = 14;");
	assert_int_equal(in_lists(fx.db), 1);
	struct xf_err err;
	assert_int_equal(store_open(fx.db, &fx.st, &err), XF_OK);
	assert_int_equal(store_migrate(fx.st, 16, &err), XF_OK);
	store_close(fx.st);
	char *latest = xasprintf("PRAGMA user_version = %d;", store_latest_version());
	attack(&fx, latest);
	free(latest);
	assert_int_equal(setup_open(fx.db, &fx.st, &err), XF_OK);
	int version;
	assert_int_equal(store_version(fx.st, &version, &err), XF_OK);
	assert_int_equal(version, store_latest_version());
	if (verify_fx(&fx, &v) != 0)
		fail_msg("the upgraded store fails:\n%s", v.text.data);
	assert_int_equal(v.rows, rows);
	verify_free(&v);
	assert_int_equal(in_lists(fx.db), 0);
	fixture_close(&fx);
}

/* Every audit record carries the real wall-clock time beside the business date. */
static void test_records_carry_wall_time(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2020-06-01");
	fixture_case(&fx, NULL);
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(fx.st, "audit", NULL, NULL, &rows, &err), XF_OK);
	assert_true(rows.n >= 5);
	char real[16];
	beijing_date(time(NULL), real);
	for (size_t i = 0; i < rows.n; i++) {
		assert_memory_equal(fields_str(&rows.v[i], "at"), "2020-06-01", 10);
		assert_memory_equal(fields_str(&rows.v[i], "wall"), real, 10);
		assert_int_equal(fields_str(&rows.v[i], "wall")[10], 'T');
		assert_int_equal(strlen(fields_str(&rows.v[i], "hash")), 64);
	}
	rows_free(&rows);
	fixture_close(&fx);
}

/* A forged INSERT INTO audit is named by its id. */
static void test_forged_record_caught(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	struct xf_chain_head head;
	struct xf_err err;
	assert_int_equal(store_chain_last(fx.st, &head, &err), XF_OK);
	/* The schema refuses a record that is not the chain's next link: the attacker drops it. */
	attack(&fx, "DROP TRIGGER audit_next_only; INSERT INTO audit(at, operator, action, case_id, before, after) "
	            "VALUES ('2026-03-02 09:00:00', 'admin', 'user_add', NULL, '{}', '{\"name\":\"mallory\"}')");
	char want[128];
	snprintf(want, sizeof want, "操作日志第 %lld 条记录没有校验值", (long long)head.id + 1);
	assert_caught(&fx, want, "触发器 audit_next_only 缺失", NULL);
	/* A forgery that copies a real record's hash is caught as well. */
	char *sql = xasprintf("DROP TRIGGER audit_no_update; UPDATE audit SET hash = (SELECT hash FROM audit WHERE id = %lld) "
	                      "WHERE id = %lld;",
	                      (long long)head.id, (long long)head.id + 1);
	attack(&fx, sql);
	free(sql);
	snprintf(want, sizeof want, "操作日志第 %lld 条记录的校验值不符", (long long)head.id + 1);
	assert_caught(&fx, want, "触发器 audit_no_update 缺失", NULL);
	fixture_close(&fx);
}

/* A trigger dropped and put back with other SQL is named; nothing recreates it on open. */
static void test_trigger_changed_caught(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	attack(&fx, "DROP TRIGGER cases_no_delete;");
	store_close(fx.st);
	struct xf_err err;
	assert_int_equal(setup_open(fx.db, &fx.st, &err), XF_OK);
	assert_int_equal(store_migrate(fx.st, 0, &err), XF_OK);
	assert_caught(&fx, "触发器 cases_no_delete 缺失", NULL);
	attack(&fx, "CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases BEGIN SELECT 1; END;");
	assert_caught(&fx, "触发器 cases_no_delete 的定义被改动", NULL);
	fixture_close(&fx);
}

/* The chain's hash as the program computes it, written again the way an attacker who read the
 * source would. */
static void attacker_hash(const char *prev, sqlite3_stmt *r, char out[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	const char *parts[11];
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(r, 0));
	parts[0] = "xinfang-audit-1";
	parts[1] = prev;
	parts[2] = id;
	for (int i = 1; i <= 8; i++) {
		const unsigned char *t = sqlite3_column_text(r, i);
		parts[2 + i] = t ? (const char *)t : "";
	}
	for (int i = 0; i < 11; i++) {
		char len[24];
		int k = snprintf(len, sizeof len, "%zu:", strlen(parts[i]));
		EVP_DigestUpdate(ctx, len, (size_t)k);
		EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
		EVP_DigestUpdate(ctx, ";", 1);
	}
	unsigned char md[32];
	unsigned int n;
	EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Rewrites the whole chain after changing a case's summary in the table and in every snapshot. */
static void rewrite_chain(struct fixture *fx)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'audit_no_update'", -1, &stmt,
	                                    NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	char *trigger = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_exec(db,
	                              "BEGIN; DROP TRIGGER audit_no_update;"
	                              "UPDATE cases SET summary = '无事' WHERE id = 2;"
	                              "UPDATE audit SET snapshot = json_set(snapshot, '$.\"cases:2\".summary', '无事') "
	                              " WHERE json_extract(snapshot, '$.\"cases:2\"') IS NOT NULL;",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_stmt *upd;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT id, at, wall, operator, action, coalesce(case_id, ''), before, after, "
	                                    "snapshot FROM audit ORDER BY id",
	                                    -1, &stmt, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit SET hash = ?1 WHERE id = ?2", -1, &upd, NULL), SQLITE_OK);
	char prev[65] = "";
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		char h[65];
		attacker_hash(prev, stmt, h);
		sqlite3_bind_text(upd, 1, h, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(upd, 2, sqlite3_column_int64(stmt, 0));
		assert_int_equal(sqlite3_step(upd), SQLITE_DONE);
		sqlite3_reset(upd);
		memcpy(prev, h, sizeof prev);
	}
	sqlite3_finalize(stmt);
	sqlite3_finalize(upd);
	assert_int_equal(sqlite3_exec(db, trigger, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	free(trigger);
	sqlite3_close(db);
}

/* A chain rewritten end to end holds together by itself; the anchor outside the store catches it. */
static void test_rewritten_chain_caught_by_anchor(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	struct xf_verify v;
	assert_int_equal(verify_fx(&fx, &v), 0);
	int64_t anchored = v.head.id;
	verify_free(&v);
	rewrite_chain(&fx);
	/* Without the anchor the forgery is consistent: that is what the anchor is for. */
	struct xf_err err;
	char *elsewhere = xasprintf("%s/none.anchor", fx.dir);
	assert_int_equal(verify_store(fx.st, XF_VERIFY_KEEP_ANCHOR | XF_VERIFY_NEW_ANCHOR, elsewhere, &v, &err), XF_OK);
	if (v.failures != 0)
		fail_msg("the rewrite was not consistent:\n%s", v.text.data);
	verify_free(&v);
	free(elsewhere);
	char want[96];
	snprintf(want, sizeof want, "操作日志第 %lld 条记录与库外锚点不符", (long long)anchored);
	assert_caught(&fx, want, "整体改写", NULL);
	/* The desk's start check says so too. */
	char msg[512];
	assert_false(verify_desk_check(fx.st, msg, sizeof msg));
	assert_non_null(strstr(msg, "库外锚点"));
	fixture_close(&fx);
}

/* A trail cut short after the anchor was written is caught as truncated. */
static void test_truncated_chain_caught(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	struct xf_verify v;
	assert_int_equal(verify_fx(&fx, &v), 0);
	verify_free(&v);
	attack(&fx, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > (SELECT max(id) - 3 FROM audit);"
	            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'records are never "
	            "deleted'); END;");
	assert_caught(&fx, "操作日志被截断", NULL);
	fixture_close(&fx);
}

/* A deleted anchor is a failure, not a fresh start: only verify --new-anchor makes it anew. */
static void test_deleted_anchor_caught(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	struct xf_verify v;
	assert_int_equal(verify_fx(&fx, &v), 0);
	verify_free(&v);
	char *anchor = verify_anchor_path(fx.db);
	assert_int_equal(unlink(anchor), 0);
	assert_caught(&fx, "不见了", "--new-anchor", NULL);
	struct xf_err err;
	assert_int_equal(verify_store(fx.st, XF_VERIFY_NEW_ANCHOR, NULL, &v, &err), XF_OK);
	assert_int_equal(v.failures, 0);
	assert_true(v.anchor_written);
	verify_free(&v);
	assert_int_equal(access(anchor, R_OK), 0);
	assert_int_equal(verify_fx(&fx, &v), 0);
	verify_free(&v);
	free(anchor);
	fixture_close(&fx);
}

/* The desk's quick check: clean passes, a dropped trigger is named. */
static void test_desk_check(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	char msg[512] = "";
	assert_true(verify_desk_check(fx.st, msg, sizeof msg));
	attack(&fx, "DROP TRIGGER operators_no_delete");
	assert_false(verify_desk_check(fx.st, msg, sizeof msg));
	assert_non_null(strstr(msg, "operators_no_delete"));
	assert_non_null(strstr(msg, "xinfang verify"));
	fixture_close(&fx);
}

/* A store from before the chain is sealed by the upgrade; its older records stay covered. */
static void test_upgrade_seals_older_records(void **state)
{
	/* With a state, the store passed version 5 without it: a build that held later migrations
	 * only (the text index's three, which need the program's tokenizer, are left to the program too). */
	bool skipped_chain = *state != NULL;
	/* A production store: the real clock (earlier tests set the date for their training ones). */
	clock_set_today(-1);
	struct fixture fx;
	memset(&fx, 0, sizeof fx);
	snprintf(fx.dir, sizeof fx.dir, "/tmp/xinfang-test-XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.db, sizeof fx.db, "%s/x.db", fx.dir);
	struct xf_err err;
	assert_int_equal(store_open(fx.db, &fx.st, &err), XF_OK);
	assert_int_equal(store_migrate(fx.st, 3, &err), XF_OK);
	store_close(fx.st);
	attack(&fx, "INSERT INTO settings VALUES ('ruleset', 'seed');"
	            "INSERT INTO operators(name, role, pwhash, created_at) VALUES ('admin', 'admin', 'x', '2025-01-01');"
	            "INSERT INTO audit(at, operator, action) VALUES ('2025-01-01 09:00:00', 'admin', 'init');"
	            "INSERT INTO audit(at, operator, action) VALUES ('2025-01-01 09:00:01', 'admin', 'user_add');");
	for (size_t i = 0; skipped_chain && i < xf_migration_count; i++)
		if (xf_migrations[i].version > 3 && xf_migrations[i].version != 5 && xf_migrations[i].version != 8 &&
		    xf_migrations[i].version != 11 && xf_migrations[i].version != 15 && xf_migrations[i].version <= 16)
			attack(&fx, xf_migrations[i].sql);
	/* Such a build predates the branches (17): this one adds them after the chain's columns. */
	if (skipped_chain) {
		char *set = xasprintf("PRAGMA user_version = %d", 16);
		attack(&fx, set);
		free(set);
	}
	assert_int_equal(setup_open(fx.db, &fx.st, &err), XF_OK);
	struct xf_rows seals;
	assert_int_equal(store_list(fx.st, "audit", "action", "seal", &seals, &err), XF_OK);
	assert_int_equal(seals.n, 1);
	rows_free(&seals);
	struct xf_verify v;
	assert_int_equal(verify_store(fx.st, XF_VERIFY_KEEP_ANCHOR | XF_VERIFY_NEW_ANCHOR, NULL, &v, &err), XF_OK);
	/* Only the calendar (none loaded in this bare store) may fail. */
	if (v.failures != 1 || strstr(v.first, "节假日日历") == NULL)
		fail_msg("an upgraded store fails:\n%s", v.text.data);
	verify_free(&v);
	attack(&fx, "DROP TRIGGER audit_no_update; UPDATE audit SET operator = 'mallory' WHERE id = 1;");
	assert_caught(&fx, "操作日志第 3 条记录的校验值不符", NULL);
	store_close(fx.st);
	fx.st = NULL;
	char *cmd = xasprintf("rm -rf '%s'", fx.dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* A column added with its default leaves every snapshot valid (the schema check alone names the
 * table that is no longer the migrations'); a value put in it behind the program's back is named. */
static void test_added_column_keeps_snapshots(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	attack(&fx, "ALTER TABLE cases ADD COLUMN review TEXT NOT NULL DEFAULT '未复核'");
	struct xf_verify v;
	if (verify_fx(&fx, &v) != 1 || strstr(v.first, "表 cases 的定义被改动") == NULL ||
	    strstr(v.text.data, "行事项、操作员、设置等与操作日志的重放一致") == NULL)
		fail_msg("an added column broke the snapshots, or went unnamed:\n%s", v.text.data);
	verify_free(&v);
	attack(&fx, "UPDATE cases SET review = '已复核' WHERE id = 3");
	assert_caught(&fx, "2026年第0003号", "review 记录为“未复核”，现为“已复核”", NULL);
	fixture_close(&fx);
}

/* The command line end to end: a demo store, moves, then verify exits 0; a clerk may not run it. */
static void test_demo_store_verifies(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-verify-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *db = xasprintf("XINFANG_DB=%s/demo.db", dir);
	const char *env[] = {db, "XINFANG_PASSWORD=demo123", NULL};
	const char *env_admin[] = {db, "XINFANG_PASSWORD=demo123", "XINFANG_USER=admin", NULL};
	const char *env_head[] = {db, "XINFANG_PASSWORD=demo123", "XINFANG_USER=head", NULL};
	const char *env_clerk[] = {db, "XINFANG_PASSWORD=demo123", "XINFANG_USER=clerk", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env, (const char *[]){"init", "--demo", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, env_clerk,
	            (const char *[]){"new", "channel=来访", "category=服务态度", "name=刘䶮", "summary=柜员态度冷淡", NULL});
	assert_int_equal(r->status, 0);
	/* The number is the last line of the output. */
	char number[64];
	size_t len = strlen(r->out);
	while (len > 0 && r->out[len - 1] == '\n')
		r->out[--len] = '\0';
	const char *last = strrchr(r->out, '\n');
	snprintf(number, sizeof number, "%s", last ? last + 1 : r->out);
	run_xinfang(r, env_head, (const char *[]){"transfer", number, "dept=个人金融部", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, env_clerk, (const char *[]){"outcome", number, "findings=经核实情况属实", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, env_admin, (const char *[]){"verify", NULL});
	if (r->status != 0)
		fail_msg("verify of a demo store: %d\n%s%s", r->status, r->out, r->err);
	assert_non_null(strstr(r->out, "核验通过"));
	run_xinfang(r, env_head, (const char *[]){"verify", NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, env_clerk, (const char *[]){"verify", NULL});
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "不能核验数据库"));
	/* backup and restore from the command line: the copy 0600, the store back as it was. */
	char *copy = xasprintf("%s/nightly.db", dir);
	run_xinfang(r, env_head, (const char *[]){"backup", copy, NULL});
	if (r->status != 0)
		fail_msg("backup: %s", r->err);
	assert_non_null(strstr(r->out, "已备份到"));
	struct stat sb;
	assert_int_equal(stat(copy, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	run_xinfang(r, env_clerk, (const char *[]){"new", "channel=来电", "category=咨询", "name=钱七", "summary=备份后", NULL});
	assert_int_equal(r->status, 0);
	char later[64];
	len = strlen(r->out);
	while (len > 0 && r->out[len - 1] == '\n')
		r->out[--len] = '\0';
	last = strrchr(r->out, '\n');
	snprintf(later, sizeof later, "%s", last ? last + 1 : r->out);
	run_xinfang(r, env_admin, (const char *[]){"show", later, NULL});
	assert_int_equal(r->status, 0);
	run_xinfang(r, env_head, (const char *[]){"restore", copy, NULL});
	assert_int_equal(r->status, 1);
	run_xinfang(r, env_admin, (const char *[]){"restore", copy, NULL});
	if (r->status != 0)
		fail_msg("restore: %s", r->err);
	assert_non_null(strstr(r->out, "原来的数据库留在"));
	run_xinfang(r, env_admin, (const char *[]){"show", number, NULL});
	assert_int_equal(r->status, 0); /* registered before the backup: kept */
	run_xinfang(r, env_admin, (const char *[]){"show", later, NULL});
	assert_int_equal(r->status, 1); /* registered after the backup: gone with the restore */
	run_xinfang(r, env_admin, (const char *[]){"verify", NULL});
	if (r->status != 0)
		fail_msg("verify after restore: %s%s", r->out, r->err);
	free(copy);
	free(r);
	free(db);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Registers cases in a loop until killed: another desk at work during a backup. */
static void writer_loop(const char *db)
{
	struct xf_store *st;
	struct xf_session s;
	struct xf_err err;
	if (store_open(db, &st, &err) != XF_OK || auth_login(st, "clerk", "secret1", &s, &err) != XF_OK)
		_exit(3);
	for (int i = 0;; i++) {
		struct xf_fields f;
		fields_from(&f, "channel=来信", "category=服务态度", "name=钱七", "summary=并发登记", NULL);
		char number[32];
		struct xf_err warn;
		int rc = case_register(&s, &f, number, &warn, &err);
		fields_free(&f);
		if (rc != XF_OK && rc != XF_EBUSY)
			_exit(4);
	}
}

/* Counts the cases of a store file. */
static long count_cases(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM cases", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	long n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

/* Backups taken while another process registers are complete, consistent, 0600 and anchored. */
static void test_backup_while_writing(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	pid_t writer = fork();
	assert_true(writer >= 0);
	if (writer == 0)
		writer_loop(fx.db);
	usleep(200 * 1000);
	long before = count_cases(fx.db);
	for (int i = 0; i < 3; i++) {
		char *file = xasprintf("%s/backup-%d.db", fx.dir, i);
		struct xf_chain_head head;
		struct xf_err err;
		if (verify_backup(&fx.head, file, &head, &err) != XF_OK)
			fail_msg("backup: %s", err.msg);
		assert_true(head.id > 0);
		struct stat sb;
		assert_int_equal(stat(file, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		char *anchor = verify_anchor_path(file);
		assert_int_equal(stat(anchor, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
		/* The copy verifies against its own anchor. */
		struct xf_store *copy;
		assert_int_equal(store_open(file, &copy, &err), XF_OK);
		struct xf_verify v;
		assert_int_equal(verify_store(copy, XF_VERIFY_KEEP_ANCHOR, anchor, &v, &err), XF_OK);
		if (v.failures)
			fail_msg("backup %d fails verify:\n%s", i, v.text.data);
		assert_int_equal(v.head.id, head.id);
		verify_free(&v);
		store_close(copy);
		free(anchor);
		free(file);
		usleep(100 * 1000);
	}
	kill(writer, SIGKILL);
	int status;
	waitpid(writer, &status, 0);
	assert_true(WIFSIGNALED(status)); /* it was still writing, never failed */
	assert_true(count_cases(fx.db) > before);
	/* An existing file is never overwritten; a clerk may not back up. */
	struct xf_chain_head head;
	struct xf_err err;
	char *file = xasprintf("%s/backup-0.db", fx.dir);
	assert_int_equal(verify_backup(&fx.admin, file, &head, &err), XF_EEXIST);
	free(file);
	file = xasprintf("%s/by-clerk.db", fx.dir);
	assert_int_equal(verify_backup(&fx.clerk, file, &head, &err), XF_EDENIED);
	assert_int_not_equal(access(file, F_OK), 0);
	free(file);
	/* A symlink planted where the backup's anchor goes: refused, and no backup is left without
	 * its anchor (nor written through the link). */
	file = xasprintf("%s/planted.db", fx.dir);
	char *anchor = xasprintf("%s.anchor", file), *target = xasprintf("%s/elsewhere", fx.dir);
	assert_int_equal(symlink(target, anchor), 0);
	assert_int_not_equal(verify_backup(&fx.admin, file, &head, &err), XF_OK);
	assert_non_null(strstr(err.msg, "符号链接"));
	assert_int_not_equal(access(file, F_OK), 0);
	assert_int_not_equal(access(target, F_OK), 0);
	free(target);
	free(anchor);
	free(file);
	fixture_close(&fx);
}

/* Restore: a good backup takes the store's place (the old one kept aside); a tampered one and a
 * non-admin are refused, leaving the store as it was. */
static void test_restore(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	busy_store(&fx, NULL);
	char *good = xasprintf("%s/good.db", fx.dir);
	char *bad = xasprintf("%s/bad.db", fx.dir);
	struct xf_chain_head head;
	struct xf_err err;
	assert_int_equal(verify_backup(&fx.admin, good, &head, &err), XF_OK);
	assert_int_equal(verify_backup(&fx.admin, bad, &head, &err), XF_OK);
	long at_backup = count_cases(fx.db);
	fixture_case(&fx, "summary=备份之后登记", NULL);
	fixture_case(&fx, "summary=备份之后又登记", NULL);
	assert_int_equal(count_cases(fx.db), at_backup + 2);

	sqlite3 *db;
	assert_int_equal(sqlite3_open(bad, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE cases SET summary = '无事' WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct xf_verify report;
	char *aside = NULL;
	assert_int_equal(verify_restore(&fx.admin, bad, &report, &aside, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "未通过核验"));
	assert_non_null(strstr(err.msg, "2026年第0001号"));
	assert_null(aside);
	verify_free(&report);
	assert_int_equal(count_cases(fx.db), at_backup + 2);

	assert_int_equal(verify_restore(&fx.head, good, &report, &aside, &err), XF_EDENIED);
	verify_free(&report);

	if (verify_restore(&fx.admin, good, &report, &aside, &err) != XF_OK)
		fail_msg("restore: %s\n%s", err.msg, report.text.data ? report.text.data : "");
	verify_free(&report);
	assert_int_equal(count_cases(fx.db), at_backup);
	assert_int_equal(count_cases(aside), at_backup + 2);
	struct stat sb;
	assert_int_equal(stat(aside, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(aside);
	/* The restored store verifies, its anchor moved to the restore record. */
	struct xf_verify v;
	if (verify_fx(&fx, &v) != 0)
		fail_msg("restored store fails:\n%s", v.text.data);
	verify_free(&v);
	struct xf_rows rows;
	assert_int_equal(store_list(fx.st, "audit", "action", "restore", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	free(good);
	free(bad);
	fixture_close(&fx);
}

/* Asserts that verify passes. */
static void assert_clean(struct fixture *fx)
{
	struct xf_verify v;
	if (verify_fx(fx, &v) != 0)
		fail_msg("a clean store fails:\n%s", v.text.data);
	verify_free(&v);
}

/* Runs SQL with the audit trail's insert guard set aside and put back as it was, as an attacker
 * who read the schema would (where there is no guard, the SQL alone). */
static void attack_hidden(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	sqlite3_stmt *stmt;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'audit_next_only'", -1, &stmt,
	                                    NULL),
	                 SQLITE_OK);
	char *guard = sqlite3_step(stmt) == SQLITE_ROW ? xstrdup((const char *)sqlite3_column_text(stmt, 0)) : NULL;
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	char *all = xasprintf("BEGIN; %s %s %s; COMMIT;", guard ? "DROP TRIGGER audit_next_only;" : "", sql,
	                      guard ? guard : "SELECT 1");
	attack(fx, all);
	free(all);
	free(guard);
}

/* A made-up admin and a made-up closed case, each with its snapshot in a record numbered 0 or -1
 * (the chain walk starts at 1): verify names the records and believes neither snapshot, so the
 * account and the case are named too; the forged record is no part of the case's history. */
static void test_outside_records_not_believed(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	int64_t id = fixture_case(&fx, "summary=网点排队时间过长", NULL);
	assert_int_equal(id, 1);
	assert_clean(&fx);
	/* The made-up admin: the clerk's row and newest snapshot, renamed and promoted. */
	attack_hidden(&fx,
	              "CREATE TEMP TABLE m AS SELECT * FROM operators WHERE name = 'clerk';"
	              "UPDATE m SET id = 99, name = 'mallory', role = 'admin';"
	              "INSERT INTO operators SELECT * FROM m;"
	              "INSERT INTO audit(id, at, wall, operator, action, before, after, snapshot, hash) "
	              " SELECT 0, at, wall, 'admin', 'user_add', '{}', '{}', json_object('operators:99', "
	              "  json_set(json_extract(snapshot, '$.\"operators:' || (SELECT id FROM operators WHERE name = 'clerk') || '\"'), "
	              "   '$.id', 99, '$.name', 'mallory', '$.role', 'admin')), '' FROM audit "
	              " WHERE json_extract(snapshot, '$.\"operators:' || (SELECT id FROM operators WHERE name = 'clerk') || '\"') "
	              "  IS NOT NULL ORDER BY id DESC LIMIT 1;");
	/* A made-up closed case (case 1 copied under another number), with its record in history;
	 * its snapshot keeps the program's order of keys, as a careful forger's would. */
	attack_hidden(&fx,
	              "CREATE TEMP TABLE c AS SELECT * FROM cases WHERE id = 1;"
	              "UPDATE c SET id = 50, seq = 50, number = '2026年第0050号', state = 'closed';"
	              "INSERT INTO cases SELECT * FROM c;"
	              "INSERT INTO audit(id, at, wall, operator, action, case_id, before, after, snapshot, hash) "
	              " SELECT -1, at, wall, 'head', 'close', 50, '{}', '{}', json_object('cases:50', "
	              "  json_set(json_extract(snapshot, '$.\"cases:1\"'), '$.id', 50, '$.seq', 50, '$.number', '2026年第0050号', "
	              "   '$.state', 'closed')), '' "
	              " FROM audit WHERE json_extract(snapshot, '$.\"cases:1\"') IS NOT NULL ORDER BY id DESC LIMIT 1;");
	assert_caught(&fx, "操作日志有 2 条编号小于 1 的记录（最大的是第 0 条）", "操作员 mallory（operators:99）没有任何操作日志记录",
	              "事项 2026年第0050号（cases:50）没有任何操作日志记录", NULL);
	struct xf_rows history;
	struct xf_err err;
	assert_int_equal(audit_case_history(&fx.head, 50, &history, &err), XF_OK);
	for (size_t i = 0; i < history.n; i++)
		if (atoll(fields_str(&history.v[i], "id")) < 1)
			fail_msg("record %s outside the chain shown as history", fields_str(&history.v[i], "id"));
	rows_free(&history);
	/* The desk's start check names them too. */
	char msg[512];
	assert_false(verify_desk_check(fx.st, msg, sizeof msg));
	assert_non_null(strstr(msg, "编号小于 1"));
	fixture_close(&fx);
}

/* INSERT OR REPLACE (which deletes without firing delete triggers), records numbered outside the
 * chain or without a number, and login counters deleted or renamed are refused by the schema;
 * the store still verifies after every refused try. */
static void test_schema_refuses_rewrites(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	fixture_case(&fx, NULL);
	static const char *const refused[] = {
		"INSERT OR REPLACE INTO audit(id, at, wall, operator, action, snapshot, hash) "
		"SELECT id, at, wall, operator, 'edit', snapshot, hash FROM audit WHERE id = 2",
		"REPLACE INTO audit(id, at, operator, action) VALUES (1, '2026-03-02 09:00:00', 'admin', 'init')",
		"INSERT INTO audit(id, at, operator, action) VALUES (0, '2026-03-02 09:00:00', 'admin', 'init')",
		"INSERT INTO audit(id, at, operator, action) VALUES (-1, '2026-03-02 09:00:00', 'admin', 'init')",
		"INSERT INTO audit(at, operator, action) VALUES ('2026-03-02 09:00:00', 'admin', 'init')",
		"INSERT INTO audit(id, at, operator, action) VALUES ((SELECT max(id) + 5 FROM audit), '2026-03-02', 'a', 'b')",
		"DELETE FROM logins",
		"UPDATE logins SET name = 'admin2' WHERE name = 'clerk'",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		int rc = raw(fx.db, refused[i], NULL);
		if (rc == SQLITE_OK)
			fail_msg("the schema let through: %s", refused[i]);
		assert_int_equal(rc, SQLITE_CONSTRAINT);
	}
	assert_clean(&fx);
	/* The program's own writes still go through, and the counters still count. */
	fixture_case(&fx, NULL);
	struct xf_session s;
	struct xf_err err;
	assert_int_not_equal(auth_login(fx.st, "clerk", "wrong-password", &s, &err), XF_OK);
	assert_int_equal(auth_login(fx.st, "clerk", "secret1", &s, &err), XF_OK);
	session_close(&s);
	assert_clean(&fx);
	fixture_close(&fx);
}

/* Every table, index, view and trigger that differs from the migrations' is named: an index and
 * the search view dropped (the store still opens, so verify can say so), a trigger that would
 * forgive every wrong password added to the login counters, an extra table, a view changed. */
static void test_schema_objects_named(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "2026-03-02");
	fixture_case(&fx, NULL);
	attack(&fx, "DROP INDEX cases_due_reply;");
	assert_caught(&fx, "索引 cases_due_reply 缺失（被删除）", NULL);
	char msg[512];
	assert_false(verify_desk_check(fx.st, msg, sizeof msg));
	assert_non_null(strstr(msg, "cases_due_reply"));
	attack(&fx, "CREATE TRIGGER logins_forgive AFTER UPDATE OF failures ON logins BEGIN "
	              "UPDATE logins SET failures = 0, wait_until = 0 WHERE id = NEW.id; END;"
	              "CREATE TABLE notes (t TEXT);");
	assert_caught(&fx, "触发器 logins_forgive 不是本程序建立的（多出）", "表 notes 不是本程序建立的（多出）",
	              "索引 cases_due_reply 缺失", NULL);
	attack(&fx, "DROP VIEW search_source;");
	store_close(fx.st);
	struct xf_err err;
	if (setup_open(fx.db, &fx.st, &err) != XF_OK)
		fail_msg("a store without its view does not open for verify: %s", err.msg);
	assert_caught(&fx, "视图 search_source 缺失（被删除）", "触发器 logins_forgive", NULL);
	fixture_close(&fx);
}

/* A production store made with the real clock, with admin and a clerk (password "secret1"). */
static void production_store(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	clock_set_today(-1);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/xinfang-test-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof fx->db, "%s/x.db", fx->dir);
	struct xf_err err;
	assert_int_equal(store_open(fx->db, &fx->st, &err), XF_OK);
	if (setup_init_mode(fx->st, test_datadir(), "admin", "secret1", 0, &fx->admin, &err) != XF_OK)
		fail_msg("init: %s", err.msg);
	assert_int_equal(auth_user_add(&fx->admin, "clerk", "operator", "王丽", "", "secret1", &err), XF_OK);
	assert_int_equal(auth_login(fx->st, "clerk", "secret1", &fx->clerk, &err), XF_OK);
}

/* A production store's kind is its trail's: set to training behind the program's back while a
 * settings change was recorded, and a case registered under a set date, both are named once the
 * setting is back; a setting left flipped is named as well. */
static void test_training_flip_named(void **state)
{
	(void)state;
	struct fixture fx;
	production_store(&fx);
	fixture_case(&fx, NULL);
	assert_clean(&fx);
	attack(&fx, "UPDATE settings SET value = '1' WHERE key = 'training'");
	struct xf_err err;
	assert_int_equal(clock_set_today_iso("2025-03-01", &err), XF_OK);
	assert_int_equal(setup_ruleset_use(&fx.admin, "seed", &err), XF_OK);
	fixture_case(&fx, "summary=倒签的登记", NULL);
	clock_set_today(-1);
	attack(&fx, "UPDATE settings SET value = '0' WHERE key = 'training'");
	assert_caught(&fx, "正式数据库的操作日志有", "业务时间不是实际时间", "业务时间 2025-03-01", "--today",
	              "设置 training 为“1”", NULL);
	attack(&fx, "UPDATE settings SET value = '1' WHERE key = 'training'");
	assert_caught(&fx, "设置 training 现为“1”", "定为正式数据库", NULL);
	fixture_close(&fx);
}

/* The steps with the real binary: flip the setting with the sqlite3 shell, register with
 * --today 2025-03-01, flip it back: verify fails and says what happened. */
static void test_training_flip_command_line(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-record-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/prod.db", dir);
	char *db = xasprintf("XINFANG_DB=%s", path);
	const char *env_admin[] = {db, "XINFANG_PASSWORD=Adm1n-pass-9", "XINFANG_USER=admin",
	                           "XINFANG_NEW_PASSWORD=Clerk-pass-9", NULL};
	const char *env_clerk[] = {db, "XINFANG_PASSWORD=Clerk-pass-9", "XINFANG_USER=clerk", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env_admin, (const char *[]){"init", NULL});
	if (r->status != 0)
		fail_msg("init: %s", r->err);
	run_xinfang(r, env_admin, (const char *[]){"user", "add", "clerk", "operator", NULL});
	if (r->status != 0)
		fail_msg("user add: %s", r->err);
	run_xinfang(r, env_clerk, (const char *[]){"--today", "2025-03-01", "new", "channel=来访", "category=服务态度",
	                                           "name=刘䶮", "summary=倒签", NULL});
	assert_int_equal(r->status, 1); /* a production store refuses the date */
	assert_non_null(strstr(r->err, "正式数据库"));
	attack_path(path, "UPDATE settings SET value = '1' WHERE key = 'training'");
	run_xinfang(r, env_clerk, (const char *[]){"--today", "2025-03-01", "new", "channel=来访", "category=服务态度",
	                                           "name=刘䶮", "summary=倒签", NULL});
	if (r->status != 0)
		fail_msg("new: %s", r->err);
	assert_non_null(strstr(r->out, "2025年第0001号"));
	attack_path(path, "UPDATE settings SET value = '0' WHERE key = 'training'");
	run_xinfang(r, env_admin, (const char *[]){"verify", NULL});
	if (r->status != 1 || strstr(r->err, "业务时间不是实际时间") == NULL || strstr(r->err, "2025-03-01") == NULL)
		fail_msg("verify after a flip: %d\n%s%s", r->status, r->out, r->err);
	free(r);
	free(db);
	free(path);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* TZ moves no date: the business date and the wall time of a production store are Beijing's,
 * whatever zone the user's environment names, so a clerk cannot backdate or postdate a day. */
static void test_tz_moves_no_date(void **state)
{
	(void)state;
	char dir[] = "/tmp/xinfang-record-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/prod.db", dir);
	char *db = xasprintf("XINFANG_DB=%s", path);
	const char *env_admin[] = {db, "XINFANG_PASSWORD=Adm1n-pass-9", "XINFANG_USER=admin", NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, env_admin, (const char *[]){"init", NULL});
	if (r->status != 0)
		fail_msg("init: %s", r->err);
	static const char *const zones[] = {"TZ=Etc/GMT+12", "TZ=Etc/GMT-14", "TZ=America/Los_Angeles"};
	char before[16], after[16];
	beijing_date(time(NULL), before);
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		const char *env[] = {db, "XINFANG_PASSWORD=Adm1n-pass-9", "XINFANG_USER=admin", zones[i], NULL};
		run_xinfang(r, env, (const char *[]){"new", "channel=来访", "category=服务态度", "name=刘明", "summary=时区", NULL});
		if (r->status != 0)
			fail_msg("new under %s: %s", zones[i], r->err);
	}
	beijing_date(time(NULL), after);
	struct xf_store *st = NULL;
	struct xf_err err;
	assert_int_equal(store_open(path, &st, &err), XF_OK);
	struct xf_rows rows;
	assert_int_equal(store_list(st, "audit", "action", "register", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 3);
	for (size_t i = 0; i < rows.n; i++) {
		const char *at = fields_str(&rows.v[i], "at"), *wall = fields_str(&rows.v[i], "wall");
		if (strncmp(at, before, 10) != 0 && strncmp(at, after, 10) != 0)
			fail_msg("record %zu dated %s, Beijing's date is %s", i, at, before);
		assert_memory_equal(wall, at, 10);
		assert_string_equal(wall + strlen(wall) - 5, "+0800");
	}
	rows_free(&rows);
	store_close(st);
	run_xinfang(r, env_admin, (const char *[]){"verify", NULL});
	if (r->status != 0)
		fail_msg("verify: %s%s", r->out, r->err);
	free(r);
	free(db);
	free(path);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_store_passes),
		cmocka_unit_test(test_records_carry_wall_time),
		cmocka_unit_test_prestate(test_edit_caught, (void *)&edits[0]),
		cmocka_unit_test_prestate(test_edit_caught, (void *)&edits[1]),
		cmocka_unit_test_prestate(test_edit_caught, (void *)&edits[2]),
		cmocka_unit_test_prestate(test_edit_caught, (void *)&edits[3]),
		cmocka_unit_test_prestate(test_edit_caught, (void *)&edits[4]),
		cmocka_unit_test_prestate(test_edit_caught, (void *)&edits[5]),
		cmocka_unit_test(test_forged_record_caught),
		cmocka_unit_test(test_trigger_changed_caught),
		cmocka_unit_test(test_rewritten_chain_caught_by_anchor),
		cmocka_unit_test(test_truncated_chain_caught),
		cmocka_unit_test(test_deleted_anchor_caught),
		cmocka_unit_test(test_desk_check),
		cmocka_unit_test(test_upgrade_seals_older_records),
		cmocka_unit_test_prestate(test_upgrade_seals_older_records, (void *)"skipped"),
		cmocka_unit_test(test_added_column_keeps_snapshots),
		cmocka_unit_test(test_upgrade_from_14_verifies),
		cmocka_unit_test(test_demo_store_verifies),
		cmocka_unit_test(test_backup_while_writing),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_outside_records_not_believed),
		cmocka_unit_test(test_schema_refuses_rewrites),
		cmocka_unit_test(test_schema_objects_named),
		cmocka_unit_test(test_training_flip_named),
		cmocka_unit_test(test_training_flip_command_line),
		cmocka_unit_test(test_tz_moves_no_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

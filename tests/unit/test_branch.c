/* Branch isolation on every output path: a head office HQ, BJ01 under it and SH01 under BJ01,
 * clerks in each and a supervisor at HQ. A branch account sees and acts on its own branch only
 * (lists, limits, repeat petitions, search, the queue, show, history, print, moves, the status
 * bar), a case out of reach is "not found" as if there were none; the supervisor sees every
 * branch under HQ; a pushed branch is read-only; departments are their branch's; an upgraded
 * one-office store shows what it showed. Runs on both backends (suite 'both'). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "core/store_db.h"
#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/casefile.h"
#include "xinfang/clock.h"
#include "xinfang/desk.h"
#include "xinfang/limits.h"
#include "xinfang/paths.h"
#include "xinfang/print.h"
#include "xinfang/reference.h"
#include "xinfang/search.h"
#include "xinfang/setup.h"
#include "xinfang/verify.h"

/* The store's own connection and the chain's note of a changed table (src/core/store_private.h):
 * to keep a table as the one-office program kept it. */
struct xf_db *store_db(struct xf_store *st);
void store_chain_note(struct xf_store *st, const char *table, int64_t rowid);

/* The offices: the fixture's store as HQ, two branches, their accounts and one case each. */
struct offices {
	struct fixture fx;
	struct xf_session bjclerk, bjhead, shclerk, sup, bjadmin;
	int64_t bj, sh;             /* branch ids */
	int64_t hq_case, bj_case, sh_case;
	char bj_number[32], sh_number[32], hq_number[32];
};

/* Logs an account in, failing the test when refused. */
static void login(struct offices *o, const char *name, struct xf_session *s)
{
	struct xf_err err;
	if (auth_login(o->fx.st, name, "secret1", s, &err) != XF_OK)
		fail_msg("login %s: %s", name, err.msg);
}

/* Registers a case as s (received three days ago: its transfer limit is past). */
static int64_t register_as(struct offices *o, struct xf_session *s, const char *name, const char *phone,
                           char number[32])
{
	struct xf_fields f;
	char *nv = xasprintf("name=%s", name), *pv = xasprintf("phone=%s", phone);
	fields_from(&f, "channel=来访", "category=服务态度", "summary=柜员态度冷淡，投诉要求道歉。", nv, pv,
	            "received=2026-02-26", NULL);
	free(nv);
	free(pv);
	struct xf_err err, warn;
	if (case_register(s, &f, number, &warn, &err) != XF_OK)
		fail_msg("register: %s", err.msg);
	fields_free(&f);
	int64_t id;
	assert_int_equal(case_find(s, number, &id, &err), XF_OK);
	(void)o;
	return id;
}

/* Adds an account to a branch. */
static void add_user(struct offices *o, const char *name, const char *role, const char *dept, const char *branch)
{
	struct xf_err err;
	if (auth_user_add_in(&o->fx.admin, name, role, name, dept, branch, "secret1", &err) != XF_OK)
		fail_msg("user add %s: %s", name, err.msg);
}

/* Opens the offices. */
static void offices_open(struct offices *o)
{
	memset(o, 0, sizeof *o);
	fixture_open(&o->fx, "2026-03-02");
	struct xf_err err;
	assert_int_equal(branch_set_own(o->fx.st, "admin", "HQ", "总行", &err), XF_OK);
	/* the admin's session read its branch before it had a code: log in again */
	session_close(&o->fx.admin);
	assert_int_equal(auth_login(o->fx.st, "admin", "secret1", &o->fx.admin, &err), XF_OK);
	assert_int_equal(branch_add(&o->fx.admin, "BJ01", "北京分行", NULL, &o->bj, &err), XF_OK);
	assert_int_equal(branch_add(&o->fx.admin, "SH01", "上海分行", "BJ01", &o->sh, &err), XF_OK);
	add_user(o, "bjclerk", "operator", "", "BJ01");
	add_user(o, "bjhead", "head", "", "BJ01");
	add_user(o, "bjadmin", "admin", "", "BJ01");
	add_user(o, "shclerk", "operator", "", "SH01");
	add_user(o, "sup", "supervisor", "", NULL);
	login(o, "bjclerk", &o->bjclerk);
	login(o, "bjhead", &o->bjhead);
	login(o, "bjadmin", &o->bjadmin);
	login(o, "shclerk", &o->shclerk);
	login(o, "sup", &o->sup);
	o->hq_case = register_as(o, &o->fx.clerk, "王总行", "13900000001", o->hq_number);
	o->bj_case = register_as(o, &o->bjclerk, "张北京", "13900000002", o->bj_number);
	/* the same petitioner's phone in another branch: a repeat there, none here */
	o->sh_case = register_as(o, &o->shclerk, "李上海", "13900000002", o->sh_number);
	assert_string_equal(o->bj_number, "BJ01-2026年第0001号");
	assert_string_equal(o->sh_number, "SH01-2026年第0001号");
	assert_string_equal(o->hq_number, "HQ-2026年第0001号");
}

/* Closes the offices. */
static void offices_close(struct offices *o)
{
	session_close(&o->bjclerk);
	session_close(&o->bjhead);
	session_close(&o->bjadmin);
	session_close(&o->shclerk);
	session_close(&o->sup);
	fixture_close(&o->fx);
}

/* The numbers of rows, joined with spaces in their order. */
static char *numbers_of(const struct xf_rows *rows)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < rows->n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", fields_str(&rows->v[i], "number"));
	return b.data;
}

/* Asserts the numbers a list gives, and frees it. */
static void assert_numbers(struct xf_rows *rows, const char *want)
{
	char *got = numbers_of(rows);
	if (strcmp(got, want) != 0)
		fail_msg("numbers: got \"%s\", want \"%s\"", got, want);
	free(got);
	rows_free(rows);
}

/* The numbers of a list of cases. */
static void assert_list(struct xf_session *s, const char *branch, const char *want)
{
	struct xf_rows rows;
	struct xf_err err;
	if (case_list_in(s, branch, NULL, NULL, NULL, XF_LIST_NEWEST, 50, &rows, &err) != XF_OK)
		fail_msg("list: %s", err.msg);
	assert_numbers(&rows, want);
}

/* The numbers of a search. */
static void assert_search(struct xf_session *s, const char *words, const char *branch, const char *want)
{
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = words;
	q.branch = branch;
	struct xf_rows rows;
	struct xf_err err;
	bool more;
	if (search_cases(s, &q, &rows, &more, &err) != XF_OK)
		fail_msg("search %s: %s", words, err.msg);
	long total;
	assert_int_equal(search_count(s, &q, XF_SEARCH_COUNT_CAP, &total, &err), XF_OK);
	assert_int_equal(total, (long)rows.n);
	assert_numbers(&rows, want);
}

/* Sorted numbers of the limits list (one row per limit: the transfer limits here). */
static void assert_due(struct xf_session *s, const char *branch, const char *want)
{
	struct xf_rows rows;
	struct xf_err err;
	if (case_due_list_in(s, branch, &rows, &err) != XF_OK)
		fail_msg("due: %s", err.msg);
	assert_numbers(&rows, want);
}

/* Every list a branch clerk reads holds their branch's cases only; the supervisor's every
 * branch under HQ; an HQ clerk's HQ's alone (the reach is not the store). */
static void test_lists_per_reach(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	assert_list(&o.bjclerk, NULL, "BJ01-2026年第0001号");
	assert_list(&o.shclerk, NULL, "SH01-2026年第0001号");
	assert_list(&o.fx.clerk, NULL, "HQ-2026年第0001号");
	assert_list(&o.sup, NULL, "SH01-2026年第0001号 BJ01-2026年第0001号 HQ-2026年第0001号");
	/* BJ01's admin spans BJ01 and SH01 under it, not HQ above */
	assert_list(&o.bjadmin, NULL, "SH01-2026年第0001号 BJ01-2026年第0001号");
	assert_list(&o.sup, "SH01", "SH01-2026年第0001号");
	assert_list(&o.sup, "BJ01", "BJ01-2026年第0001号");
	/* the limits list (every transfer is past its limit) */
	assert_due(&o.bjclerk, NULL, "BJ01-2026年第0001号");
	assert_due(&o.fx.admin, NULL, "HQ-2026年第0001号 BJ01-2026年第0001号 SH01-2026年第0001号");
	assert_due(&o.fx.admin, "SH01", "SH01-2026年第0001号");
	assert_due(&o.bjadmin, NULL, "BJ01-2026年第0001号 SH01-2026年第0001号");
	/* the queue */
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(desk_queue(&o.bjhead, &rows, &err), XF_OK);
	assert_numbers(&rows, "BJ01-2026年第0001号");
	assert_int_equal(desk_queue(&o.fx.head, &rows, &err), XF_OK);
	assert_numbers(&rows, "HQ-2026年第0001号");
	/* repeat petitions: the phone SH01's petitioner shares is no repeat in BJ01's eyes */
	struct xf_fields probe;
	fields_from(&probe, "phone=13900000002", NULL);
	assert_int_equal(case_repeat_matches(&o.bjclerk, &probe, 0, &rows, &err), XF_OK);
	assert_numbers(&rows, "BJ01-2026年第0001号");
	assert_int_equal(case_repeat_matches(&o.shclerk, &probe, 0, &rows, &err), XF_OK);
	assert_numbers(&rows, "SH01-2026年第0001号");
	fields_free(&probe);
	offices_close(&o);
}

/* Search by words, by a number with or without its branch's code, by a bare number: a branch
 * clerk finds their own branch's only. */
static void test_search_per_reach(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	assert_search(&o.bjclerk, "投诉", NULL, "BJ01-2026年第0001号");
	assert_search(&o.bjclerk, "态度", NULL, "BJ01-2026年第0001号");
	assert_search(&o.bjclerk, "李上海", NULL, "");
	assert_search(&o.bjclerk, "13900000002", NULL, "BJ01-2026年第0001号");
	assert_search(&o.bjclerk, "SH01-2026年第0001号", NULL, "");
	assert_search(&o.bjclerk, "SH01-2026-0001", NULL, "");
	assert_search(&o.bjclerk, "BJ01-2026-0001", NULL, "BJ01-2026年第0001号");
	/* a number without a code is one of the account's own branch */
	assert_search(&o.bjclerk, "2026-0001", NULL, "BJ01-2026年第0001号");
	assert_search(&o.bjclerk, "0001", NULL, "BJ01-2026年第0001号");
	assert_search(&o.bjclerk, "", NULL, "BJ01-2026年第0001号");
	assert_search(&o.sup, "投诉", NULL, "SH01-2026年第0001号 BJ01-2026年第0001号 HQ-2026年第0001号");
	assert_search(&o.sup, "SH01-2026-0001", NULL, "SH01-2026年第0001号");
	assert_search(&o.sup, "投诉", "BJ01", "BJ01-2026年第0001号");
	assert_search(&o.sup, "", "SH01", "SH01-2026年第0001号");
	/* a filter out of reach is refused like an unknown code */
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = "投诉";
	q.branch = "SH01";
	struct xf_rows rows;
	struct xf_err err;
	bool more;
	assert_int_equal(search_cases(&o.bjclerk, &q, &rows, &more, &err), XF_ENOTFOUND);
	assert_non_null(strstr(err.msg, "不在您的范围内"));
	offices_close(&o);
}

/* Show, history, the case file, print and every move: a case of another branch is not found,
 * with the very message of a case that does not exist. */
static void test_case_out_of_reach_not_found(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	struct xf_err err, none;
	struct xf_fields view;
	int64_t missing = o.sh_case + 1000;
	assert_int_equal(case_view(&o.bjclerk, missing, &view, &none), XF_ENOTFOUND);
	assert_int_equal(case_view(&o.bjclerk, o.sh_case, &view, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, none.msg);
	assert_int_equal(case_view(&o.bjclerk, o.hq_case, &view, &err), XF_ENOTFOUND);
	assert_int_equal(case_view(&o.bjclerk, o.bj_case, &view, &err), XF_OK);
	fields_free(&view);
	assert_int_equal(case_view(&o.sup, o.sh_case, &view, &err), XF_OK);
	assert_string_equal(fields_str(&view, "number"), "SH01-2026年第0001号");
	fields_free(&view);
	/* by number: another branch's is not found, a code out of reach neither */
	int64_t id;
	assert_int_equal(case_find(&o.bjclerk, "SH01-2026年第0001号", &id, &err), XF_ENOTFOUND);
	assert_int_equal(case_find(&o.bjclerk, "HQ-2026-0001", &id, &err), XF_ENOTFOUND);
	assert_int_equal(case_find(&o.sup, "SH01-2026-0001", &id, &err), XF_OK);
	assert_int_equal(id, o.sh_case);
	/* history and the case file */
	struct xf_rows rows;
	assert_int_equal(audit_case_history(&o.bjclerk, o.sh_case, &rows, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, none.msg);
	assert_int_equal(casefile_history(&o.bjclerk, o.sh_case, &rows, &err), XF_ENOTFOUND);
	assert_int_equal(casefile_records(&o.bjclerk, o.sh_case, &rows, &err), XF_ENOTFOUND);
	assert_int_equal(audit_case_history(&o.bjclerk, o.bj_case, &rows, &err), XF_OK);
	assert_true(rows.n > 0);
	rows_free(&rows);
	int64_t version;
	assert_int_equal(case_version(&o.bjclerk, o.sh_case, &version, &err), XF_ENOTFOUND);
	enum xf_move moves[XF_MV_COUNT];
	int n;
	assert_int_equal(case_moves_open(&o.bjhead, o.sh_case, moves, &n, &err), XF_ENOTFOUND);
	assert_int_equal(n, 0);
	char lo[11], hi[11];
	assert_int_equal(case_transfer_deadline(&o.bjhead, o.sh_case, lo, hi, &err), XF_ENOTFOUND);
	assert_int_equal(case_extensions(&o.bjhead, o.sh_case, &rows, &err), XF_ENOTFOUND);
	assert_int_equal(print_record(&o.bjclerk, o.sh_case, "registration", "文件", "UTF-8", &err), XF_ENOTFOUND);
	/* print to a file: nothing is written for another branch's case */
	char path[320];
	snprintf(path, sizeof path, "%s/sh.txt", o.fx.dir);
	struct xf_print_opts opts = {"registration", "UTF-8", XF_PRINT_FILE, path, {66, 90}, getenv("XINFANG_FORMS"),
	                             XF_FORMAT_TEXT, NULL};
	assert_int_equal(print_case(&o.bjclerk, o.sh_case, &opts, NULL, &err), XF_ENOTFOUND);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/bj.txt", o.fx.dir);
	opts.target = path;
	if (print_case(&o.bjclerk, o.bj_case, &opts, NULL, &err) != XF_OK)
		fail_msg("print: %s", err.msg);
	assert_int_equal(access(path, F_OK), 0);
	/* every move on another branch's case is refused as not found and changes nothing */
	long before = fixture_audit_count(&o.fx, o.sh_case);
	struct xf_fields in;
	fields_from(&in, "dept=个人金融部", NULL);
	assert_int_equal(case_move(&o.bjhead, o.sh_case, XF_MV_TRANSFER, &in, 0, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, none.msg);
	fields_free(&in);
	fields_from(&in, "reason=重复", "advice=另行反映", NULL);
	assert_int_equal(case_move(&o.bjhead, o.hq_case, XF_MV_REJECT, &in, 0, &err), XF_ENOTFOUND);
	fields_free(&in);
	fields_from(&in, "summary=改过的", NULL);
	assert_int_equal(case_edit(&o.bjclerk, o.sh_case, &in, 0, &err), XF_ENOTFOUND);
	fields_free(&in);
	/* a link to another branch's number is a link to nothing */
	fields_from(&in, "to=SH01-2026年第0001号", NULL);
	assert_int_equal(case_move(&o.bjclerk, o.bj_case, XF_MV_LINK, &in, 0, &err), XF_ENOTFOUND);
	fields_free(&in);
	assert_int_equal(fixture_audit_count(&o.fx, o.sh_case), before);
	char st[32];
	assert_string_equal(fixture_state(&o.fx, o.sh_case, st), "queued");
	offices_close(&o);
}

/* The status bar counts what the account reaches. */
static void test_status_bar_per_reach(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	struct xf_status_counts c;
	struct xf_err err;
	struct {
		struct xf_session *s;
		long pending;
	} want[] = {{&o.bjclerk, 1}, {&o.shclerk, 1}, {&o.fx.clerk, 1}, {&o.bjadmin, 2}, {&o.sup, 3}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(case_status_counts(want[i].s, &c, &err), XF_OK);
		assert_int_equal(c.pending_transfer, want[i].pending);
		assert_int_equal(c.overdue[XF_LIMIT_TRANSFER], want[i].pending);
	}
	offices_close(&o);
}

/* A pushed branch's cases are seen at the head office but never moved there. */
static void test_pushed_branch_read_only(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	struct xf_fields f;
	struct xf_err err;
	fields_from(&f, "pushed=1", NULL);
	assert_int_equal(store_update(o.fx.st, "branches", o.sh, &f, 0, &err), XF_OK);
	fields_free(&f);
	struct xf_fields view, in;
	assert_int_equal(case_view(&o.sup, o.sh_case, &view, &err), XF_OK);
	fields_free(&view);
	long before = fixture_audit_count(&o.fx, o.sh_case);
	fields_from(&in, "dept=个人金融部", NULL);
	assert_int_equal(case_move(&o.fx.admin, o.sh_case, XF_MV_TRANSFER, &in, 0, &err), XF_EDENIED);
	assert_non_null(strstr(err.msg, "推送"));
	assert_non_null(strstr(err.msg, "上海分行"));
	fields_free(&in);
	fields_from(&in, "target=上海分行", "method=电话", "note=请尽快办理", NULL);
	assert_int_equal(case_move(&o.fx.admin, o.sh_case, XF_MV_URGE, &in, 0, &err), XF_EDENIED);
	fields_free(&in);
	fields_from(&in, "summary=改过的", NULL);
	assert_int_equal(case_edit(&o.fx.admin, o.sh_case, &in, 0, &err), XF_EDENIED);
	fields_free(&in);
	enum xf_move moves[XF_MV_COUNT];
	int n = -1;
	assert_int_equal(case_moves_open(&o.fx.admin, o.sh_case, moves, &n, &err), XF_OK);
	assert_int_equal(n, 0);
	assert_int_equal(fixture_audit_count(&o.fx, o.sh_case), before);
	/* BJ01, not pushed, is worked as before */
	assert_int_equal(case_moves_open(&o.fx.admin, o.bj_case, moves, &n, &err), XF_OK);
	assert_true(n > 0);
	offices_close(&o);
}

/* Departments are their branch's: a new branch starts with the departments in use above it,
 * then each branch keeps its own list; a transfer goes to one of the case's branch, a handler
 * belongs to one of their account's branch. */
static void test_departments_per_branch(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	struct xf_err err;
	struct xf_fields in;
	struct xf_rows rows;
	assert_int_equal(reference_list(&o.fx.admin, "departments", &rows, &err), XF_OK);
	size_t at_hq = rows.n;
	assert_true(at_hq > 0);
	rows_free(&rows);
	/* BJ01 began with HQ's list, and its admin adds one of its own; a name twice is refused */
	assert_int_equal(reference_list(&o.bjadmin, "departments", &rows, &err), XF_OK);
	assert_int_equal(rows.n, at_hq);
	rows_free(&rows);
	fields_from(&in, "name=北京营业部", NULL);
	if (reference_add(&o.bjadmin, "departments", &in, &err) != XF_OK)
		fail_msg("add: %s", err.msg);
	fields_free(&in);
	fields_from(&in, "name=个人金融部", NULL);
	assert_int_not_equal(reference_add(&o.bjadmin, "departments", &in, &err), XF_OK);
	fields_free(&in);
	assert_int_equal(reference_list(&o.bjadmin, "departments", &rows, &err), XF_OK);
	assert_int_equal(rows.n, at_hq + 1);
	rows_free(&rows);
	assert_int_equal(reference_list(&o.fx.admin, "departments", &rows, &err), XF_OK);
	for (size_t i = 0; i < rows.n; i++)
		assert_string_not_equal(fields_str(&rows.v[i], "name"), "北京营业部");
	rows_free(&rows);
	/* HQ's admin adds one BJ01 does not have */
	fields_from(&in, "name=总行督查部", NULL);
	if (reference_add(&o.fx.admin, "departments", &in, &err) != XF_OK)
		fail_msg("add at HQ: %s", err.msg);
	fields_free(&in);
	/* a BJ01 case goes to BJ01's departments only */
	fields_from(&in, "dept=总行督查部", NULL);
	assert_int_equal(case_move(&o.bjhead, o.bj_case, XF_MV_TRANSFER, &in, 0, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "北京营业部"));
	assert_null(strstr(err.msg, "总行督查部、"));
	fields_free(&in);
	fields_from(&in, "dept=北京营业部", "co_depts=总行督查部", NULL);
	assert_int_equal(case_move(&o.bjhead, o.bj_case, XF_MV_TRANSFER, &in, 0, &err), XF_EINVAL);
	fields_free(&in);
	fields_from(&in, "dept=北京营业部", NULL);
	if (case_move(&o.bjhead, o.bj_case, XF_MV_TRANSFER, &in, 0, &err) != XF_OK)
		fail_msg("transfer: %s", err.msg);
	fields_free(&in);
	/* and an HQ case not to BJ01's */
	fields_from(&in, "dept=北京营业部", NULL);
	assert_int_equal(case_move(&o.fx.head, o.hq_case, XF_MV_TRANSFER, &in, 0, &err), XF_EINVAL);
	fields_free(&in);
	/* a handler's department is one of their account's branch */
	assert_int_equal(auth_user_add_in(&o.fx.admin, "bjh1", "handler", "甲", "总行督查部", "BJ01", "secret1", &err),
	                 XF_EINVAL);
	assert_non_null(strstr(err.msg, "北京营业部"));
	assert_int_equal(auth_user_add_in(&o.fx.admin, "hqh1", "handler", "乙", "北京营业部", NULL, "secret1", &err),
	                 XF_EINVAL);
	assert_int_equal(auth_user_add_in(&o.fx.admin, "bjh2", "handler", "丙", "北京营业部", "BJ01", "secret1", &err),
	                 XF_OK);
	offices_close(&o);
}

/* The command line: list, due, search, stats and export with --branch / branch=, through the real
 * program. */
static void test_command_line_filters(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	char db_env[400];
	snprintf(db_env, sizeof db_env, "XINFANG_DB=%s", o.fx.db);
	const char *sup[] = {db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-02", "XINFANG_USER=sup", NULL};
	const char *bj[] = {db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-02", "XINFANG_USER=bjclerk",
	                    NULL};
	struct run_result *r = malloc(sizeof *r);
	run_xinfang(r, sup, (const char *[]){"list", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "SH01-2026年第0001号"));
	assert_non_null(strstr(r->out, "BJ01-2026年第0001号"));
	assert_non_null(strstr(r->out, "HQ-2026年第0001号"));
	run_xinfang(r, sup, (const char *[]){"list", "--branch", "SH01", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "SH01-2026年第0001号"));
	assert_null(strstr(r->out, "BJ01-"));
	run_xinfang(r, sup, (const char *[]){"list", "branch=BJ01", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "BJ01-2026年第0001号"));
	assert_null(strstr(r->out, "SH01-"));
	const char *admin[] = {db_env, "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-03-02", "XINFANG_USER=admin",
	                       NULL};
	run_xinfang(r, admin, (const char *[]){"due", "--branch", "BJ01", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "BJ01-2026年第0001号"));
	assert_null(strstr(r->out, "SH01-2026"));
	run_xinfang(r, sup, (const char *[]){"search", "投诉", "--branch", "SH01", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "SH01-2026年第0001号"));
	assert_null(strstr(r->out, "BJ01-2026"));
	/* stats and export take --branch as list does, the same as branch= */
	run_xinfang(r, sup, (const char *[]){"stats", "year=2026", "--branch", "SH01", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "分支机构：SH01"));
	run_xinfang(r, sup, (const char *[]){"stats", "year=2026", "--branch", NULL});
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "--branch 后面须写机构代码"));
	run_xinfang(r, sup, (const char *[]){"export", "--branch", "BJ01", "--encoding", "UTF-8", "--to", "-", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "BJ01-2026年第0001号"));
	assert_null(strstr(r->out, "SH01-2026"));
	/* the admin's account list says each account's branch */
	run_xinfang(r, admin, (const char *[]){"user", "list", NULL});
	assert_int_equal(r->status, 0);
	assert_true(strncmp(r->out, "用户名\t机构\t姓名\t", strlen("用户名\t机构\t姓名\t")) == 0);
	assert_non_null(strstr(r->out, "\nbjclerk\tBJ01\t"));
	assert_non_null(strstr(r->out, "\nsup\tHQ\t"));
	/* a branch clerk: their own only, another branch's code refused like an unknown one */
	run_xinfang(r, bj, (const char *[]){"list", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "BJ01-2026年第0001号"));
	assert_null(strstr(r->out, "SH01-"));
	assert_null(strstr(r->out, "HQ-"));
	run_xinfang(r, bj, (const char *[]){"search", "投诉", NULL});
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "BJ01-2026年第0001号"));
	assert_null(strstr(r->out, "SH01-"));
	run_xinfang(r, bj, (const char *[]){"search", "SH01-2026-0001", NULL});
	assert_null(strstr(r->out, "SH01-2026年第0001号"));
	run_xinfang(r, bj, (const char *[]){"list", "--branch", "SH01", NULL});
	assert_int_not_equal(r->status, 0);
	char *out_of_reach = xasprintf("%s", r->err);
	run_xinfang(r, bj, (const char *[]){"list", "--branch", "XX99", NULL});
	assert_int_not_equal(r->status, 0);
	assert_non_null(strstr(out_of_reach, "SH01"));
	assert_non_null(strstr(r->err, "不在您的范围内"));
	assert_non_null(strstr(out_of_reach, "不在您的范围内"));
	free(out_of_reach);
	run_xinfang(r, bj, (const char *[]){"show", "SH01-2026年第0001号", NULL});
	assert_int_not_equal(r->status, 0);
	assert_null(strstr(r->out, "李上海"));
	run_xinfang(r, bj, (const char *[]){"find", "phone=13900000002", NULL});
	assert_int_equal(r->status, 0);
	assert_null(strstr(r->out, "SH01-"));
	assert_non_null(strstr(r->out, "BJ01-2026年第0001号"));
	free(r);
	offices_close(&o);
}

static char *newest_snapshot(struct xf_store *st);

/* A store of one office made at schema version 16, with cases and their audit records, opened
 * by this program: migrated to 17, verified, every number, list and count as before, its
 * branch the own one with no code. */
static void test_upgrade_from_16(void **state)
{
	(void)state;
	struct xf_err err;
	assert_int_equal(clock_set_today_iso("2025-06-04", &err), XF_OK);
	char dir[] = "/tmp/xinfang-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char db[300];
	if (test_on_pg())
		test_pg_database(dir, db, sizeof db);
	else
		snprintf(db, sizeof db, "%s/old.db", dir);
	struct xf_store *st;
	assert_int_equal(store_open(db, &st, &err), XF_OK);
	assert_int_equal(store_migrate(st, 16, &err), XF_OK);
	int version;
	assert_int_equal(store_version(st, &version, &err), XF_OK);
	assert_int_equal(version, 16);
	/* as the one-office program kept them: an account, the lists, three cases with records */
	struct xf_session admin;
	assert_int_equal(store_begin(st, &err), XF_OK);
	struct xf_fields f;
	fields_from(&f, "name=来访", NULL);
	assert_int_equal(store_insert(st, "channels", &f, NULL, &err), XF_OK);
	fields_free(&f);
	fields_from(&f, "name=服务态度", "kind=投诉", "grp=general", NULL);
	assert_int_equal(store_insert(st, "categories", &f, NULL, &err), XF_OK);
	fields_free(&f);
	fields_from(&f, "name=个人金融部", NULL);
	assert_int_equal(store_insert(st, "departments", &f, NULL, &err), XF_OK);
	fields_free(&f);
	assert_int_equal(store_setting_set(st, "training", "1", &err), XF_OK);
	assert_int_equal(store_setting_set(st, "initialised", "1", &err), XF_OK);
	char *limits_path = xasprintf("%s/limits.txt", test_datadir()), *limits_text;
	struct xf_rules rules;
	assert_int_equal(paths_read_file(limits_path, &limits_text, NULL, &err), XF_OK);
	assert_int_equal(limits_parse(limits_text, limits_path, &rules, &err), XF_OK);
	assert_int_equal(store_rules_replace(st, &rules, &err), XF_OK);
	limits_free(&rules);
	free(limits_text);
	free(limits_path);
	struct xf_calday new_year = {0, false, "元旦"};
	assert_int_equal(date_parse("2025-01-01", &new_year.day, NULL), XF_OK);
	assert_int_equal(store_calendar_replace(st, 2025, "test", &new_year, 1, &err), XF_OK);
	/* the year's sequence as that program's numbering kept it (no table of the store's API) */
	if (xf_db_exec(store_db(st), "INSERT INTO number_seq(year, last) VALUES (2025, 3)", &err, "test") != XF_OK)
		fail_msg("number_seq: %s", err.msg);
	store_chain_note(st, "number_seq", 0);
	const char *dues[] = {"2025-06-03", "2025-06-05", "2025-06-20"};
	for (int i = 0; i < 3; i++) {
		char seq[16], number[48], cid[32], due[32], after[64];
		snprintf(seq, sizeof seq, "seq=%d", i + 1);
		snprintf(number, sizeof number, "number=2025年第%04d号", i + 1);
		snprintf(due, sizeof due, "due_transfer=%s", dues[i]);
		fields_from(&f, "year=2025", seq, number, "state=queued", "received=2025-06-01", "channel=来访",
		            "category=服务态度", "summary=柜员态度冷淡", "ruleset=seed", due, "due_handle=2025-06-09",
		            "due_reply=2025-07-01", "orig_due_handle=2025-06-09", "orig_due_reply=2025-07-01",
		            "created_by=admin", "created_at=2025-06-01 09:00:00", NULL);
		int64_t id;
		assert_int_equal(store_insert(st, "cases", &f, &id, &err), XF_OK);
		fields_free(&f);
		snprintf(cid, sizeof cid, "case_id=%lld", (long long)id);
		fields_from(&f, cid, "name=赵六", "phone=13700000000", NULL);
		assert_int_equal(store_insert(st, "petitioners", &f, NULL, &err), XF_OK);
		fields_free(&f);
		snprintf(after, sizeof after, "{\"number\":\"2025年第%04d号\"}", i + 1);
		assert_int_equal(store_audit(st, "admin", "register", id, NULL, after, &err), XF_OK);
	}
	assert_int_equal(store_commit(st, &err), XF_OK);
	if (auth_create_admin(st, "admin", "secret1", &admin, &err) != XF_OK)
		fail_msg("admin: %s", err.msg);
	session_close(&admin);
	/* what the office saw: its list and its counts */
	struct xf_rows rows;
	assert_int_equal(store_case_briefs(st, NULL, NULL, NULL, NULL, XF_LIST_NEWEST, 50, &rows, &err), XF_OK);
	char *list_before = numbers_of(&rows);
	rows_free(&rows);
	long overdue_before, pending_before;
	assert_int_equal(store_count_pending(st, NULL, XF_LIMIT_TRANSFER, NULL, "2025-06-03", NULL, &overdue_before, &err),
	                 XF_OK);
	assert_int_equal(store_count_pending(st, NULL, XF_LIMIT_TRANSFER, NULL, NULL, NULL, &pending_before, &err), XF_OK);
	assert_int_equal(overdue_before, 1);
	assert_int_equal(pending_before, 3);
	store_close(st);
	/* opened by this program */
	if (setup_open(db, &st, &err) != XF_OK)
		fail_msg("open: %s", err.msg);
	assert_int_equal(store_version(st, &version, &err), XF_OK);
	assert_int_equal(version, store_latest_version());
	assert_true(version >= 17);
	/* (the store was made here, not by init: its anchor is made by this first verify) */
	struct xf_verify v;
	assert_int_equal(verify_store(st, XF_VERIFY_NEW_ANCHOR, NULL, &v, &err), XF_OK);
	if (v.failures != 0)
		fail_msg("the upgraded store fails verify:\n%s", v.text.data);
	verify_free(&v);
	struct xf_branch own;
	assert_int_equal(branch_get(st, XF_BRANCH_OWN, &own, &err), XF_OK);
	assert_string_equal(own.code, "");
	assert_false(own.pushed);
	assert_int_equal(auth_login(st, "admin", "secret1", &admin, &err), XF_OK);
	assert_int_equal(admin.op.branch, XF_BRANCH_OWN);
	assert_int_equal(case_list(&admin, NULL, NULL, NULL, XF_LIST_NEWEST, 50, &rows, &err), XF_OK);
	char *list_after = numbers_of(&rows);
	rows_free(&rows);
	assert_string_equal(list_after, list_before);
	assert_string_equal(list_after, "2025年第0003号 2025年第0002号 2025年第0001号");
	free(list_before);
	free(list_after);
	struct xf_status_counts c;
	assert_int_equal(case_status_counts(&admin, &c, &err), XF_OK);
	assert_int_equal(c.pending_transfer, pending_before);
	assert_int_equal(c.overdue[XF_LIMIT_TRANSFER], overdue_before);
	long differing;
	assert_int_equal(store_pending_counts_check(st, &differing, &err), XF_OK);
	assert_int_equal(differing, 0);
	int64_t id;
	assert_int_equal(case_find(&admin, "2025年第0002号", &id, &err), XF_OK);
	struct xf_fields view;
	assert_int_equal(case_view(&admin, id, &view, &err), XF_OK);
	assert_string_equal(fields_str(&view, "number"), "2025年第0002号");
	fields_free(&view);
	/* the next number goes on without a code, as before */
	fields_from(&f, "channel=来访", "category=服务态度", "summary=又来了", "name=钱七", "received=2025-06-04", NULL);
	char number[32];
	struct xf_err warn;
	if (case_register(&admin, &f, number, &warn, &err) != XF_OK)
		fail_msg("register: %s", err.msg);
	fields_free(&f);
	assert_string_equal(number, "2025年第0004号");
	/* its record snapshots the sequence under the key it always had, and it verifies */
	char *snap = newest_snapshot(st);
	if (strstr(snap, "\"number_seq\":[{\"year\":2025,\"last\":4}]") == NULL)
		fail_msg("the upgraded store's snapshot: %s", snap);
	free(snap);
	assert_int_equal(verify_store(st, XF_VERIFY_KEEP_ANCHOR | XF_VERIFY_NEW_ANCHOR, NULL, &v, &err), XF_OK);
	if (v.failures != 0)
		fail_msg("the upgraded store fails verify after registering:\n%s", v.text.data);
	verify_free(&v);
	session_close(&admin);
	store_close(st);
	if (test_on_pg())
		test_pg_drop(db);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* The newest record's snapshot. */
static char *newest_snapshot(struct xf_store *st)
{
	struct xf_db_stmt *stmt;
	struct xf_err err;
	if (xf_db_prepare(store_db(st), "SELECT snapshot FROM audit ORDER BY id DESC LIMIT 1", &stmt, &err) != XF_OK)
		fail_msg("snapshot: %s", err.msg);
	assert_int_equal(xf_db_step(stmt), XF_DB_ROW);
	char *v = xstrdup(xf_db_column_text(stmt, 0));
	xf_db_finalize(stmt);
	return v;
}

/* How many times needle occurs in s. */
static int occurrences(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Verifies the store; returns the failures, the report in *text (freed by the caller). */
static int verify_text(struct xf_store *st, char **text)
{
	struct xf_verify v;
	struct xf_err err;
	if (verify_store(st, XF_VERIFY_KEEP_ANCHOR | XF_VERIFY_NEW_ANCHOR, NULL, &v, &err) != XF_OK)
		fail_msg("verify: %s", err.msg);
	int failures = v.failures;
	*text = xstrdup(v.text.data ? v.text.data : "");
	verify_free(&v);
	return failures;
}

/* A registration's record snapshots its own branch's number sequence only (number_seq for
 * branch 1, number_seq@<branch> for the others), however many branches number cases; verify
 * checks each branch's sequence against its own newest snapshot and names the one tampered. */
static void test_number_seq_per_branch(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	struct xf_store *st = o.fx.st;
	char number[32], want[160], key[64];
	/* HQ's keeps the key the one-office store always had, rows as they always were */
	register_as(&o, &o.fx.clerk, "王二", "13900000011", number);
	char *snap = newest_snapshot(st);
	if (strstr(snap, "\"number_seq\":[{\"year\":2026,\"last\":2}]") == NULL)
		fail_msg("HQ's snapshot: %s", snap);
	assert_int_equal(occurrences(snap, "\"number_seq"), 1);
	free(snap);
	/* BJ's: its own row only, under its own key */
	register_as(&o, &o.bjclerk, "张二", "13900000012", number);
	snap = newest_snapshot(st);
	snprintf(key, sizeof key, "\"number_seq@%lld\":", (long long)o.bj);
	snprintf(want, sizeof want, "%s[{\"year\":2026,\"last\":2,\"branch\":%lld}]", key, (long long)o.bj);
	if (strstr(snap, want) == NULL)
		fail_msg("BJ's snapshot: %s\nwant %s", snap, want);
	assert_int_equal(occurrences(snap, "\"number_seq"), 1);
	free(snap);
	/* eight more branches number cases: BJ's next snapshot of the sequence is no larger */
	for (int i = 0; i < 8; i++) {
		char code[16], user[16];
		int64_t id;
		struct xf_err err;
		snprintf(code, sizeof code, "GZ%02d", i);
		snprintf(user, sizeof user, "gz%02d", i);
		assert_int_equal(branch_add(&o.fx.admin, code, "广州分行", NULL, &id, &err), XF_OK);
		add_user(&o, user, "operator", "", code);
		struct xf_session s;
		login(&o, user, &s);
		register_as(&o, &s, "赵广州", "13900000020", number);
		session_close(&s);
	}
	register_as(&o, &o.bjclerk, "张三", "13900000013", number);
	snap = newest_snapshot(st);
	snprintf(want, sizeof want, "%s[{\"year\":2026,\"last\":3,\"branch\":%lld}]", key, (long long)o.bj);
	if (strstr(snap, want) == NULL)
		fail_msg("BJ's snapshot among 11 branches: %s\nwant %s", snap, want);
	assert_int_equal(occurrences(snap, "\"number_seq"), 1);
	free(snap);
	char *text;
	if (verify_text(st, &text) != 0)
		fail_msg("verify over 11 branches:\n%s", text);
	free(text);
	/* SH's sequence raised behind the program's back: found, and named as SH's */
	struct xf_err err;
	char *sql = xasprintf("UPDATE number_seq SET last = last + 5 WHERE branch = %lld", (long long)o.sh);
	assert_int_equal(xf_db_exec(store_db(st), sql, &err, "test"), XF_OK);
	free(sql);
	snprintf(key, sizeof key, "number_seq@%lld", (long long)o.sh);
	if (verify_text(st, &text) == 0 || strstr(text, key) == NULL || strstr(text, "编号序列") == NULL)
		fail_msg("verify passed SH's raised sequence or did not name it:\n%s", text);
	snprintf(want, sizeof want, "number_seq@%lld", (long long)o.bj);
	assert_null(strstr(text, want));
	free(text);
	/* put back, it verifies; HQ's raised is named by the old key */
	sql = xasprintf("UPDATE number_seq SET last = last - 5 WHERE branch = %lld", (long long)o.sh);
	assert_int_equal(xf_db_exec(store_db(st), sql, &err, "test"), XF_OK);
	free(sql);
	if (verify_text(st, &text) != 0)
		fail_msg("verify after putting back:\n%s", text);
	free(text);
	assert_int_equal(xf_db_exec(store_db(st), "UPDATE number_seq SET last = last + 1 WHERE branch = 1", &err, "test"),
	                 XF_OK);
	if (verify_text(st, &text) == 0 || strstr(text, "（number_seq）") == NULL)
		fail_msg("verify passed HQ's raised sequence:\n%s", text);
	free(text);
	assert_int_equal(xf_db_exec(store_db(st), "UPDATE number_seq SET last = last - 1 WHERE branch = 1", &err, "test"),
	                 XF_OK);
	/* SH's rows deleted: its snapshot's rows are gone */
	sql = xasprintf("DELETE FROM number_seq WHERE branch = %lld", (long long)o.sh);
	assert_int_equal(xf_db_exec(store_db(st), sql, &err, "test"), XF_OK);
	free(sql);
	if (verify_text(st, &text) == 0 || strstr(text, key) == NULL)
		fail_msg("verify passed SH's deleted sequence:\n%s", text);
	free(text);
	offices_close(&o);
}

/* Accounts are within reach as cases are: BJ01's admin lists, resets, unlocks, disables and
 * re-roles the accounts of BJ01 and SH01 under it, never the head office's (its admin's above
 * all), each refused as an account that does not exist; the head office's admin reaches all. */
static void test_accounts_per_reach(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	struct xf_err err, none;
	struct xf_rows rows;
	assert_int_equal(auth_user_list(&o.bjadmin, &rows, &err), XF_OK);
	struct xf_buf names;
	buf_init(&names);
	buf_puts(&names, "");
	for (size_t i = 0; i < rows.n; i++)
		buf_printf(&names, "%s ", fields_str(&rows.v[i], "name"));
	rows_free(&rows);
	assert_string_equal(names.data, "bjclerk bjhead bjadmin shclerk ");
	free(names.data);
	assert_int_equal(auth_user_list(&o.fx.admin, &rows, &err), XF_OK);
	size_t all = rows.n;
	rows_free(&rows);
	assert_true(all > 4);
	assert_int_equal(auth_user_reset(&o.bjadmin, "nosuchuser", "secret99", &none), XF_ENOTFOUND);
	const char *above[] = {"admin", "sup", "clerk"};
	for (size_t i = 0; i < sizeof above / sizeof above[0]; i++) {
		char *want = xasprintf("没有用户 %s（xinfang user list 列出全部账户）", above[i]);
		assert_int_equal(auth_user_reset(&o.bjadmin, above[i], "secret99", &err), XF_ENOTFOUND);
		assert_string_equal(err.msg, want);
		assert_int_equal(auth_user_unlock(&o.bjadmin, above[i], &err), XF_ENOTFOUND);
		assert_string_equal(err.msg, want);
		assert_int_equal(auth_user_disable(&o.bjadmin, above[i], true, &err), XF_ENOTFOUND);
		assert_string_equal(err.msg, want);
		assert_int_equal(auth_user_set_role(&o.bjadmin, above[i], "operator", "", &err), XF_ENOTFOUND);
		assert_string_equal(err.msg, want);
		free(want);
	}
	/* the head office's accounts still log in with their passwords, as they were */
	struct xf_session again;
	assert_int_equal(auth_login(o.fx.st, "admin", "secret1", &again, &err), XF_OK);
	assert_int_equal(again.op.role, XF_ROLE_ADMIN);
	session_close(&again);
	assert_int_equal(auth_login(o.fx.st, "sup", "secret1", &again, &err), XF_OK);
	assert_int_equal(again.op.role, XF_ROLE_SUPERVISOR);
	session_close(&again);
	/* the accounts of the admin's branch and of those under it stay theirs to keep */
	if (auth_user_reset(&o.bjadmin, "shclerk", "secret77", &err) != XF_OK)
		fail_msg("reset in reach: %s", err.msg);
	assert_int_equal(auth_login(o.fx.st, "shclerk", "secret77", &again, &err), XF_OK);
	session_close(&again);
	if (auth_user_set_role(&o.fx.admin, "bjclerk", "head", "", &err) != XF_OK)
		fail_msg("role from HQ: %s", err.msg);
	offices_close(&o);
}

/* The office's printer is the branch's: BJ01's admin sets BJ01's, never the head office's;
 * a branch that set none prints with the store's defaults. */
static void test_printer_per_branch(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	struct xf_err err;
	struct xf_print_prefs p;
	if (print_office_set(&o.fx.admin, "queue", "总行打印机", &err) != XF_OK)
		fail_msg("set at HQ: %s", err.msg);
	if (print_office_set(&o.bjadmin, "queue", "北京打印机", &err) != XF_OK)
		fail_msg("set at BJ01: %s", err.msg);
	assert_int_equal(print_office_set(&o.bjadmin, "format", "text", &err), XF_OK);
	assert_int_equal(print_office_prefs(&o.fx.clerk, &p, &err), XF_OK);
	assert_string_equal(p.queue, "总行打印机");
	assert_string_equal(p.format, "pdf");
	assert_int_equal(print_office_prefs(&o.bjclerk, &p, &err), XF_OK);
	assert_string_equal(p.queue, "北京打印机");
	assert_string_equal(p.format, "text");
	assert_int_equal(print_office_prefs(&o.shclerk, &p, &err), XF_OK);
	assert_string_equal(p.queue, "总行打印机");
	/* the head office's admin changing the store's default leaves BJ01's own */
	assert_int_equal(print_office_set(&o.fx.admin, "queue", "总行新打印机", &err), XF_OK);
	assert_int_equal(print_office_prefs(&o.bjhead, &p, &err), XF_OK);
	assert_string_equal(p.queue, "北京打印机");
	assert_int_equal(print_office_prefs(&o.fx.head, &p, &err), XF_OK);
	assert_string_equal(p.queue, "总行新打印机");
	/* and the store still verifies with the branch's settings in its record */
	char *text;
	assert_int_equal(verify_text(o.fx.st, &text), 0);
	free(text);
	offices_close(&o);
}

/* How many audit records the store holds. */
static long all_records(struct xf_store *st)
{
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(st, "audit", NULL, NULL, &rows, &err), XF_OK);
	long n = (long)rows.n;
	rows_free(&rows);
	return n;
}

/* What holds every branch's cases at once is the head office's: a branch's admin or head can
 * neither back the store up (the copy would hold the other branches' cases), restore it over
 * every branch's work, verify it (a fault names another branch's row and values), load the
 * calendar, switch the rule set or change the channels and categories (every branch's limits);
 * the head office's admin can. */
static void test_whole_store_head_office_only(void **state)
{
	(void)state;
	struct offices o;
	offices_open(&o);
	struct xf_err err;
	struct xf_chain_head head;
	char path[320];
	snprintf(path, sizeof path, "%s/bj-backup.db", o.fx.dir);
	struct xf_session *branch_side[] = {&o.bjadmin, &o.bjhead};
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(verify_backup(branch_side[i], path, &head, &err), XF_EDENIED);
		assert_non_null(strstr(err.msg, "各分支机构"));
		assert_int_equal(access(path, F_OK), -1);
		struct xf_verify v;
		assert_int_equal(verify_session(branch_side[i], 0, &v, &err), XF_EDENIED);
		verify_free(&v);
	}
	long before = all_records(o.fx.st);
	int year, recomputed;
	char cal[320];
	snprintf(cal, sizeof cal, "%s/2027.txt", o.fx.dir);
	FILE *f = fopen(cal, "w");
	assert_non_null(f);
	fputs("2027-01-01\t休\t元旦\n", f);
	fclose(f);
	assert_int_equal(setup_calendar_load(&o.bjadmin, cal, &year, &recomputed, &err), XF_EDENIED);
	assert_int_equal(setup_ruleset_use(&o.bjadmin, "seed", &err), XF_EDENIED);
	/* channels and categories are every branch's (a channel's importance, a category's group
	 * and so its limits); departments stay the branch's own (test_departments_per_branch) */
	struct xf_fields in;
	fields_from(&in, "name=北京自设渠道", NULL);
	assert_int_equal(reference_add(&o.bjadmin, "channels", &in, &err), XF_EDENIED);
	fields_free(&in);
	fields_from(&in, "important=重要", NULL);
	assert_int_equal(reference_edit(&o.bjadmin, "channels", "来访", &in, &err), XF_EDENIED);
	fields_free(&in);
	/* the head office's admin makes a backup; BJ01's admin cannot restore it over the store
	 * (a server's anchor goes where XINFANG_ANCHOR says) */
	char anchors[330];
	snprintf(anchors, sizeof anchors, "%s/", o.fx.dir);
	setenv("XINFANG_ANCHOR", anchors, 1);
	snprintf(path, sizeof path, "%s/hq-backup.db", o.fx.dir);
	if (verify_backup(&o.fx.admin, path, &head, &err) != XF_OK)
		fail_msg("backup at HQ: %s", err.msg);
	assert_int_equal(access(path, F_OK), 0);
	struct xf_verify report;
	char *aside = NULL;
	assert_int_equal(verify_restore(&o.bjadmin, path, &report, &aside, &err), XF_EDENIED);
	verify_free(&report);
	assert_null(aside);
	assert_int_equal(all_records(o.fx.st), before);
	unsetenv("XINFANG_ANCHOR");
	fields_from(&in, "name=总行自设渠道", NULL);
	if (reference_add(&o.fx.admin, "channels", &in, &err) != XF_OK)
		fail_msg("channel at HQ: %s", err.msg);
	fields_free(&in);
	offices_close(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_per_reach),
		cmocka_unit_test(test_search_per_reach),
		cmocka_unit_test(test_case_out_of_reach_not_found),
		cmocka_unit_test(test_status_bar_per_reach),
		cmocka_unit_test(test_pushed_branch_read_only),
		cmocka_unit_test(test_departments_per_branch),
		cmocka_unit_test(test_command_line_filters),
		cmocka_unit_test(test_upgrade_from_16),
		cmocka_unit_test(test_number_seq_per_branch),
		cmocka_unit_test(test_accounts_per_reach),
		cmocka_unit_test(test_printer_per_branch),
		cmocka_unit_test(test_whole_store_head_office_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The head office's moves across branches and its urging (督办): hotline hand-over, take-over,
 * hand-up, the numbers and the earlier number on record, both branches' audit records and
 * verify, who may not, urging with a deadline, the answer, overdue, a pushed branch refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "xinfang/branch.h"
#include "xinfang/casefile.h"
#include "xinfang/clock.h"
#include "xinfang/renumbered.h"
#include "xinfang/search.h"
#include "xinfang/supervise.h"
#include "xinfang/verify.h"

/* A head office HQ with a branch BJ01 under it, and its accounts. */
struct office {
	struct fixture fx;
	int64_t bj;
	struct xf_session sup, bjclerk, bjhead, bjhandler;
};

/* Adds an account of a branch and logs it in. */
static void account(struct office *o, const char *name, const char *role, const char *dept, const char *branch,
                    struct xf_session *s)
{
	struct xf_err err;
	if (auth_user_add_in(&o->fx.admin, name, role, "", dept, branch, "secret1", &err) != XF_OK)
		fail_msg("user add %s: %s", name, err.msg);
	if (auth_login(o->fx.st, name, "secret1", s, &err) != XF_OK)
		fail_msg("login %s: %s", name, err.msg);
}

/* Opens the office on 2026-12-07. */
static void office_open(struct office *o)
{
	struct xf_err err;
	fixture_open(&o->fx, "2026-12-07");
	assert_int_equal(branch_set_own(o->fx.st, "admin", "HQ", "总行", &err), XF_OK);
	if (branch_add(&o->fx.admin, "BJ01", "北京分行", NULL, &o->bj, &err) != XF_OK)
		fail_msg("branch add: %s", err.msg);
	account(o, "sup", "supervisor", "", "HQ", &o->sup);
	account(o, "bjclerk", "operator", "", "BJ01", &o->bjclerk);
	account(o, "bjhead", "head", "", "BJ01", &o->bjhead);
	account(o, "bjhandler", "handler", "个人金融部", "BJ01", &o->bjhandler);
	/* The fixture's accounts logged in before the own branch had its code: again. */
	session_close(&o->fx.clerk);
	assert_int_equal(auth_login(o->fx.st, "clerk", "secret1", &o->fx.clerk, &err), XF_OK);
}

/* Closes the office. */
static void office_close(struct office *o)
{
	session_close(&o->sup);
	session_close(&o->bjclerk);
	session_close(&o->bjhead);
	session_close(&o->bjhandler);
	fixture_close(&o->fx);
}

/* Registers a case as s; returns its id and number. */
static int64_t register_as(struct xf_session *s, char number[32])
{
	struct xf_fields f;
	fields_from(&f, "channel=来访", "category=服务态度", "summary=柜员态度冷淡，要求道歉。", "name=张伟", NULL);
	struct xf_err err, warn;
	if (case_register(s, &f, number, &warn, &err) != XF_OK)
		fail_msg("register: %s", err.msg);
	fields_free(&f);
	int64_t id;
	assert_int_equal(case_find(s, number, &id, &err), XF_OK);
	return id;
}

/* Opens the office with one case registered at each of its branches. */
static void office_with_cases(struct office *o, char hqnumber[32], int64_t *hq, char bjnumber[32], int64_t *bj)
{
	office_open(o);
	*hq = register_as(&o->fx.clerk, hqnumber);
	*bj = register_as(&o->bjclerk, bjnumber);
}

/* The audit records of a case with an action, counted per branch (own branch, other). */
static void audit_sides(struct office *o, int64_t id, const char *action, int *own, int *bj)
{
	char cid[24];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	struct xf_rows rows;
	struct xf_err err;
	assert_int_equal(store_list(o->fx.st, "audit", "case_id", cid, &rows, &err), XF_OK);
	*own = *bj = 0;
	for (size_t i = 0; i < rows.n; i++) {
		if (strcmp(fields_str(&rows.v[i], "action"), action) != 0)
			continue;
		int64_t b = atoll(fields_str(&rows.v[i], "branch"));
		*own += b == 1;
		*bj += b == o->bj;
	}
	rows_free(&rows);
}

/* verify holds the whole store (both branches' records). */
static void assert_verifies(struct office *o)
{
	struct xf_verify v;
	struct xf_err err;
	assert_int_equal(verify_store(o->fx.st, XF_VERIFY_KEEP_ANCHOR | XF_VERIFY_NEW_ANCHOR, NULL, &v, &err), XF_OK);
	if (v.failures != 0)
		fail_msg("verify fails:\n%s", v.text.data);
	verify_free(&v);
}

/* The hotline registers at the head office and hands the item to BJ01: a BJ01 number, the old
 * one on record, BJ01's clerk finds it and HQ's clerk no longer does, both chains hold it. */
static void test_hand_over(void **state)
{
	(void)state;
	struct office o;
	office_open(&o);
	char number[32], moved[32];
	int64_t id = register_as(&o.fx.clerk, number);
	assert_string_equal(number, "HQ-2026年第0001号");
	struct xf_status_counts c;
	struct xf_err err;
	assert_int_equal(case_status_counts(&o.bjclerk, &c, &err), XF_OK);
	assert_int_equal(c.pending_transfer, 0);

	assert_int_equal(supervise_move(&o.sup, id, XF_BM_HAND_OVER, "BJ01", "属北京分行辖内网点", 0, moved, &err), XF_OK);
	assert_string_equal(moved, "BJ01-2026年第0001号");
	int64_t found;
	assert_int_equal(case_find(&o.bjclerk, "BJ01-2026年第0001号", &found, &err), XF_OK);
	assert_int_equal(found, id);
	assert_int_equal(case_find(&o.fx.clerk, "HQ-2026年第0001号", &found, &err), XF_ENOTFOUND);
	assert_int_equal(case_find(&o.fx.clerk, "BJ01-2026年第0001号", &found, &err), XF_ENOTFOUND);
	/* The status bars follow the branch. */
	assert_int_equal(case_status_counts(&o.bjclerk, &c, &err), XF_OK);
	assert_int_equal(c.pending_transfer, 1);
	assert_int_equal(case_status_counts(&o.fx.clerk, &c, &err), XF_OK);
	assert_int_equal(c.pending_transfer, 0);
	/* The earlier number on record, seen by those who reach the case only. */
	struct xf_rows moves;
	assert_int_equal(supervise_case_moves(&o.bjclerk, id, &moves, &err), XF_OK);
	assert_int_equal(moves.n, 1);
	assert_string_equal(fields_str(&moves.v[0], "from_number"), "HQ-2026年第0001号");
	assert_string_equal(fields_str(&moves.v[0], "to_number"), "BJ01-2026年第0001号");
	assert_string_equal(fields_str(&moves.v[0], "to_code"), "BJ01");
	assert_string_equal(fields_str(&moves.v[0], "remark"), "属北京分行辖内网点");
	rows_free(&moves);
	assert_int_equal(supervise_case_moves(&o.fx.clerk, id, &moves, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, "没有这件信访事项");
	/* One record in each branch's chain, the history shows the move once, verify holds. */
	int own, bj;
	audit_sides(&o, id, "hand_over", &own, &bj);
	assert_int_equal(own, 1);
	assert_int_equal(bj, 1);
	struct xf_rows hist;
	assert_int_equal(casefile_history(&o.bjclerk, id, &hist, &err), XF_OK);
	int shown = 0;
	for (size_t i = 0; i < hist.n; i++)
		if (strcmp(fields_str(&hist.v[i], "#action"), "交办") == 0) {
			shown++;
			assert_string_equal(fields_str(&hist.v[i], "原编号"), "HQ-2026年第0001号");
			assert_string_equal(fields_str(&hist.v[i], "新编号"), "BJ01-2026年第0001号");
		}
	assert_int_equal(shown, 1);
	rows_free(&hist);
	assert_verifies(&o);
	/* The head office's next registration takes its own sequence's next number. */
	id = register_as(&o.fx.clerk, number);
	assert_string_equal(number, "HQ-2026年第0002号");
	/* A case already transferred to a department of the head office comes back to the
	 * branch's queue: the department was the old branch's. The kept counts follow. */
	fixture_move(&o.fx.head, id, XF_MV_TRANSFER, "dept=个人金融部", NULL);
	assert_int_equal(supervise_move(&o.sup, id, XF_BM_HAND_OVER, "BJ01", NULL, 0, moved, &err), XF_OK);
	assert_string_equal(moved, "BJ01-2026年第0002号");
	struct xf_fields row;
	assert_int_equal(store_get(o.fx.st, "cases", id, &row, &err), XF_OK);
	assert_string_equal(fields_str(&row, "state"), "queued");
	assert_string_equal(fields_str(&row, "department"), "");
	fields_free(&row);
	assert_int_equal(case_status_counts(&o.bjclerk, &c, &err), XF_OK);
	assert_int_equal(c.pending_transfer, 2);
	long differing = -1;
	assert_int_equal(store_pending_counts_check(o.fx.st, &differing, &err), XF_OK);
	assert_int_equal(differing, 0);
	assert_verifies(&o);
	office_close(&o);
}

/* A branch clerk cannot hand over or take over, and a branch account does not find the head
 * office's case at all; a supervisor cannot hand a case to where it already is. */
static void test_refused(void **state)
{
	(void)state;
	struct office o;
	char number[32], bjnumber[32];
	struct xf_err err;
	int64_t hq, bj;
	office_with_cases(&o, number, &hq, bjnumber, &bj);
	assert_string_equal(bjnumber, "BJ01-2026年第0001号");
	/* Each registration is recorded in its own account's branch, whichever desk wrote last. */
	int own, other;
	audit_sides(&o, bj, "register", &own, &other);
	assert_int_equal(own, 0);
	assert_int_equal(other, 1);
	audit_sides(&o, hq, "register", &own, &other);
	assert_int_equal(own, 1);
	assert_int_equal(other, 0);
	assert_int_equal(supervise_move(&o.bjclerk, bj, XF_BM_HAND_UP, NULL, NULL, 0, NULL, &err), XF_EDENIED);
	assert_int_equal(supervise_move(&o.bjclerk, bj, XF_BM_HAND_OVER, "HQ", NULL, 0, NULL, &err), XF_EDENIED);
	assert_int_equal(supervise_move(&o.fx.clerk, hq, XF_BM_HAND_OVER, "BJ01", NULL, 0, NULL, &err), XF_EDENIED);
	assert_int_equal(supervise_move(&o.bjhead, bj, XF_BM_HAND_OVER, "HQ", NULL, 0, NULL, &err), XF_EDENIED);
	/* Out of reach: not found, the message of no case at all. */
	assert_int_equal(supervise_move(&o.bjhead, hq, XF_BM_HAND_UP, NULL, NULL, 0, NULL, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, "没有这件信访事项");
	assert_int_equal(supervise_move(&o.sup, bj, XF_BM_HAND_OVER, "BJ01", NULL, 0, NULL, &err), XF_EINVAL);
	assert_int_equal(supervise_move(&o.sup, hq, XF_BM_HAND_OVER, "SH99", NULL, 0, NULL, &err), XF_ENOTFOUND);
	/* Handing a branch's case into the supervisor's own office is a take-over, not 交办: the
	 * move refuses it, and the desk offers 交办 only where a branch below can take the case. */
	assert_int_equal(supervise_move(&o.sup, bj, XF_BM_HAND_OVER, "HQ", NULL, 0, NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "提级办理"));
	enum xf_branch_move open[3];
	int nopen = 0;
	assert_int_equal(supervise_moves_open(&o.sup, bj, open, &nopen), XF_OK);
	assert_int_equal(nopen, 1);
	assert_int_equal(open[0], XF_BM_TAKE_OVER);
	struct xf_branch *to = NULL;
	size_t nto = 9;
	assert_int_equal(supervise_move_targets(&o.sup, bj, XF_BM_HAND_OVER, &to, &nto, &err), XF_OK);
	assert_int_equal(nto, 0);
	free(to);
	assert_int_equal(supervise_move_targets(&o.sup, hq, XF_BM_HAND_OVER, &to, &nto, &err), XF_OK);
	assert_int_equal(nto, 1);
	assert_string_equal(to[0].code, "BJ01");
	free(to);
	/* The head office has no parent to hand up to. */
	assert_int_equal(supervise_move(&o.fx.head, hq, XF_BM_HAND_UP, NULL, NULL, 0, NULL, &err), XF_EINVAL);
	/* Nothing moved: both keep their numbers. */
	struct xf_fields row;
	assert_int_equal(store_get(o.fx.st, "cases", bj, &row, &err), XF_OK);
	assert_string_equal(fields_str(&row, "number"), "BJ01-2026年第0001号");
	fields_free(&row);
	office_close(&o);
}

/* The head office takes a branch's case over; a branch head hands one up; a closed case
 * stays where it is. */
static void test_take_over_hand_up(void **state)
{
	(void)state;
	struct office o;
	office_open(&o);
	char n1[32], n2[32], moved[32];
	struct xf_err err;
	int64_t a = register_as(&o.bjclerk, n1);
	int64_t b = register_as(&o.bjclerk, n2);
	assert_int_equal(supervise_move(&o.sup, a, XF_BM_TAKE_OVER, NULL, "群体性风险，提级办理", 0, moved, &err), XF_OK);
	assert_string_equal(moved, "HQ-2026年第0001号");
	int own, bj;
	audit_sides(&o, a, "take_over", &own, &bj);
	assert_int_equal(own + bj, 2);
	assert_int_equal(own, 1);
	int64_t found;
	assert_int_equal(case_find(&o.bjclerk, n1, &found, &err), XF_ENOTFOUND);
	assert_int_equal(case_find(&o.fx.clerk, "HQ-2026年第0001号", &found, &err), XF_OK);

	assert_int_equal(supervise_move(&o.bjhead, b, XF_BM_HAND_UP, NULL, "涉及总行政策", 0, moved, &err), XF_OK);
	assert_string_equal(moved, "HQ-2026年第0002号");
	audit_sides(&o, b, "hand_up", &own, &bj);
	assert_int_equal(own, 1);
	assert_int_equal(bj, 1);
	/* Once up, the branch head no longer reaches it. */
	assert_int_equal(supervise_move(&o.bjhead, b, XF_BM_HAND_UP, NULL, NULL, 0, NULL, &err), XF_ENOTFOUND);

	struct xf_fields f;
	fields_from(&f, "channel=来访", "category=服务态度", "summary=咨询利率。", "name=李娜", "spot_answer=已当场解释", NULL);
	char n3[32];
	struct xf_err warn;
	assert_int_equal(case_register(&o.bjclerk, &f, n3, &warn, &err), XF_OK);
	fields_free(&f);
	int64_t closed;
	assert_int_equal(case_find(&o.bjclerk, n3, &closed, &err), XF_OK);
	assert_int_equal(supervise_move(&o.bjhead, closed, XF_BM_HAND_UP, NULL, NULL, 0, NULL, &err), XF_ESTATE);
	assert_verifies(&o);
	office_close(&o);
}

/* The row of a list for case number, or NULL. */
static const struct xf_fields *row_of(const struct xf_rows *rows, const char *number, int nth)
{
	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(fields_str(&rows->v[i], "number"), number) == 0 && nth-- == 0)
			return &rows->v[i];
	return NULL;
}

/* The head office urges a BJ01 case with a deadline; the branch head answers; an urging left
 * unanswered past its deadline is overdue; the branch's clerk and the head office's clerk
 * cannot answer or see them. */
static void test_urge_answer_overdue(void **state)
{
	(void)state;
	struct office o;
	char number[32], hqnumber[32];
	struct xf_err err;
	int64_t id, hq;
	office_with_cases(&o, hqnumber, &hq, number, &id);
	assert_int_equal(supervise_urge(&o.bjclerk, id, "2026-12-20", NULL, &err), XF_EDENIED);
	assert_int_equal(supervise_urge(&o.sup, hq, "2026-12-20", NULL, &err), XF_EINVAL);
	assert_int_equal(supervise_urge(&o.sup, id, "2026-12-01", NULL, &err), XF_EINVAL);
	assert_non_null(strstr(err.msg, "已过"));
	assert_int_equal(supervise_urge(&o.sup, id, "2026-13-01", NULL, &err), XF_EINVAL);
	assert_int_equal(supervise_urge(&o.sup, id, "2026-12-10", NULL, &err), XF_OK);

	struct xf_rows rows;
	assert_int_equal(supervise_list(&o.sup, NULL, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	assert_string_equal(fields_str(&rows.v[0], "branch_code"), "BJ01");
	assert_string_equal(fields_str(&rows.v[0], "number"), number);
	assert_string_equal(fields_str(&rows.v[0], "deadline"), "2026-12-10");
	assert_string_equal(fields_str(&rows.v[0], "days_left"), "3");
	assert_string_equal(fields_str(&rows.v[0], "status"), "未答复");
	assert_string_equal(fields_str(&rows.v[0], "request"), "请于 2026-12-10 前报告办理情况");
	rows_free(&rows);
	/* The branch sees the urgings it must answer; the head office's clerk none of them. */
	assert_int_equal(supervise_list(&o.bjhead, NULL, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	assert_int_equal(supervise_list(&o.fx.clerk, NULL, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 0);
	rows_free(&rows);
	assert_int_equal(supervise_list(&o.fx.clerk, "BJ01", &rows, &err), XF_ENOTFOUND);
	assert_int_equal(supervise_list(&o.bjhead, "HQ", &rows, &err), XF_ENOTFOUND);
	int own, bj;
	audit_sides(&o, id, "supervise", &own, &bj);
	assert_int_equal(own, 1);
	assert_int_equal(bj, 1);

	/* Only the branch answers, by its head (or the handler of the case's department). */
	assert_int_equal(supervise_answer(&o.bjclerk, id, "已处理", &err), XF_EDENIED);
	assert_int_equal(supervise_answer(&o.bjhandler, id, "已处理", &err), XF_EDENIED);
	assert_int_equal(supervise_answer(&o.fx.head, id, "已处理", &err), XF_ENOTFOUND);
	assert_int_equal(supervise_answer(&o.bjhead, id, "", &err), XF_EINVAL);
	assert_int_equal(supervise_answer(&o.bjhead, id, "已约谈柜员并向客户道歉，客户表示满意。", &err), XF_OK);
	assert_int_equal(supervise_answer(&o.bjhead, id, "再答一次", &err), XF_ESTATE);
	audit_sides(&o, id, "supervise_answer", &own, &bj);
	assert_int_equal(own, 1);
	assert_int_equal(bj, 1);

	/* A second urging left unanswered past its deadline. */
	assert_int_equal(supervise_urge(&o.sup, id, "2026-12-08", "请说明整改措施", &err), XF_OK);
	assert_int_equal(clock_set_today_iso("2026-12-09", &err), XF_OK);
	assert_int_equal(supervise_list(&o.sup, "BJ01", &rows, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	const struct xf_fields *late = row_of(&rows, number, 0), *done = row_of(&rows, number, 1);
	assert_non_null(late);
	assert_non_null(done);
	assert_string_equal(fields_str(late, "status"), "已逾期");
	assert_string_equal(fields_str(late, "days_left"), "-1");
	assert_string_equal(fields_str(done, "status"), "已答复");
	assert_string_equal(fields_str(done, "answered_by"), "bjhead");
	assert_string_equal(fields_str(done, "answer"), "已约谈柜员并向客户道歉，客户表示满意。");
	rows_free(&rows);
	assert_int_equal(supervise_answer(&o.bjhead, id, "整改：柜员培训。", &err), XF_OK);
	assert_int_equal(supervise_case(&o.bjhead, id, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 2);
	assert_string_equal(fields_str(&rows.v[0], "status"), "已答复");
	assert_string_equal(fields_str(&rows.v[1], "status"), "逾期答复");
	rows_free(&rows);
	/* On the case's record and in its history. */
	assert_int_equal(casefile_records(&o.bjhead, id, &rows, &err), XF_OK);
	int shown = 0;
	for (size_t i = 0; i < rows.n; i++)
		if (strcmp(fields_str(&rows.v[i], "#title"), "督办") == 0 && *fields_str(&rows.v[i], "办理情况"))
			shown++;
	assert_int_equal(shown, 2);
	rows_free(&rows);
	assert_int_equal(casefile_history(&o.bjhead, id, &rows, &err), XF_OK);
	int urged = 0, answered = 0;
	for (size_t i = 0; i < rows.n; i++) {
		if (strcmp(fields_str(&rows.v[i], "#action"), "督办") == 0 && urged++ == 0)
			assert_string_equal(fields_str(&rows.v[i], "督办期限"), "2026-12-10");
		if (strcmp(fields_str(&rows.v[i], "#action"), "答复督办") == 0 && answered++ == 0)
			assert_string_equal(fields_str(&rows.v[i], "办理情况"), "已约谈柜员并向客户道歉，客户表示满意。");
	}
	assert_int_equal(urged, 2);
	assert_int_equal(answered, 2);
	rows_free(&rows);
	assert_verifies(&o);
	office_close(&o);
}

/* A pushed branch's records are read-only here: no hand-over to it, no take-over or urging of
 * its cases. */
static void test_pushed_refused(void **state)
{
	(void)state;
	struct office o;
	char number[32], bjnumber[32];
	struct xf_err err;
	int64_t hq, bj;
	office_with_cases(&o, number, &hq, bjnumber, &bj);
	struct xf_fields f;
	fields_from(&f, "pushed=1", NULL);
	assert_int_equal(store_begin(o.fx.st, &err), XF_OK);
	assert_int_equal(store_update(o.fx.st, "branches", o.bj, &f, 0, &err), XF_OK);
	assert_int_equal(store_audit(o.fx.st, "admin", "write", 0, NULL, NULL, &err), XF_OK);
	assert_int_equal(store_commit(o.fx.st, &err), XF_OK);
	fields_free(&f);
	assert_int_equal(supervise_move(&o.sup, hq, XF_BM_HAND_OVER, "BJ01", NULL, 0, NULL, &err), XF_EDENIED);
	assert_non_null(strstr(err.msg, "只读"));
	assert_int_equal(supervise_move(&o.sup, bj, XF_BM_TAKE_OVER, NULL, NULL, 0, NULL, &err), XF_EDENIED);
	assert_int_equal(supervise_urge(&o.sup, bj, "2026-12-20", NULL, &err), XF_EDENIED);
	struct xf_fields row;
	assert_int_equal(store_get(o.fx.st, "cases", hq, &row, &err), XF_OK);
	assert_string_equal(fields_str(&row, "number"), number);
	fields_free(&row);
	office_close(&o);
}

/* Registers a case as s naming a person in its subject and summary; returns its id. */
static int64_t register_naming(struct xf_session *s, const char *person, char number[32])
{
	char summary[160], subject[80];
	snprintf(summary, sizeof summary, "summary=%s办理时态度冷淡，要求道歉。", person);
	snprintf(subject, sizeof subject, "accused=%s", person);
	struct xf_fields f;
	fields_from(&f, "channel=来访", "category=服务态度", summary, subject, "name=张伟", NULL);
	struct xf_err err, warn;
	if (case_register(s, &f, number, &warn, &err) != XF_OK)
		fail_msg("register: %s", err.msg);
	fields_free(&f);
	int64_t id;
	assert_int_equal(case_find(s, number, &id, &err), XF_OK);
	return id;
}

/* A person the case names makes no move across branches on it and does not urge or answer
 * for it: the supervisor named cannot hand over, take over or urge; the branch head named
 * cannot hand up or answer; others still can. */
static void test_recusal(void **state)
{
	(void)state;
	struct office o;
	office_open(&o);
	struct xf_err err;
	struct xf_session zhou, sun;
	assert_int_equal(auth_user_add_in(&o.fx.admin, "zhou", "supervisor", "周督办", "", "HQ", "secret1", &err), XF_OK);
	assert_int_equal(auth_login(o.fx.st, "zhou", "secret1", &zhou, &err), XF_OK);
	assert_int_equal(auth_user_add_in(&o.fx.admin, "sun", "head", "孙主任", "", "BJ01", "secret1", &err), XF_OK);
	assert_int_equal(auth_login(o.fx.st, "sun", "secret1", &sun, &err), XF_OK);
	char n1[32], n2[32], n3[32];
	int64_t hq = register_naming(&o.fx.clerk, "周督办", n1);
	int64_t bj = register_naming(&o.bjclerk, "周督办", n2);
	int64_t up = register_naming(&o.bjclerk, "孙主任", n3);

	assert_int_equal(supervise_move(&zhou, hq, XF_BM_HAND_OVER, "BJ01", NULL, 0, NULL, &err), XF_EDENIED);
	assert_non_null(strstr(err.msg, "回避"));
	assert_int_equal(supervise_move(&zhou, bj, XF_BM_TAKE_OVER, NULL, NULL, 0, NULL, &err), XF_EDENIED);
	assert_non_null(strstr(err.msg, "回避"));
	assert_int_equal(supervise_urge(&zhou, bj, "2026-12-20", NULL, &err), XF_EDENIED);
	assert_non_null(strstr(err.msg, "回避"));
	assert_int_equal(supervise_move(&sun, up, XF_BM_HAND_UP, NULL, NULL, 0, NULL, &err), XF_EDENIED);
	assert_non_null(strstr(err.msg, "回避"));
	/* The accounts the case does not name act as before. */
	assert_int_equal(supervise_urge(&o.sup, up, "2026-12-20", NULL, &err), XF_OK);
	assert_int_equal(supervise_answer(&sun, up, "已约谈", &err), XF_EDENIED);
	assert_non_null(strstr(err.msg, "回避"));
	assert_int_equal(supervise_answer(&o.bjhead, up, "已约谈", &err), XF_OK);
	assert_int_equal(supervise_move(&sun, bj, XF_BM_HAND_UP, NULL, NULL, 0, NULL, &err), XF_OK);
	assert_int_equal(supervise_move(&o.sup, hq, XF_BM_HAND_OVER, "BJ01", NULL, 0, NULL, &err), XF_OK);
	/* Nothing the recused tried was written: the urging list holds the one urging only. */
	struct xf_rows rows;
	assert_int_equal(supervise_list(&o.sup, NULL, &rows, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	rows_free(&rows);
	session_close(&zhou);
	session_close(&sun);
	office_close(&o);
}

/* An earlier number reaches the case as it is now, saying so, for those who reach the case:
 * by case_lookup (show, the desk), case_find, and search by number. */
static void test_old_numbers(void **state)
{
	(void)state;
	struct office o;
	office_open(&o);
	char number[32], moved[32], said[128];
	struct xf_err err;
	int64_t id = register_as(&o.fx.clerk, number), found = 0;
	assert_int_equal(supervise_move(&o.sup, id, XF_BM_HAND_OVER, "BJ01", NULL, 0, moved, &err), XF_OK);
	assert_string_equal(moved, "BJ01-2026年第0001号");
	/* The supervisor reaches BJ01: the head office's old number, written any usual way. */
	assert_int_equal(case_lookup(&o.sup, "2026-0001", &found, said, sizeof said, &err), XF_OK);
	assert_int_equal(found, id);
	assert_string_equal(said, "原编号 HQ-2026年第0001号 → 现编号 BJ01-2026年第0001号");
	found = 0;
	assert_int_equal(case_lookup(&o.sup, "HQ-2026年第0001号", &found, said, sizeof said, &err), XF_OK);
	assert_int_equal(found, id);
	/* The branch's clerk reaches the case now, though not the head office it came from. */
	found = 0;
	assert_int_equal(case_find(&o.bjclerk, "HQ-2026-1", &found, &err), XF_OK);
	assert_int_equal(found, id);
	/* Its current number says nothing more. */
	assert_int_equal(case_lookup(&o.bjclerk, "BJ01-2026年第0001号", &found, said, sizeof said, &err), XF_OK);
	assert_string_equal(said, "");
	/* The head office's clerk does not reach BJ01: not found, as for none. */
	assert_int_equal(case_lookup(&o.fx.clerk, "2026-0001", &found, said, sizeof said, &err), XF_ENOTFOUND);
	assert_string_equal(said, "");
	assert_int_equal(case_lookup(&o.sup, "2026-0009", &found, said, sizeof said, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, "没有 2026-0009 这件信访事项");
	/* A number not found is echoed as typed, its branch code kept. */
	assert_int_equal(case_lookup(&o.sup, "HQ-2026年第0009号", &found, said, sizeof said, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, "没有 HQ-2026年第0009号 这件信访事项");
	assert_int_equal(case_find(&o.bjclerk, "BJ01-2026-9", &found, &err), XF_ENOTFOUND);
	assert_string_equal(err.msg, "没有 BJ01-2026-9 这件信访事项");
	/* The command line: show and find by the old number open the case and say it was renumbered;
	 * a number not found keeps its code in the message. */
	char *db = xasprintf("XINFANG_DB=%s", o.fx.db);
	const char *env[] = {db, "XINFANG_USER=sup", "XINFANG_PASSWORD=secret1", "XINFANG_TODAY=2026-12-07", NULL};
	struct run_result r;
	run_xinfang(&r, env, (const char *[]){"show", "HQ-2026年第0001号", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "number\tBJ01-2026年第0001号\n"));
	assert_non_null(strstr(r.err, "原编号 HQ-2026年第0001号 → 现编号 BJ01-2026年第0001号"));
	run_xinfang(&r, env, (const char *[]){"find", "HQ-2026-0001", NULL});
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "BJ01-2026年第0001号\t待批\t2026-12-07\t张伟\t编号\n");
	assert_non_null(strstr(r.err, "原编号 HQ-2026年第0001号 → 现编号 BJ01-2026年第0001号"));
	run_xinfang(&r, env, (const char *[]){"show", "HQ-2026年第0009号", NULL});
	assert_int_not_equal(r.status, 0);
	assert_non_null(strstr(r.err, "没有 HQ-2026年第0009号 这件信访事项"));
	run_xinfang(&r, env, (const char *[]){"find", "BJ01-2026-0009", NULL});
	assert_int_not_equal(r.status, 0);
	assert_non_null(strstr(r.err, "没有 BJ01-2026-0009 这件信访事项"));
	free(db);
	/* Search by the old number finds the case under its new one, in reach only. */
	struct xf_search q;
	memset(&q, 0, sizeof q);
	q.words = "HQ-2026-0001";
	q.per_page = 20;
	q.page = 1;
	struct xf_rows rows;
	bool more;
	assert_int_equal(search_cases(&o.bjclerk, &q, &rows, &more, &err), XF_OK);
	assert_int_equal(rows.n, 1);
	assert_string_equal(fields_str(&rows.v[0], "number"), "BJ01-2026年第0001号");
	rows_free(&rows);
	assert_int_equal(search_cases(&o.fx.clerk, &q, &rows, &more, &err), XF_OK);
	assert_int_equal(rows.n, 0);
	rows_free(&rows);
	/* Moved again (taken back up): both earlier numbers lead to it. */
	assert_int_equal(supervise_move(&o.sup, id, XF_BM_TAKE_OVER, NULL, NULL, 0, moved, &err), XF_OK);
	assert_string_equal(moved, "HQ-2026年第0002号");
	assert_int_equal(case_lookup(&o.fx.clerk, "BJ01-2026-0001", &found, said, sizeof said, &err), XF_OK);
	assert_int_equal(found, id);
	assert_string_equal(said, "原编号 BJ01-2026年第0001号 → 现编号 HQ-2026年第0002号");
	assert_int_equal(case_lookup(&o.fx.clerk, "2026-0001", &found, said, sizeof said, &err), XF_OK);
	assert_string_equal(said, "原编号 HQ-2026年第0001号 → 现编号 HQ-2026年第0002号");
	office_close(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_over),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_take_over_hand_up),
		cmocka_unit_test(test_urge_answer_overdue),
		cmocka_unit_test(test_pushed_refused),
		cmocka_unit_test(test_recusal),
		cmocka_unit_test(test_old_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

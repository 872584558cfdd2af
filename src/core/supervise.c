/* The head office's moves across branches (hand-over, take-over, hand-up) and its urging (督办)
 * with a deadline and the branch's answer. A case out of the account's reach is not found,
 * with the same message as none; every write across branches leaves one audit record in each
 * branch's chain. */
#include "xinfang/supervise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/mask.h"
#include "xinfang/store_chain.h"
#include "xinfang/store_supervise.h"

static const char *const move_keys[] = {"hand_over", "take_over", "hand_up"};
static const char *const move_labels[] = {"交办", "提级办理", "上报"};

/* Key of a move between branches. */
const char *supervise_move_key(enum xf_branch_move kind)
{
	return move_keys[kind];
}

/* Chinese name of a move between branches. */
const char *supervise_move_label(enum xf_branch_move kind)
{
	return move_labels[kind];
}

/* Loads case id when the session reaches it; else XF_ENOTFOUND as for no case at all. */
static int load_in_reach(struct xf_session *s, int64_t id, struct xf_fields *row, struct xf_err *err)
{
	int rc = store_get(s->st, "cases", id, row, err);
	if (rc == XF_OK && !branch_in_reach(s, atoll(fields_str(row, "branch")))) {
		fields_free(row);
		rc = XF_ENOTFOUND;
	}
	if (rc == XF_ENOTFOUND)
		return xf_err_set(err, XF_ENOTFOUND, "没有这件信访事项");
	return rc;
}

/* The branch of a case's row (the column's default, 1, when empty). */
static int64_t row_branch(const struct xf_fields *row)
{
	int64_t b = atoll(fields_str(row, "branch"));
	return b > 0 ? b : XF_BRANCH_OWN;
}

/* Refuses a write to the records of a pushed branch (they arrive from its own file). */
static int check_not_pushed(const struct xf_branch *b, const char *what, struct xf_err *err)
{
	if (!b->pushed)
		return XF_OK;
	return xf_err_set(err, XF_EDENIED, "“%s”的记录由它自己的文件推送而来，在这里只读：不能%s", b->name, what);
}

/* Ends a write: commits it when everything before went through, else rolls it back. */
static int finish(struct xf_session *s, int rc, struct xf_err *err)
{
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	return rc;
}

/* Appends the same audit event in two branches' chains (from's first), then gives the chain
 * back to the session's branch. */
static int audit_both(struct xf_session *s, const char *action, int64_t case_id, int64_t first, int64_t second,
                      const char *before, const char *after, struct xf_err *err)
{
	store_chain_set_branch(s->st, first);
	int rc = store_audit(s->st, s->op.name, action, case_id, before, after, err);
	if (rc == XF_OK && second != first) {
		store_chain_set_branch(s->st, second);
		rc = store_audit(s->st, s->op.name, action, case_id, before, after, err);
	}
	store_chain_set_branch(s->st, s->op.branch);
	return rc;
}

/* The receiving branch of a move, checked: hand-over to a branch in reach, take-over into the
 * session's own, hand-up to the parent of the case's branch. */
static int move_target(struct xf_session *s, enum xf_branch_move kind, const struct xf_branch *from,
                       const char *to_code, const char *number, struct xf_branch *to, struct xf_err *err)
{
	int64_t to_id = 0;
	int rc = XF_OK;
	switch (kind) {
	case XF_BM_HAND_OVER:
		if (to_code == NULL || *to_code == '\0')
			return xf_err_set(err, XF_EINVAL, "请给出接收事项的分支机构代码（如 BJ01）：用 xinfang branch list 查看");
		if ((rc = branch_filter(s, to_code, &to_id, err)) != XF_OK)
			return rc;
		if (to_id == s->op.branch && from->id != to_id) /* into the session's own: a take-over */
			return xf_err_set(err, XF_EINVAL, "交办是交给下级机构办理；把 %s 收归本机构请用提级办理（xinfang takeover）",
			                  number);
		break;
	case XF_BM_TAKE_OVER:
		to_id = s->op.branch;
		break;
	case XF_BM_HAND_UP:
		if (from->id != s->op.branch)
			return xf_err_set(err, XF_EDENIED, "%s 是“%s”的事项：只有它所在机构的主任可以上报", number, from->name);
		if (from->parent <= 0)
			return xf_err_set(err, XF_EINVAL, "“%s”没有上级机构，%s 无处上报", from->name, number);
		to_id = from->parent;
		break;
	}
	if ((rc = branch_get(s->st, to_id, to, err)) != XF_OK)
		return rc;
	if (to->id == from->id)
		return xf_err_set(err, XF_EINVAL, "%s 已是“%s”的事项，无需%s", number, to->name, move_labels[kind]);
	return XF_OK;
}

/* The changes a move makes to the case: the receiving branch, its next number, and a case
 * with a department of the old branch back in the new one's queue. */
static int move_changes(struct xf_session *s, const struct xf_fields *row, const struct xf_branch *to,
                        struct xf_fields *changes, char number[32], struct xf_err *err)
{
	int year = atoi(fields_str(row, "year")), seq = 0;
	int rc = store_next_seq(s->st, to->id, year, &seq, err);
	if (rc != XF_OK)
		return rc;
	case_format_branch_number(to->code, year, seq, number);
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)to->id);
	fields_set(changes, "branch", buf);
	snprintf(buf, sizeof buf, "%d", seq);
	fields_set(changes, "seq", buf);
	fields_set(changes, "number", number);
	if (strcmp(fields_str(row, "state"), case_state_key(XF_ST_TRANSFERRED)) == 0) {
		fields_set(changes, "state", case_state_key(XF_ST_QUEUED));
		fields_set(changes, "department", "");
	}
	return XF_OK;
}

/* Checks a move's role, the case's state and both branches; fills from and to. */
static int move_checks(struct xf_session *s, enum xf_branch_move kind, const struct xf_fields *row,
                       const char *to_code, struct xf_branch *from, struct xf_branch *to, struct xf_err *err)
{
	const char *number = fields_str(row, "number");
	int rc = branch_get(s->st, row_branch(row), from, err);
	if (rc == XF_OK)
		rc = move_target(s, kind, from, to_code, number, to, err);
	if (rc == XF_OK)
		rc = check_not_pushed(from, move_labels[kind], err);
	if (rc == XF_OK)
		rc = check_not_pushed(to, move_labels[kind], err);
	if (rc != XF_OK)
		return rc;
	int state = case_state_parse(fields_str(row, "state"));
	if (state != XF_ST_QUEUED && state != XF_ST_TRANSFERRED)
		return xf_err_set(err, XF_ESTATE, "%s现在是“%s”，不能%s（只有待批、已转办的事项可以；其余由原机构办完）", number,
		                  state >= 0 ? case_state_label((enum xf_state)state) : fields_str(row, "state"),
		                  move_labels[kind]);
	return XF_OK;
}

/* Moves a case to another branch. */
int supervise_move(struct xf_session *s, int64_t id, enum xf_branch_move kind, const char *to_code,
                   const char *note, int64_t expect_version, char *new_number, struct xf_err *err)
{
	if (new_number)
		new_number[0] = '\0';
	if ((int)kind < XF_BM_HAND_OVER || kind > XF_BM_HAND_UP)
		return xf_err_set(err, XF_EINVAL, "内部错误：未知的机构间移交");
	/* Hand-over and take-over reach across branches: the supervisor's (督办员) work, and an
	 * admin's, who may act in every role; hand-up is the branch head's (主任) decision. */
	unsigned roles = kind == XF_BM_HAND_UP ? XF_MAY(XF_ROLE_HEAD) : XF_MAY(XF_ROLE_SUPERVISOR);
	if (!auth_require(s, roles, move_labels[kind], err))
		return err->code;
	int rc = field_check_text(note ? note : "", "说明", 1000, false, err);
	if (rc != XF_OK || (rc = session_begin(s, err)) != XF_OK)
		return rc;
	struct xf_fields row, changes, rec;
	fields_init(&changes);
	fields_init(&rec);
	struct xf_branch from, to;
	char number[32] = "";
	rc = load_in_reach(s, id, &row, err);
	if (rc != XF_OK) {
		store_rollback(s->st);
		return rc;
	}
	if (expect_version > 0 && atoll(fields_str(&row, "version")) != expect_version)
		rc = xf_err_set(err, XF_ECONFLICT, "%s 刚被其他人修改过：请重新打开后再操作，您的输入未保存",
		                fields_str(&row, "number"));
	/* A person the case names makes no move on it, across branches as within one. */
	if (rc == XF_OK)
		rc = mask_check_recusal(s, &row, NULL, move_labels[kind], err);
	if (rc == XF_OK)
		rc = move_checks(s, kind, &row, to_code, &from, &to, err);
	if (rc == XF_OK)
		rc = move_changes(s, &row, &to, &changes, number, err);
	if (rc == XF_OK)
		rc = store_update(s->st, "cases", id, &changes, atoll(fields_str(&row, "version")), err);
	if (rc == XF_OK) {
		char cid[24], fb[24], tb[24], now[20];
		snprintf(cid, sizeof cid, "%lld", (long long)id);
		snprintf(fb, sizeof fb, "%lld", (long long)from.id);
		snprintf(tb, sizeof tb, "%lld", (long long)to.id);
		clock_now_iso(now);
		fields_set(&rec, "case_id", cid);
		fields_set(&rec, "kind", move_keys[kind]);
		fields_set(&rec, "from_branch", fb);
		fields_set(&rec, "from_number", fields_str(&row, "number"));
		fields_set(&rec, "to_branch", tb);
		fields_set(&rec, "to_number", number);
		fields_set(&rec, "remark", note ? note : "");
		fields_set(&rec, "at", now);
		fields_set(&rec, "actor", s->op.name);
		rc = store_insert(s->st, "branch_moves", &rec, NULL, err);
	}
	if (rc == XF_OK) {
		char *before, *after;
		audit_diff(&row, &changes, &rec, &before, &after);
		rc = audit_both(s, move_keys[kind], id, from.id, to.id, before, after, err);
		free(before);
		free(after);
	}
	if ((rc = finish(s, rc, err)) == XF_OK && new_number)
		snprintf(new_number, 32, "%s", number);
	fields_free(&row);
	fields_free(&changes);
	fields_free(&rec);
	return rc;
}

/* The branch of the account that wrote an urging (its audit's other side); the own branch
 * when the account cannot be read. */
static int64_t account_branch(struct xf_session *s, const char *name)
{
	struct xf_rows rows;
	struct xf_err ignored;
	int64_t b = XF_BRANCH_OWN;
	if (store_list(s->st, "operators", "name", name, &rows, &ignored) != XF_OK)
		return b;
	if (rows.n > 0 && atoll(fields_str(&rows.v[0], "branch")) > 0)
		b = atoll(fields_str(&rows.v[0], "branch"));
	rows_free(&rows);
	return b;
}

/* Checks an urging's deadline: a date, today or later. */
static int check_deadline(const char *deadline, struct xf_err *err)
{
	int day;
	if (deadline == NULL || *deadline == '\0')
		return xf_err_set(err, XF_EINVAL, "请给出督办期限（deadline=YYYY-MM-DD）：分支机构须在这天前报告办理情况");
	if (date_parse(deadline, &day, NULL) != XF_OK || strlen(deadline) != 10)
		return xf_err_set(err, XF_EINVAL, "督办期限“%s”不是日期：请写成 YYYY-MM-DD（如 2026-12-20）", deadline);
	if (day < clock_today()) {
		char today[11];
		date_format(clock_today(), today);
		return xf_err_set(err, XF_EINVAL, "督办期限 %s 已过（今天是 %s）：请给今天或以后的日期", deadline, today);
	}
	return XF_OK;
}

/* Urges a branch's case. */
int supervise_urge(struct xf_session *s, int64_t id, const char *deadline, const char *note, struct xf_err *err)
{
	if (!auth_require(s, XF_MAY(XF_ROLE_SUPERVISOR), "督办", err))
		return err->code;
	int rc = check_deadline(deadline, err);
	if (rc == XF_OK)
		rc = field_check_text(note ? note : "", "督办意见", 1000, false, err);
	if (rc != XF_OK || (rc = session_begin(s, err)) != XF_OK)
		return rc;
	struct xf_fields row, rec;
	fields_init(&rec);
	if ((rc = load_in_reach(s, id, &row, err)) != XF_OK) {
		store_rollback(s->st);
		return rc;
	}
	const char *number = fields_str(&row, "number");
	struct xf_branch b;
	int64_t branch = row_branch(&row);
	int state = case_state_parse(fields_str(&row, "state"));
	rc = mask_check_recusal(s, &row, NULL, "督办", err);
	if (rc == XF_OK && branch == s->op.branch)
		rc = xf_err_set(err, XF_EINVAL, "%s 是本机构的事项：督办是对下级机构的，本机构内请用“催办”（urge）", number);
	if (rc == XF_OK && (rc = branch_get(s->st, branch, &b, err)) == XF_OK)
		rc = check_not_pushed(&b, "督办", err);
	if (rc == XF_OK && (state < 0 || !(XF_OPEN_STATES & XF_IN(state))))
		rc = xf_err_set(err, XF_ESTATE, "%s 已结案，不能再督办", number);
	if (rc == XF_OK) {
		char cid[24], bid[24], now[20];
		snprintf(cid, sizeof cid, "%lld", (long long)id);
		snprintf(bid, sizeof bid, "%lld", (long long)branch);
		clock_now_iso(now);
		char *text = note && *note ? xstrdup(note) : xasprintf("请于 %s 前报告办理情况", deadline);
		fields_set(&rec, "case_id", cid);
		fields_set(&rec, "branch", bid);
		fields_set(&rec, "deadline", deadline);
		fields_set(&rec, "request", text);
		fields_set(&rec, "at", now);
		fields_set(&rec, "actor", s->op.name);
		free(text);
		rc = store_insert(s->st, "supervisions", &rec, NULL, err);
	}
	if (rc == XF_OK) {
		char *before, *after;
		audit_diff(NULL, NULL, &rec, &before, &after);
		rc = audit_both(s, "supervise", id, s->op.branch, branch, before, after, err);
		free(before);
		free(after);
	}
	rc = finish(s, rc, err);
	fields_free(&row);
	fields_free(&rec);
	return rc;
}

/* The oldest unanswered urging of a case into *open (fields_init'ed by the caller); *found. */
static int open_urging(struct xf_session *s, int64_t id, struct xf_fields *open, bool *found, struct xf_err *err)
{
	char cid[24];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	struct xf_rows rows;
	int rc = store_list(s->st, "supervisions", "case_id", cid, &rows, err);
	*found = false;
	for (size_t i = 0; rc == XF_OK && i < rows.n && !*found; i++)
		if (*fields_str(&rows.v[i], "answered_at") == '\0') {
			for (size_t k = 0; k < rows.v[i].n; k++)
				fields_set(open, rows.v[i].v[k].key, rows.v[i].v[k].val);
			*found = true;
		}
	if (rc == XF_OK)
		rows_free(&rows);
	return rc;
}

/* Checks that this account may answer for the case: its branch's head, or the handler of its
 * department. */
static int check_answerer(struct xf_session *s, const struct xf_fields *row, struct xf_err *err)
{
	const char *number = fields_str(row, "number");
	if (row_branch(row) != s->op.branch)
		return xf_err_set(err, XF_EDENIED, "%s 的督办由它所在的机构答复", number);
	if (s->op.role == XF_ROLE_HANDLER &&
	    (*s->op.department == '\0' || strcmp(fields_str(row, "department"), s->op.department) != 0))
		return xf_err_set(err, XF_EDENIED, "%s 不是转给%s的事项，经办人无权答复它的督办", number,
		                  *s->op.department ? s->op.department : "您所在部门");
	return XF_OK;
}

/* Answers a case's open urging. */
int supervise_answer(struct xf_session *s, int64_t id, const char *text, struct xf_err *err)
{
	if (!auth_require(s, XF_MAY(XF_ROLE_HEAD) | XF_MAY(XF_ROLE_HANDLER), "答复督办", err))
		return err->code;
	if (text == NULL || *text == '\0')
		return xf_err_set(err, XF_EINVAL, "请写明办理情况（text=…）：督办要求报告办理情况");
	int rc = field_check_text(text, "办理情况", 2000, true, err);
	if (rc != XF_OK || (rc = session_begin(s, err)) != XF_OK)
		return rc;
	struct xf_fields row, open, changes;
	fields_init(&open);
	fields_init(&changes);
	if ((rc = load_in_reach(s, id, &row, err)) != XF_OK) {
		store_rollback(s->st);
		return rc;
	}
	bool found = false;
	rc = check_answerer(s, &row, err);
	if (rc == XF_OK)
		rc = mask_check_recusal(s, &row, NULL, "答复督办", err);
	if (rc == XF_OK)
		rc = open_urging(s, id, &open, &found, err);
	if (rc == XF_OK && !found)
		rc = xf_err_set(err, XF_ESTATE, "%s 没有待答复的督办", fields_str(&row, "number"));
	if (rc == XF_OK) {
		char now[20];
		clock_now_iso(now);
		fields_set(&changes, "answered_at", now);
		fields_set(&changes, "answer", text);
		fields_set(&changes, "answered_by", s->op.name);
		rc = store_update(s->st, "supervisions", atoll(fields_str(&open, "id")), &changes, 0, err);
	}
	if (rc == XF_OK) {
		/* before: the urging's unanswered columns; after: the answer as the urging's record. */
		char *before, *unused, *ignored, *after;
		audit_diff(&open, &changes, NULL, &before, &unused);
		audit_diff(NULL, NULL, &changes, &ignored, &after);
		rc = audit_both(s, "supervise_answer", id, s->op.branch, account_branch(s, fields_str(&open, "actor")),
		                before, after, err);
		free(before);
		free(unused);
		free(ignored);
		free(after);
	}
	rc = finish(s, rc, err);
	fields_free(&row);
	fields_free(&open);
	fields_free(&changes);
	return rc;
}

/* Adds days_left and status to an urging's row. */
static void urging_status(struct xf_fields *row)
{
	int day = 0;
	const char *deadline = fields_str(row, "deadline");
	const char *answered = fields_str(row, "answered_at");
	date_parse(deadline, &day, NULL);
	char buf[24];
	snprintf(buf, sizeof buf, "%d", day - clock_today());
	fields_set(row, "days_left", buf);
	const char *status;
	if (*answered == '\0')
		status = day < clock_today() ? "已逾期" : "未答复";
	else
		status = strncmp(answered, deadline, 10) > 0 ? "逾期答复" : "已答复";
	fields_set(row, "status", status);
}

/* The urgings in reach of a branch and a case (0: any), with their days left and status. */
static int urgings(struct xf_session *s, int64_t branch, int64_t case_id, struct xf_rows *out, struct xf_err *err)
{
	struct xf_reach reach;
	branch_reach(s, &reach);
	int rc = store_supervision_list(s->st, &reach, branch, case_id, out, err);
	for (size_t i = 0; rc == XF_OK && i < out->n; i++)
		urging_status(&out->v[i]);
	return rc;
}

/* The urgings in reach. */
int supervise_list(struct xf_session *s, const char *branch_code, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	int64_t branch = 0;
	int rc = branch_filter(s, branch_code, &branch, err);
	return rc == XF_OK ? urgings(s, branch, 0, out, err) : rc;
}

/* The urgings of one case. */
int supervise_case(struct xf_session *s, int64_t id, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	return urgings(s, 0, id, out, err);
}

/* The case's moves between branches, with the branches' codes. */
int supervise_case_moves(struct xf_session *s, int64_t id, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_fields row;
	int rc = load_in_reach(s, id, &row, err);
	if (rc != XF_OK)
		return rc;
	fields_free(&row);
	char cid[24];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	if ((rc = store_list(s->st, "branch_moves", "case_id", cid, out, err)) != XF_OK)
		return rc;
	for (size_t i = 0; i < out->n; i++) {
		static const char *const sides[][2] = {{"from_branch", "from_code"}, {"to_branch", "to_code"}};
		for (int k = 0; k < 2; k++) {
			struct xf_branch b;
			struct xf_err ignored;
			bool known = branch_get(s->st, atoll(fields_str(&out->v[i], sides[k][0])), &b, &ignored) == XF_OK;
			fields_set(&out->v[i], sides[k][1], known ? b.code : "");
			fields_set(&out->v[i], k ? "to_name" : "from_name", known ? b.name : "");
		}
	}
	return XF_OK;
}

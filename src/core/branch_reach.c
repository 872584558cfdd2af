/* The reach enforced on a case: one check below every view and move of a case loaded by id (a
 * case out of reach is not there), the read-only branches whose records arrive by push, the
 * reach a list takes with a --branch filter, and departments as the branch of a case or an
 * account has them. */
#include "xinfang/branch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/auth.h"
#include "xinfang/store.h"

/* The branch a row (a case, a department) belongs to; a row read before branches is the own. */
int64_t branch_of_row(const struct xf_fields *row)
{
	long long b = atoll(fields_str(row, "branch"));
	return b > 0 ? b : XF_BRANCH_OWN;
}

/* XF_OK when the session may see the case row; the same "not found" as no case otherwise. */
int branch_case_visible(struct xf_session *s, const struct xf_fields *case_row, struct xf_err *err)
{
	if (branch_in_reach(s, branch_of_row(case_row)))
		return XF_OK;
	return xf_err_set(err, XF_ENOTFOUND, "没有这件信访事项");
}

/* XF_OK when the session may see case id: XF_ENOTFOUND alike for none and one out of reach. */
int branch_case_id_visible(struct xf_session *s, int64_t id, struct xf_err *err)
{
	struct xf_fields row;
	int rc = store_get(s->st, "cases", id, &row, err);
	if (rc == XF_ENOTFOUND)
		rc = xf_err_set(err, XF_ENOTFOUND, "没有这件信访事项");
	else if (rc == XF_OK)
		rc = branch_case_visible(s, &row, err);
	fields_free(&row);
	return rc;
}

/* XF_OK when the case row may be moved here: its branch keeps its own file and pushes it, so its
 * records are read-only in this store. */
int branch_case_writable(struct xf_session *s, const struct xf_fields *case_row, struct xf_err *err)
{
	int64_t id = branch_of_row(case_row);
	if (id == XF_BRANCH_OWN)
		return XF_OK;
	struct xf_branch b;
	int rc = branch_get(s->st, id, &b, err);
	if (rc != XF_OK || !b.pushed)
		return rc;
	return xf_err_set(err, XF_EDENIED,
	                  "%s 属于%s（%s），它的记录由该分支机构从自己的数据文件推送而来，在这里只能查看、不能办理：请在%s自己的办公桌上办理",
	                  fields_str(case_row, "number"), b.name, b.code, b.name);
}

/* The reach of a list: the session's, or the one branch a filter code names (checked against
 * the reach: unknown and out of reach are refused alike). */
int branch_list_reach(struct xf_session *s, const char *code, struct xf_reach *out, struct xf_err *err)
{
	int64_t id;
	int rc = branch_filter(s, code, &id, err);
	if (rc != XF_OK)
		return rc;
	branch_reach(s, out);
	if (id > 0) {
		out->branch = id;
		out->path = NULL;
	}
	return XF_OK;
}

/* Whether a branch has a department of that name (*found), and, when names is not NULL, the
 * names of its departments joined with 、 (a new string) for a message. */
int branch_department(struct xf_store *st, int64_t branch, const char *name, bool *found, char **names,
                      struct xf_err *err)
{
	struct xf_rows rows;
	*found = false;
	if (names)
		*names = NULL;
	int rc = store_list(st, "departments", names ? NULL : "name", names ? NULL : name, &rows, err);
	if (rc != XF_OK)
		return rc;
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < rows.n; i++) {
		if (branch_of_row(&rows.v[i]) != branch)
			continue;
		const char *n = fields_str(&rows.v[i], "name");
		*found = *found || strcmp(n, name ? name : "") == 0;
		buf_printf(&b, "%s%s", b.len ? "、" : "", n);
	}
	rows_free(&rows);
	if (names)
		*names = b.data;
	else
		buf_free(&b);
	return XF_OK;
}

/* XF_OK when the session's account belongs to the store's own branch (the top, whose reach is
 * the whole store); XF_EDENIED, saying so, for a branch's account: backup, restore, verify, the
 * calendar and the rule set are the whole store's, every branch's cases in them. */
int branch_require_whole(struct xf_session *s, const char *what, struct xf_err *err)
{
	if (s->op.branch <= XF_BRANCH_OWN)
		return XF_OK;
	struct xf_branch top;
	struct xf_err ignored;
	const char *top_name = branch_get(s->st, XF_BRANCH_OWN, &top, &ignored) == XF_OK && top.name[0] ? top.name
	                                                                                                  : "本库所属机构";
	return xf_err_set(err, XF_EDENIED, "%s（%s）不能%s：这一步涉及整个数据库、各分支机构的事项，须由%s的账户办理",
	                  s->op.name, auth_role_label(s->op.role), what, top_name);
}

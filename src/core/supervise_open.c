/* Which moves between branches a session may make on a case, and where a hand-over may go:
 * what the desk offers (the screens decide nothing about rights). The moves themselves check
 * all of it again (supervise.c). */
#include "xinfang/supervise.h"

#include <stdlib.h>
#include <string.h>

#include "xinfang/branch.h"
#include "xinfang/case.h"
#include "xinfang/mask.h"

/* The case row when the session reaches it and may act on it (not named in it, open, its
 * branch not pushed); false otherwise. */
static bool case_movable(struct xf_session *s, int64_t id, struct xf_fields *row, struct xf_branch *from)
{
	struct xf_err ignored;
	if (store_get(s->st, "cases", id, row, &ignored) != XF_OK)
		return false;
	int64_t branch = branch_of_row(row);
	int state = case_state_parse(fields_str(row, "state"));
	bool ok = branch_in_reach(s, branch) && !mask_recused(s, row) &&
	          (state == XF_ST_QUEUED || state == XF_ST_TRANSFERRED) &&
	          branch_get(s->st, branch, from, &ignored) == XF_OK && !from->pushed;
	if (!ok)
		fields_free(row);
	return ok;
}

/* The branches a case of branch from may be handed over to: in reach, not its own, not the
 * session's own (that is a take-over), not pushed (caller frees *out). */
static int targets_of(struct xf_session *s, int64_t from, struct xf_branch **out, size_t *n, struct xf_err *err)
{
	int rc = branch_list(s, out, n, err);
	if (rc != XF_OK)
		return rc;
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++)
		if ((*out)[i].id != from && (*out)[i].id != s->op.branch && !(*out)[i].pushed)
			(*out)[kept++] = (*out)[i];
	*n = kept;
	return XF_OK;
}

/* The moves between branches open to the session on case id. */
int supervise_moves_open(struct xf_session *s, int64_t id, enum xf_branch_move open[3], int *n)
{
	*n = 0;
	struct xf_err ignored;
	bool supervises = auth_require(s, XF_MAY(XF_ROLE_SUPERVISOR), "", &ignored);
	bool heads = auth_require(s, XF_MAY(XF_ROLE_HEAD), "", &ignored);
	if (!supervises && !heads)
		return XF_OK;
	struct xf_fields row;
	struct xf_branch from, other;
	if (!case_movable(s, id, &row, &from))
		return XF_OK;
	fields_free(&row);
	if (supervises) {
		struct xf_branch *to = NULL;
		size_t nto = 0;
		if (targets_of(s, from.id, &to, &nto, &ignored) == XF_OK && nto > 0)
			open[(*n)++] = XF_BM_HAND_OVER;
		free(to);
		if (from.id != s->op.branch && branch_get(s->st, s->op.branch, &other, &ignored) == XF_OK && !other.pushed)
			open[(*n)++] = XF_BM_TAKE_OVER;
	}
	if (heads && from.id == s->op.branch && from.parent > 0 &&
	    branch_get(s->st, from.parent, &other, &ignored) == XF_OK && !other.pushed)
		open[(*n)++] = XF_BM_HAND_UP;
	return XF_OK;
}

/* Where a move of case id would take it: the branches a hand-over may go to, or the one
 * branch of a take-over (the session's) or a hand-up (the parent). */
int supervise_move_targets(struct xf_session *s, int64_t id, enum xf_branch_move kind, struct xf_branch **out,
                           size_t *n, struct xf_err *err)
{
	*out = NULL;
	*n = 0;
	struct xf_fields row;
	struct xf_branch from;
	if (!case_movable(s, id, &row, &from))
		return xf_err_set(err, XF_ENOTFOUND, "现在不能%s这件事项", supervise_move_label(kind));
	fields_free(&row);
	if (kind == XF_BM_HAND_OVER)
		return targets_of(s, from.id, out, n, err);
	int64_t to = kind == XF_BM_TAKE_OVER ? s->op.branch : from.parent;
	*out = xcalloc(1, sizeof **out);
	int rc = branch_get(s->st, to, *out, err);
	if (rc == XF_OK)
		*n = 1;
	return rc;
}

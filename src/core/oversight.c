/* The head office's limits list across branches: the store's page of pending limits in reach,
 * masked for the reader and put in words. */
#include "xinfang/oversight.h"

#include <stdio.h>
#include <stdlib.h>

#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/limits.h"
#include "xinfang/mask.h"
#include "xinfang/store.h"

/* A page of the limits list across the branches in reach. */
int oversight_due(struct xf_session *s, long offset, long limit, struct xf_rows *out, bool *more,
                  struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	*more = false;
	unsigned may = XF_MAY(XF_ROLE_OPERATOR) | XF_MAY(XF_ROLE_HEAD) | XF_MAY(XF_ROLE_SUPERVISOR) | XF_MAY(XF_ROLE_ADMIN);
	if (!auth_require(s, may, "查看各分支机构的时限清单", err))
		return err->code;
	int rc = session_load_reference(s, err);
	if (rc != XF_OK)
		return rc;
	if (offset < 0)
		offset = 0;
	if (limit <= 0)
		limit = XF_OVERSIGHT_PAGE;
	int today = clock_today();
	char to[XF_LIMIT_COUNT][11];
	const char *to_of[XF_LIMIT_COUNT];
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		date_format(today + s->rules.warn_days[k], to[k]);
		to_of[k] = to[k];
	}
	struct xf_reach reach;
	branch_reach(s, &reach);
	struct xf_rows rows;
	if ((rc = store_due_across(s->st, &reach, to_of, offset, limit + 1, &rows, err)) != XF_OK)
		return rc;
	if (rows.n > (size_t)limit) {
		*more = true;
		fields_free(&rows.v[--rows.n]);
	}
	if ((rc = mask_case_rows(s, &rows, err)) != XF_OK) {
		rows_free(&rows);
		return rc;
	}
	out->v = xcalloc(rows.n ? rows.n : 1, sizeof *out->v);
	for (size_t i = 0; i < rows.n; i++) {
		const struct xf_fields *r = &rows.v[i];
		struct xf_fields *f = &out->v[out->n++];
		fields_init(f);
		int due = 0, kind = atoi(fields_str(r, "kind")), st = case_state_parse(fields_str(r, "state"));
		date_parse(fields_str(r, "due"), &due, NULL);
		char left[16];
		snprintf(left, sizeof left, "%d", due - today);
		const char *code = fields_str(r, "branch_code");
		fields_set(f, "branch", *code ? code : fields_str(r, "branch_name"));
		fields_set(f, "branch_name", fields_str(r, "branch_name"));
		fields_set(f, "number", fields_str(r, "number"));
		fields_set(f, "limit", kind >= 0 && kind < XF_LIMIT_COUNT ? limits_kind_label((enum xf_limit_kind)kind) : "");
		fields_set(f, "state", st >= 0 ? case_state_label((enum xf_state)st) : "");
		fields_set(f, "due", fields_str(r, "due"));
		fields_set(f, "days_left", left);
		fields_set(f, "name", fields_str(r, "name"));
		fields_set(f, "department", fields_str(r, "department"));
	}
	rows_free(&rows);
	return XF_OK;
}

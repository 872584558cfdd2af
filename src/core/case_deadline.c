/* The 办理期限 a transfer gives: one date, the case's 周限 (due_handle), within the bounds the
 * rule set allows — not before the transfer, not after the handle limit the rules gave or an
 * approved extension moved it to. */
#include "xinfang/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/limits.h"

/* Every extension request of a case, oldest first. */
int case_extensions(struct xf_session *s, int64_t id, struct xf_rows *rows, struct xf_err *err)
{
	rows->v = NULL;
	rows->n = 0;
	int rc = branch_case_id_visible(s, id, err);
	if (rc != XF_OK)
		return rc;
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	return store_list(s->st, "extensions", "case_id", cid, rows, err);
}

/* The latest new date of the case's approved extensions of a limit; 0 when there is none. */
static int approved_extension(struct xf_session *s, int64_t id, enum xf_limit_kind kind, int *day,
                              struct xf_err *err)
{
	struct xf_rows rows;
	*day = 0;
	int rc = case_extensions(s, id, &rows, err);
	if (rc != XF_OK)
		return rc;
	for (size_t i = 0; i < rows.n; i++) {
		int d;
		if (strcmp(fields_str(&rows.v[i], "decision"), "approved") == 0 &&
		    strcmp(fields_str(&rows.v[i], "limit_kind"), limits_kind_key(kind)) == 0 &&
		    date_parse(fields_str(&rows.v[i], "new_due"), &d, NULL) == XF_OK && d > *day)
			*day = d;
	}
	rows_free(&rows);
	return XF_OK;
}

/* The latest handle limit the rules allow a case. */
int case_handle_ceiling(struct xf_session *s, int64_t id, const struct xf_fields *row, int *day, bool *extended,
                        struct xf_err *err)
{
	const char *orig = fields_str(row, "orig_due_handle");
	if (date_parse(*orig ? orig : fields_str(row, "due_handle"), day, NULL) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "%s 的周限“%s”不是日期：请管理员核查数据库", fields_str(row, "number"), orig);
	int ext;
	int rc = approved_extension(s, id, XF_LIMIT_HANDLE, &ext, err);
	*extended = rc == XF_OK && ext > *day;
	if (*extended)
		*day = ext;
	return rc;
}

/* The first and last dates a transfer made today may give: the transfer date and the ceiling;
 * both the ceiling when it has already passed (the case is late and stays so). */
static int deadline_bounds(struct xf_session *s, int64_t id, const struct xf_fields *row, int *earliest,
                           int *latest, bool *extended, struct xf_err *err)
{
	int rc = case_handle_ceiling(s, id, row, latest, extended, err);
	int today = clock_today();
	*earliest = today < *latest ? today : *latest;
	return rc;
}

/* How the ceiling came about, for a refusal: the rule or the extension. */
static void ceiling_reason(struct xf_session *s, const struct xf_fields *row, bool extended, char *out, size_t n)
{
	const struct xf_rule *rule = NULL;
	if (!extended && session_load_reference(s, NULL) == XF_OK)
		rule = limits_rule_for(&s->rules, fields_str(row, "ruleset"), XF_LIMIT_HANDLE, fields_str(row, "category"));
	if (extended)
		snprintf(out, n, "（已批准的延期）");
	else if (rule != NULL)
		snprintf(out, n, "（规则集“%s”：收件后 %d %s）", rule->ruleset, rule->length, limits_unit_label(rule->unit));
	else
		out[0] = '\0';
}

/* The 办理期限 of a transfer: the one typed, checked, or the ceiling when none is. */
int case_check_deadline(struct xf_session *s, int64_t id, const struct xf_fields *row, const char *typed,
                        char out[11], struct xf_err *err)
{
	int lo, hi, day;
	bool extended;
	int rc = deadline_bounds(s, id, row, &lo, &hi, &extended, err);
	if (rc != XF_OK)
		return rc;
	char first[11], last[11], why[160];
	date_format(lo, first);
	date_format(hi, last);
	if (str_empty(typed)) {
		snprintf(out, 11, "%s", last);
		return XF_OK;
	}
	struct xf_err derr;
	if (date_parse(typed, &day, &derr) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "办理期限：%s", derr.msg);
	if (day >= lo && day <= hi) {
		date_format(day, out);
		return XF_OK;
	}
	ceiling_reason(s, row, extended, why, sizeof why);
	if (lo == hi && hi < clock_today())
		return xf_err_set(err, XF_EINVAL,
		                  "办理期限“%s”不行：周限已于 %s%s届满，办理期限只能是 %s；要更多时间须在期限届满前申请延期",
		                  typed, last, why, last);
	if (day < lo)
		return xf_err_set(err, XF_EINVAL, "办理期限“%s”早于今天（转办当日 %s）：请填 %s 至 %s 之间的日期", typed,
		                  first, first, last);
	return xf_err_set(err, XF_EINVAL, "办理期限“%s”晚于周限 %s%s：请填 %s 至 %s 之间的日期；要更长须申请延期并经批准",
	                  typed, last, why, first, last);
}

/* The dates the 转办单's 办理期限 may take for a case, for the form. */
int case_transfer_deadline(struct xf_session *s, int64_t id, char earliest[11], char latest[11], struct xf_err *err)
{
	struct xf_fields row;
	int rc = store_get(s->st, "cases", id, &row, err);
	if (rc == XF_ENOTFOUND)
		return xf_err_set(err, XF_ENOTFOUND, "没有这件信访事项");
	if (rc == XF_OK && (rc = branch_case_visible(s, &row, err)) != XF_OK)
		fields_free(&row);
	if (rc != XF_OK)
		return rc;
	int lo, hi;
	bool extended;
	rc = deadline_bounds(s, id, &row, &lo, &hi, &extended, err);
	if (rc == XF_OK) {
		date_format(lo, earliest);
		date_format(hi, latest);
	}
	fields_free(&row);
	return rc;
}

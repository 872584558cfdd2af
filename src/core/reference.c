/* Reference lists and calendar coverage for the admin. */
#include "xinfang/reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"

/* Category groups: stored key and what people call it. */
static const char *const groups[][2] = {
	{"general", "一般投诉"}, {"complex", "复杂投诉"}, {"crime", "金融犯罪"}, {"anonymous", "匿名投诉"}, {"other", "其他"},
};
static const char *const kinds[] = {"投诉", "建议", "咨询", "表扬"};

/* The group's label by key, or the key. */
static const char *group_label(const char *key)
{
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(groups[i][0], key) == 0)
			return groups[i][1];
	return key;
}

/* The group's key from its label or key; NULL when unknown. */
static const char *group_key(const char *s)
{
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(groups[i][0], s) == 0 || strcmp(groups[i][1], s) == 0)
			return groups[i][0];
	return NULL;
}

/* True for the three lists. */
static bool known_list(const char *list)
{
	return strcmp(list, "departments") == 0 || strcmp(list, "categories") == 0 || strcmp(list, "channels") == 0;
}

/* Keeps of a list's rows those the session's branch has: departments belong to a branch
 * (channels and categories to the whole store). */
static void own_rows(struct xf_session *s, const char *list, struct xf_rows *rows)
{
	if (strcmp(list, "departments") != 0)
		return;
	size_t kept = 0;
	for (size_t i = 0; i < rows->n; i++) {
		if (branch_of_row(&rows->v[i]) == s->op.branch)
			rows->v[kept++] = rows->v[i];
		else
			fields_free(&rows->v[i]);
	}
	rows->n = kept;
}

/* The lists as people read them (departments: the account's branch's). */
int reference_list(struct xf_session *s, const char *list, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	if (!known_list(list))
		return xf_err_set(err, XF_EINVAL, "没有“%s”这个清单：可选 承办部门、信访类别、来源渠道", list);
	struct xf_rows rows;
	int rc = store_list(s->st, list, NULL, NULL, &rows, err);
	if (rc != XF_OK)
		return rc;
	own_rows(s, list, &rows);
	out->v = xcalloc(rows.n + 1, sizeof *out->v);
	for (size_t i = 0; i < rows.n; i++) {
		const struct xf_fields *r = &rows.v[i];
		struct xf_fields *f = &out->v[out->n++];
		fields_init(f);
		fields_add(f, "name", fields_str(r, "name"));
		if (strcmp(list, "departments") == 0) {
			fields_add(f, "note", fields_str(r, "note"));
			fields_add(f, "active", strcmp(fields_str(r, "active"), "0") == 0 ? "停用" : "在用");
		} else if (strcmp(list, "categories") == 0) {
			fields_add(f, "kind", fields_str(r, "kind"));
			fields_add(f, "group", group_label(fields_str(r, "grp")));
			fields_add(f, "department", fields_str(r, "department"));
		} else {
			fields_add(f, "important", strcmp(fields_str(r, "important"), "1") == 0 ? "重要" : "一般");
		}
	}
	rows_free(&rows);
	return XF_OK;
}

/* Turns entered values into the table's columns, checking each. */
static int columns_of(struct xf_session *s, const char *list, const struct xf_fields *in, bool adding,
                      struct xf_fields *cols, struct xf_err *err)
{
	for (size_t i = 0; i < in->n; i++) {
		const char *k = in->v[i].key, *v = in->v[i].val;
		int rc = field_check_text(v, k, 200, false, err);
		if (rc != XF_OK)
			return rc;
		if (strcmp(k, "name") == 0 && adding) {
			if (str_empty(v))
				return xf_err_set(err, XF_EINVAL, "请填写名称");
			if ((rc = field_check_text(v, "名称", 20, false, err)) != XF_OK)
				return rc;
			fields_set(cols, "name", v);
		} else if (strcmp(list, "departments") == 0 && strcmp(k, "note") == 0) {
			fields_set(cols, "note", v);
		} else if (strcmp(list, "departments") == 0 && strcmp(k, "active") == 0 && !adding) {
			if (strcmp(v, "在用") != 0 && strcmp(v, "停用") != 0)
				return xf_err_set(err, XF_EINVAL, "状态应为“在用”或“停用”");
			fields_set(cols, "active", strcmp(v, "停用") == 0 ? "0" : "1");
		} else if (strcmp(list, "categories") == 0 && strcmp(k, "kind") == 0) {
			bool ok = false;
			for (size_t j = 0; j < sizeof kinds / sizeof kinds[0]; j++)
				ok = ok || strcmp(kinds[j], v) == 0;
			if (!ok)
				return xf_err_set(err, XF_EINVAL, "性质应为 投诉、建议、咨询 或 表扬");
			fields_set(cols, "kind", v);
		} else if (strcmp(list, "categories") == 0 && strcmp(k, "group") == 0) {
			const char *g = group_key(v);
			if (g == NULL)
				return xf_err_set(err, XF_EINVAL, "分组应为 一般投诉、复杂投诉、金融犯罪、匿名投诉 或 其他");
			fields_set(cols, "grp", g);
		} else if (strcmp(list, "categories") == 0 && strcmp(k, "department") == 0) {
			if (*v) {
				struct xf_rows d;
				if ((rc = store_list(s->st, "departments", "name", v, &d, err)) != XF_OK)
					return rc;
				bool found = d.n > 0;
				rows_free(&d);
				if (!found)
					return xf_err_set(err, XF_EINVAL, "没有承办部门“%s”：请先在承办部门清单中添加", v);
			}
			fields_set(cols, "department", v);
		} else if (strcmp(list, "channels") == 0 && strcmp(k, "important") == 0) {
			if (strcmp(v, "重要") != 0 && strcmp(v, "一般") != 0)
				return xf_err_set(err, XF_EINVAL, "重要程度应为“重要”或“一般”");
			fields_set(cols, "important", strcmp(v, "重要") == 0 ? "1" : "0");
		} else if (strcmp(k, "name") != 0) {
			return xf_err_set(err, XF_EINVAL, "这个清单不能修改“%s”", k);
		}
	}
	if (adding && strcmp(list, "categories") == 0 && (!fields_has(cols, "kind") || !fields_has(cols, "grp")))
		return xf_err_set(err, XF_EINVAL, "新类别须填写性质和分组");
	return XF_OK;
}

/* Gives a new entry of a list kept in order (channels, categories) the place after the last,
 * so it is listed last on either backend. */
static int next_ord(struct xf_session *s, const char *list, struct xf_fields *cols, struct xf_err *err)
{
	struct xf_rows all;
	int rc = store_list(s->st, list, NULL, NULL, &all, err);
	if (rc != XF_OK)
		return rc;
	long last = 0;
	for (size_t i = 0; i < all.n; i++)
		if (atol(fields_str(&all.v[i], "ord")) > last)
			last = atol(fields_str(&all.v[i], "ord"));
	rows_free(&all);
	char buf[24];
	snprintf(buf, sizeof buf, "%ld", last + 1);
	fields_set(cols, "ord", buf);
	return XF_OK;
}

/* Writes the change and its audit record in one transaction. */
static int save(struct xf_session *s, const char *list, const char *name, struct xf_fields *cols, bool adding,
                struct xf_err *err)
{
	int rc = session_begin(s, err);
	if (rc != XF_OK)
		return rc;
	struct xf_rows before = {NULL, 0};
	rc = store_list(s->st, list, "name", name, &before, err);
	if (rc == XF_OK)
		own_rows(s, list, &before);
	if (rc == XF_OK && adding && before.n > 0)
		rc = xf_err_set(err, XF_EEXIST, "已有“%s”，不能重复添加", name);
	if (rc == XF_OK && !adding && before.n == 0)
		rc = xf_err_set(err, XF_ENOTFOUND, "没有“%s”这一项", name);
	if (rc == XF_OK && adding && strcmp(list, "departments") != 0)
		rc = next_ord(s, list, cols, err);
	/* A department belongs to the branch of the admin who adds it (the own branch: the default). */
	if (rc == XF_OK && adding && strcmp(list, "departments") == 0 && s->op.branch != XF_BRANCH_OWN) {
		char branch[24];
		snprintf(branch, sizeof branch, "%lld", (long long)s->op.branch);
		fields_set(cols, "branch", branch);
	}
	/* a department is changed in its own branch only: other branches may have one of that name */
	if (rc == XF_OK && adding)
		rc = store_insert(s->st, list, cols, NULL, err);
	else if (rc == XF_OK && strcmp(list, "departments") == 0)
		rc = store_update(s->st, list, atoll(fields_str(&before.v[0], "id")), cols, 0, err);
	else if (rc == XF_OK)
		rc = store_update_named(s->st, list, name, cols, err);
	if (rc == XF_OK) {
		fields_set(cols, "list", list);
		fields_set(cols, "name", name);
		char *b = audit_json(before.n ? &before.v[0] : NULL), *a = audit_json(cols);
		rc = store_audit(s->st, s->op.name, adding ? "reference_add" : "reference_edit", 0, b, a, err);
		free(b);
		free(a);
	}
	rows_free(&before);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	return rc;
}

/* Adds an entry. */
int reference_add(struct xf_session *s, const char *list, const struct xf_fields *in, struct xf_err *err)
{
	if (!auth_require(s, 0, "修改基础清单", err))
		return err->code;
	if (!known_list(list))
		return xf_err_set(err, XF_EINVAL, "没有“%s”这个清单", list);
	if (strcmp(list, "departments") != 0 && branch_require_whole(s, "修改来源渠道和类别清单", err) != XF_OK)
		return err->code; /* channels and categories are every branch's: importance, limits */
	struct xf_fields cols;
	fields_init(&cols);
	int rc = columns_of(s, list, in, true, &cols, err);
	if (rc == XF_OK && !fields_has(&cols, "name"))
		rc = xf_err_set(err, XF_EINVAL, "请填写名称");
	if (rc == XF_OK) {
		char *name = xstrdup(fields_str(&cols, "name"));
		rc = save(s, list, name, &cols, true, err);
		free(name);
	}
	fields_free(&cols);
	return rc;
}

/* Changes an entry. */
int reference_edit(struct xf_session *s, const char *list, const char *name, const struct xf_fields *in,
                   struct xf_err *err)
{
	if (!auth_require(s, 0, "修改基础清单", err))
		return err->code;
	if (!known_list(list))
		return xf_err_set(err, XF_EINVAL, "没有“%s”这个清单", list);
	if (strcmp(list, "departments") != 0 && branch_require_whole(s, "修改来源渠道和类别清单", err) != XF_OK)
		return err->code; /* channels and categories are every branch's: importance, limits */
	struct xf_fields cols;
	fields_init(&cols);
	int rc = columns_of(s, list, in, false, &cols, err);
	if (rc == XF_OK && cols.n == 0)
		rc = xf_err_set(err, XF_EINVAL, "没有要修改的内容");
	if (rc == XF_OK)
		rc = save(s, list, name, &cols, false, err);
	fields_free(&cols);
	return rc;
}

/* Calendar years and coverage warnings. */
int reference_calendar(struct xf_session *s, struct xf_rows *years, struct xf_fields *warnings, struct xf_err *err)
{
	fields_init(warnings);
	years->v = NULL;
	years->n = 0;
	struct xf_rows rows, days, estimated;
	int rc = store_list(s->st, "calendar_years", NULL, NULL, &rows, err);
	if (rc != XF_OK)
		return rc;
	if ((rc = store_list(s->st, "calendar_days", NULL, NULL, &days, err)) != XF_OK) {
		rows_free(&rows);
		return rc;
	}
	if ((rc = store_list(s->st, "cases", "due_estimated", "1", &estimated, err)) != XF_OK) {
		rows_free(&rows);
		rows_free(&days);
		return rc;
	}
	int today = clock_today(), this_year = date_year(today);
	bool have_this = false, have_next = false;
	years->v = xcalloc(rows.n + 1, sizeof *years->v);
	for (size_t i = 0; i < rows.n; i++) {
		const char *y = fields_str(&rows.v[i], "year");
		long n = 0;
		for (size_t d = 0; d < days.n; d++)
			n += strncmp(fields_str(&days.v[d], "day"), y, 4) == 0;
		char count[24];
		snprintf(count, sizeof count, "%ld", n);
		struct xf_fields *f = &years->v[years->n++];
		fields_init(f);
		fields_add(f, "year", y);
		fields_add(f, "source", fields_str(&rows.v[i], "source"));
		fields_add(f, "loaded_at", fields_str(&rows.v[i], "loaded_at"));
		fields_add(f, "days", count);
		have_this = have_this || atoi(y) == this_year;
		have_next = have_next || atoi(y) == this_year + 1;
	}
	int n = 0;
	char key[8], msg[400];
	if (!have_this) {
		snprintf(msg, sizeof msg, "今年（%d 年）的节假日日历没有导入：时限只能推算，请尽快导入国务院办公厅的放假通知", this_year);
		snprintf(key, sizeof key, "%d", ++n);
		fields_add(warnings, key, msg);
	}
	int dec1;
	char iso[11];
	snprintf(iso, sizeof iso, "%04d-11-01", this_year);
	if (!have_next && date_parse(iso, &dec1, NULL) == XF_OK && today >= dec1) {
		snprintf(msg, sizeof msg, "%d 年的节假日日历尚未导入：通知一般在 11 月发布，请在年底前导入；期限落在 %d 年的事项暂按推算",
		         this_year + 1, this_year + 1);
		snprintf(key, sizeof key, "%d", ++n);
		fields_add(warnings, key, msg);
	}
	if (estimated.n > 0) {
		snprintf(msg, sizeof msg, "%zu 件事项的时限是推算的（缺少当年的日历），导入日历后自动重算", estimated.n);
		snprintf(key, sizeof key, "%d", ++n);
		fields_add(warnings, key, msg);
	}
	rows_free(&rows);
	rows_free(&days);
	rows_free(&estimated);
	return XF_OK;
}

/* Drafts, the queue, choice lists and change detection for the screens. */
#include "xinfang/desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/casefile.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/identity.h"
#include "xinfang/jrt.h"
#include "xinfang/text.h"

/* Saves the draft. */
int desk_draft_save(struct xf_session *s, const char *form, const struct xf_fields *values, struct xf_err *err)
{
	char *json = audit_json(values);
	char now[20];
	clock_now_iso(now);
	int rc = store_draft_put(s->st, s->op.name, form, json, now, err);
	free(json);
	return rc;
}

/* Loads the draft. */
int desk_draft_load(struct xf_session *s, const char *form, struct xf_fields *values, char at[20], bool *found,
                    struct xf_err *err)
{
	return store_draft_get(s->st, s->op.name, form, values, at, found, err);
}

/* Drops the draft. */
int desk_draft_discard(struct xf_session *s, const char *form, struct xf_err *err)
{
	return store_draft_drop(s->st, s->op.name, form, err);
}

/* Days left of a queue row: to the transfer limit, or for an extension request to the limit
 * it would move (it must be decided before that runs out). */
static int queue_days_left(const struct xf_fields *row, int today)
{
	int due = today;
	const char *date = *fields_str(row, "extension") ? fields_str(row, "ext_old_due") : fields_str(row, "due_transfer");
	date_parse(date, &due, NULL);
	return due - today;
}

/* Most urgent first; an extension request before a new item due the same day. */
static int by_urgency(const void *a, const void *b)
{
	const struct xf_fields *x = a, *y = b;
	int dx = atoi(fields_str(x, "days_left")), dy = atoi(fields_str(y, "days_left"));
	if (dx != dy)
		return dx < dy ? -1 : 1;
	int sx = atoi(fields_str(x, "sect")), sy = atoi(fields_str(y, "sect"));
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return strcmp(fields_str(x, "number"), fields_str(y, "number"));
}

/* The queue, new items and extension requests together by urgency. */
int desk_queue(struct xf_session *s, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	if (!auth_require(s, XF_MAY(XF_ROLE_HEAD) | XF_MAY(XF_ROLE_OPERATOR), "查看待批队列", err))
		return err->code;
	struct xf_reach reach;
	branch_reach(s, &reach);
	int rc = store_queue(s->st, &reach, 500, out, err);
	int today = clock_today();
	for (size_t i = 0; rc == XF_OK && i < out->n; i++) {
		struct xf_fields *r = &out->v[i];
		char left[16];
		snprintf(left, sizeof left, "%d", queue_days_left(r, today));
		fields_set(r, "days_left", left);
		if (*fields_str(r, "extension")) {
			fields_set(r, "ext_limit", strcmp(fields_str(r, "ext_limit"), "reply") == 0 ? "月限" : "周限");
			char asked[11];
			snprintf(asked, sizeof asked, "%.10s", fields_str(r, "ext_at"));
			fields_set(r, "ext_at", asked);
			char who[160];
			casefile_operator_label(s, fields_str(r, "ext_by"), who, sizeof who);
			fields_set(r, "ext_by", who);
		}
	}
	if (rc == XF_OK && out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, by_urgency);
	return rc;
}

/* Choice lists. */
int desk_choices(struct xf_session *s, const char *list, struct xf_fields *out, struct xf_err *err)
{
	fields_init(out);
	static const struct {
		const char *list;
		const char *items[9];
	} fixed[] = {
		{"genders", {"男", "女", NULL}},
		{"importance", {"一般", "重要", NULL}},
		{"states", {"待批", "已转办", "已报结", "已答复", "已结案", NULL}},
		{"satisfaction", {"满意", "基本满意", "不满意", "未表态", NULL}},
		{"reply_methods", {"口头", "书面", NULL}},
		{"yesno", {"否", "是", NULL}},
		{"limits", {"周限", "月限", NULL}},
		{"decisions", {"同意", "不同意", NULL}},
		{"print_dests", {"打印机", "文件", NULL}},
		{"print_dests_terminal", {"打印机", "文件", "终端打印机", NULL}},
		{"print_formats", {"PDF", "文本", NULL}},
		{"encodings", {"GB18030", "UTF-8", NULL}},
		{"category_kinds", {"投诉", "建议", "咨询", "表扬", NULL}},
		{"category_groups", {"一般投诉", "复杂投诉", "金融犯罪", "匿名投诉", "其他", NULL}},
		{"channel_levels", {"一般", "重要", NULL}},
		{"department_states", {"在用", "停用", NULL}},
		{"roles", {"接待员", "办公室主任", "经办人", "管理员", NULL}},
		{"id_types",
		 {"居民身份证", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "港澳台居民居住证", "外国人永久居留身份证", "护照",
		  "统一社会信用代码", "其他"}},
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		if (strcmp(fixed[i].list, list) != 0)
			continue;
		for (int k = 0; fixed[i].items[k]; k++)
			fields_set(out, fixed[i].items[k], fixed[i].items[k]);
		return XF_OK;
	}
	if (jrt_axis_of(list) != NULL)
		return jrt_choices(s->st, jrt_axis_of(list), out, err);
	if (strcmp(list, "channels") != 0 && strcmp(list, "categories") != 0 && strcmp(list, "departments") != 0)
		return xf_err_set(err, XF_EINVAL, "没有“%s”这个选择清单", list);
	struct xf_rows rows;
	int rc = store_list(s->st, list, NULL, NULL, &rows, err);
	if (rc != XF_OK)
		return rc;
	for (size_t i = 0; i < rows.n; i++) {
		const char *name = fields_str(&rows.v[i], "name");
		/* the departments offered are those of the operator's own branch, in use */
		if (strcmp(list, "departments") == 0 &&
		    (strcmp(fields_str(&rows.v[i], "active"), "0") == 0 || branch_of_row(&rows.v[i]) != s->op.branch))
			continue;
		fields_set(out, name, name);
	}
	rows_free(&rows);
	return XF_OK;
}

/* Checks a value as its field is left. */
int desk_check_value(struct xf_session *s, const struct xf_formfield *fd, const char *value, char **normalized,
                     struct xf_err *err)
{
	if (normalized)
		*normalized = NULL;
	if (str_empty(value)) {
		if (normalized)
			*normalized = xstrdup("");
		return XF_OK;
	}
	struct xf_fielddef def = {fd->key, fd->label, fd->type, fd->max, fd->list[0] ? fd->list : NULL};
	if (def.width == 0)
		def.width = fd->type == XF_F_INT ? 100000000 : 0;
	char *out = NULL;
	int rc = field_normalize(&def, value, &out, err);
	if (rc == XF_OK && fd->type == XF_F_CHOICE) {
		struct xf_fields choices;
		rc = desk_choices(s, fd->list, &choices, err);
		if (rc == XF_OK && fields_get(&choices, value) == NULL) {
			struct xf_buf names;
			buf_init(&names);
			for (size_t i = 0; i < choices.n; i++)
				buf_printf(&names, "%s%s", i ? "、" : "", choices.v[i].key);
			char shown[XF_CLIP_SIZE];
			rc = xf_err_set(err, XF_EINVAL, "%s“%s”不在清单中：可选 %s（空格键或 F3 选择）", fd->label,
			                text_clip(value, 40, shown, sizeof shown), names.data);
			buf_free(&names);
		}
		if (rc == XF_OK || rc == XF_EINVAL)
			fields_free(&choices);
	}
	if (rc == XF_OK && normalized)
		*normalized = out;
	else
		free(out);
	return rc;
}

/* Checks a field knowing the form's other values. */
int desk_check_in_form(struct xf_session *s, const struct xf_formfield *fd, const struct xf_fields *values,
                       char **normalized, struct xf_err *err)
{
	const char *value = fields_str(values, fd->key);
	if (fd->type == XF_F_DATETIME && strcmp(fd->key, "received") == 0 && !str_empty(value)) {
		/* The receipt date: its shape, then not after today (said here, not only at F2). */
		char *norm = NULL;
		int rc = desk_check_value(s, fd, value, &norm, err);
		if (rc == XF_OK)
			rc = case_check_received(s, norm, err);
		if (rc == XF_OK && normalized)
			*normalized = norm;
		else
			free(norm);
		return rc;
	}
	if (fd->type != XF_F_IDNUM || str_empty(value))
		return desk_check_value(s, fd, value, normalized, err);
	int type = identity_type_parse(fields_str(values, "id_type"));
	if (type < 0)
		type = XF_ID_RESIDENT;
	char *norm = NULL;
	int rc = identity_check((enum xf_idtype)type, value, fd->label, NULL, &norm, err);
	if (normalized)
		*normalized = norm;
	else
		free(norm);
	return rc;
}

/* The category's default lead department. */
void desk_default_department(struct xf_session *s, const char *category, char out[64])
{
	out[0] = '\0';
	struct xf_rows rows;
	if (store_list(s->st, "categories", "name", category, &rows, NULL) != XF_OK)
		return;
	if (rows.n)
		snprintf(out, 64, "%s", fields_str(&rows.v[0], "department"));
	rows_free(&rows);
}

/* Other desks' commits through the store. */
int desk_store_version(struct xf_session *s, int64_t *version)
{
	return store_data_version(s->st, version, NULL);
}

/* Other desks' commits, and a lost connection said. */
int desk_store_watch(struct xf_session *s, int64_t *version, struct xf_err *err)
{
	return store_data_version(s->st, version, err);
}

/* The store's descriptor for other desks' commits, or -1. */
int desk_notify_fd(struct xf_session *s)
{
	return store_notify_fd(s->st);
}

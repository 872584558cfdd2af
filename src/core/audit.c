/* Audit records: JSON snapshots of changes, and reading a case's history. */
#include "xinfang/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/auth.h"
#include "xinfang/case.h"

/* Appends s as a JSON string literal. */
static void json_string(struct xf_buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else if (*p == '\t')
			buf_puts(b, "\\t");
		else if (*p < 0x20)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_add(b, (const char *)p, 1);
	}
	buf_puts(b, "\"");
}

/* Appends "key":"value" with a separator when needed. */
static void json_member(struct xf_buf *b, const char *key, const char *val)
{
	if (b->len > 1)
		buf_puts(b, ",");
	json_string(b, key);
	buf_puts(b, ":");
	json_string(b, val);
}

/* Fields as a JSON object. */
char *audit_json(const struct xf_fields *f)
{
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "{");
	for (size_t i = 0; f && i < f->n; i++)
		json_member(&b, f->v[i].key, f->v[i].val);
	buf_puts(&b, "}");
	return b.data;
}

/* Before/after JSON of a change. */
void audit_diff(const struct xf_fields *row, const struct xf_fields *changes, const struct xf_fields *record,
                char **before_json, char **after_json)
{
	struct xf_buf before, after;
	buf_init(&before);
	buf_init(&after);
	buf_puts(&before, "{");
	buf_puts(&after, "{");
	for (size_t i = 0; changes && i < changes->n; i++) {
		const char *old = row ? fields_str(row, changes->v[i].key) : "";
		if (row && strcmp(old, changes->v[i].val) == 0)
			continue;
		if (row)
			json_member(&before, changes->v[i].key, old);
		json_member(&after, changes->v[i].key, changes->v[i].val);
	}
	if (record != NULL && record->n > 0) {
		char *rec = audit_json(record);
		if (after.len > 1)
			buf_puts(&after, ",");
		buf_puts(&after, "\"record\":");
		buf_puts(&after, rec);
		free(rec);
	}
	buf_puts(&before, "}");
	buf_puts(&after, "}");
	*before_json = before.data;
	*after_json = after.data;
}

/* Chinese names of the actions. */
const char *audit_action_label(const char *action)
{
	static const char *const names[][2] = {
		{"register", "登记"},       {"edit", "更正"},        {"login_failed", "登录失败"},
		{"user_add", "添加用户"},   {"init", "初始化"},      {"calendar_load", "导入日历"},
		{"ruleset_use", "切换时限规则"}, {"print", "打印"},
		{"write", "数据变更"},     {"seal", "封存"},        {"restore", "从备份恢复"},
		{"import", "台账导入"},     {"import_file", "导入台账文件"},
		{"hand_over", "交办"},      {"take_over", "提级办理"}, {"hand_up", "上报"},
		{"supervise", "督办"},      {"supervise_answer", "答复督办"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], action) == 0)
			return names[i][1];
	const struct xf_move_def *m = case_move_def(action);
	return m ? m->label : action;
}

/* A case's audit records that belong to the chain (numbered 1 and up), oldest first. */
int audit_case_records(struct xf_store *st, int64_t case_id, struct xf_rows *out, struct xf_err *err)
{
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)case_id);
	int rc = store_list(st, "audit", "case_id", id, out, err);
	if (rc != XF_OK)
		return rc;
	/* A record numbered below 1 is outside the chain (verify names it): not the case's history. */
	size_t kept = 0;
	for (size_t i = 0; i < out->n; i++) {
		if (atoll(fields_str(&out->v[i], "id")) >= 1)
			out->v[kept++] = out->v[i];
		else
			fields_free(&out->v[i]);
	}
	out->n = kept;
	return XF_OK;
}

/* The history of a case (handlers only for their department's cases). */
int audit_case_history(struct xf_session *s, int64_t case_id, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	/* The history holds every value ever typed, identity included: the office only. */
	if (!auth_require(s, XF_MAY(XF_ROLE_OPERATOR) | XF_MAY(XF_ROLE_HEAD), "查看办理经过", err))
		return err->code;
	struct xf_fields view;
	int rc = case_view(s, case_id, &view, err);
	fields_free(&view);
	if (rc != XF_OK)
		return rc;
	return audit_case_records(s->st, case_id, out, err);
}

/* The case file: the records of a case and its history, labelled for people. */
#include "xinfang/casefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/case.h"
#include "xinfang/field.h"
#include "xinfang/mask.h"
#include "xinfang/print.h"
#include "xinfang/text.h"

/* A record column and its label; value kinds: 0 text, 1 yes/no (1/0), 2 operator login,
 * 3 limit kind, 4 extension decision. */
struct column_label {
	const char *column;
	const char *label;
	int kind;
};

/* One side table: its records' title and labelled columns. */
struct record_table {
	const char *table;
	const char *title;
	struct column_label cols[10];
};

static const struct record_table record_tables[] = {
	{"instructions", "领导批示", {{"given_on", "批示日期", 0}, {"leader", "批示领导", 0}, {"text", "批示内容", 0}}},
	{"transfers",
	 "批转（信访转办单）",
	 {{"transfer_date", "转办日期", 0},
	  {"department", "主办部门", 0},
	  {"co_departments", "协办部门", 0},
	  {"deadline", "办理期限", 0},
	  {"handler", "承办人", 0},
	  {"leader", "批示领导", 0},
	  {"instruction", "领导批示", 0},
	  {"opinion", "办公室意见", 0},
	  {"summary", "信访事项摘要", 0},
	  {"masked", "转办单隐去信访人身份", 1}}},
	{"returns", "退回", {{"returned_on", "退回日期", 0}, {"department", "退回部门", 0}, {"reason", "退回理由", 0}}},
	{"outcomes",
	 "报结（处理结果报告单）",
	 {{"handled_on", "办理日期", 0},
	  {"handler", "经办人", 0},
	  {"dept_head", "部门负责人", 0},
	  {"contact_phone", "联系电话", 0},
	  {"satisfaction", "信访人满意程度", 0},
	  {"findings", "调查核实情况", 0},
	  {"accountability", "责任人员处理情况", 0},
	  {"rectification", "整改措施", 0}}},
	{"replies", "答复", {{"replied_on", "答复日期", 0}, {"method", "答复方式", 0}, {"content", "答复内容", 0}}},
	{"extensions",
	 "延期申请",
	 {{"limit_kind", "延期的时限", 3},
	  {"old_due", "原期限", 0},
	  {"new_due", "申请延至", 0},
	  {"reason", "延期理由", 0},
	  {"decision", "审批意见", 4},
	  {"decided_by", "审批人", 2},
	  {"decided_at", "审批时间", 0}}},
	{"urgings", "催办", {{"urged_on", "催办日期", 0}, {"target", "催办对象", 0}, {"method", "催办方式", 0}, {"note", "催办内容", 0}}},
	{"materials", "补充材料", {{"received_on", "收到日期", 0}, {"copies", "份数", 0}, {"description", "材料内容", 0}}},
	{"closures", NULL, {{"voluntary", "是否自愿撤诉", 0}, {"reason", NULL, 0}, {"advice", "告知的途径和建议", 0}}},
	/* Between branches (supervise.c): the number a case had before, and the head office's urging. */
	{"branch_moves", "机构间移交", {{"kind", "方式", 5}, {"from_number", "原编号", 0}, {"to_number", "新编号", 0}, {"remark", "说明", 0}}},
	{"supervisions",
	 "督办",
	 {{"deadline", "督办期限", 0},
	  {"request", "督办要求", 0},
	  {"answered_at", "答复时间", 0},
	  {"answer", "办理情况", 0},
	  {"answered_by", "答复人", 2}}},
};

/* Looks an operator up in the loaded list: "姓名（角色）". */
static void operator_label(const struct xf_rows *ops, const char *login, char *out, size_t n)
{
	for (size_t i = 0; ops && i < ops->n; i++)
		if (strcmp(fields_str(&ops->v[i], "name"), login) == 0) {
			const char *full = fields_str(&ops->v[i], "full_name");
			int role = auth_role_parse(fields_str(&ops->v[i], "role"));
			snprintf(out, n, "%s（%s）", *full ? full : login, role >= 0 ? auth_role_label((enum xf_role)role) : "");
			return;
		}
	snprintf(out, n, "%s", login);
}

/* "姓名（角色）" by login name. */
void casefile_operator_label(struct xf_session *s, const char *login, char *out, size_t n)
{
	struct xf_rows ops;
	if (store_list(s->st, "operators", "name", login, &ops, NULL) != XF_OK) {
		snprintf(out, n, "%s", login);
		return;
	}
	operator_label(&ops, login, out, n);
	rows_free(&ops);
}

/* A record's value as people read it. */
static const char *value_text(const struct xf_rows *ops, int kind, const char *v, char *buf, size_t n)
{
	switch (kind) {
	case 1: return strcmp(v, "1") == 0 ? "是" : "";
	case 2: operator_label(ops, v, buf, n); return buf;
	case 3: return strcmp(v, "reply") == 0 ? "月限" : "周限";
	case 4: return strcmp(v, "approved") == 0 ? "同意" : strcmp(v, "denied") == 0 ? "不同意" : "待审批";
	case 5: return strcmp(v, "hand_over") == 0 ? "交办" : strcmp(v, "take_over") == 0 ? "提级办理"
	             : strcmp(v, "hand_up") == 0 ? "上报" : v;
	default: return v;
	}
}

/* The label of a closure's reason by its kind. */
static const char *closure_reason_label(const char *kind)
{
	if (strcmp(kind, "撤诉") == 0)
		return "撤诉理由";
	if (strcmp(kind, "不予受理") == 0)
		return "不予受理理由";
	if (strcmp(kind, "当场答复") == 0)
		return "当场答复内容";
	return "结案说明";
}

/* Starts a record row with its meta keys. */
static struct xf_fields *new_record(struct xf_rows *out, size_t *cap, const char *title, const char *at,
                                    const char *who)
{
	if (out->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		out->v = xrealloc(out->v, *cap * sizeof *out->v);
	}
	struct xf_fields *f = &out->v[out->n++];
	fields_init(f);
	fields_add(f, "#title", title);
	char minute[17];
	snprintf(minute, sizeof minute, "%.16s", at);
	fields_add(f, "#at", minute);
	fields_add(f, "#who", who);
	return f;
}

/* Adds the links of a case in one direction. */
static int add_links(struct xf_session *s, const char *cid, bool incoming, const struct xf_rows *ops,
                     struct xf_rows *out, size_t *cap, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(s->st, "links", incoming ? "linked_id" : "case_id", cid, &rows, err);
	for (size_t i = 0; rc == XF_OK && i < rows.n; i++) {
		const struct xf_fields *r = &rows.v[i];
		struct xf_fields other;
		if (store_get(s->st, "cases", atoll(fields_str(r, incoming ? "case_id" : "linked_id")), &other, NULL) != XF_OK)
			continue;
		/* a linked case out of the reader's reach is not there for them */
		if (branch_case_visible(s, &other, NULL) != XF_OK) {
			fields_free(&other);
			continue;
		}
		char who[160];
		operator_label(ops, fields_str(r, "actor"), who, sizeof who);
		struct xf_fields *f = new_record(out, cap, incoming ? "被关联为重复信访" : "关联重复信访",
		                                 fields_str(r, "at"), who);
		fields_add(f, "#number", fields_str(&other, "number"));
		fields_add(f, incoming ? "关联自" : "关联到", fields_str(&other, "number"));
		if (*fields_str(r, "note"))
			fields_add(f, "说明", fields_str(r, "note"));
		fields_free(&other);
	}
	if (rc == XF_OK)
		rows_free(&rows);
	return rc;
}

/* Orders records by time, keeping the table order for the same minute. */
static int by_time(const void *a, const void *b)
{
	const struct xf_fields *x = a, *y = b;
	int c = strcmp(fields_str(x, "#sort"), fields_str(y, "#sort"));
	return c;
}

/* Every record of a case. */
int casefile_records(struct xf_session *s, int64_t id, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_fields view;
	int rc = case_view(s, id, &view, err); /* access: a handler's own department only */
	if (rc != XF_OK)
		return rc;
	fields_free(&view);
	struct xf_rows ops;
	if ((rc = store_list(s->st, "operators", NULL, NULL, &ops, err)) != XF_OK)
		return rc;
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	size_t cap = 0;
	for (size_t t = 0; rc == XF_OK && t < sizeof record_tables / sizeof record_tables[0]; t++) {
		const struct record_table *tb = &record_tables[t];
		struct xf_rows rows;
		if ((rc = store_list(s->st, tb->table, "case_id", cid, &rows, err)) != XF_OK)
			break;
		for (size_t i = 0; i < rows.n; i++) {
			const struct xf_fields *r = &rows.v[i];
			char who[160], title[64];
			operator_label(&ops, fields_str(r, "actor"), who, sizeof who);
			if (tb->title)
				snprintf(title, sizeof title, "%s", tb->title);
			else if (strcmp(fields_str(r, "kind"), "办结") == 0)
				snprintf(title, sizeof title, "结案（办结）");
			else
				snprintf(title, sizeof title, "%s（结案）", fields_str(r, "kind"));
			struct xf_fields *f = new_record(out, &cap, title, fields_str(r, "at"), who);
			for (size_t c = 0; c < sizeof tb->cols / sizeof tb->cols[0] && tb->cols[c].column; c++) {
				const char *v = fields_str(r, tb->cols[c].column);
				char buf[160];
				v = value_text(&ops, tb->cols[c].kind, v, buf, sizeof buf);
				if (!*v)
					continue;
				const char *label = tb->cols[c].label ? tb->cols[c].label : closure_reason_label(fields_str(r, "kind"));
				fields_add(f, label, v);
			}
		}
		rows_free(&rows);
	}
	if (rc == XF_OK)
		rc = add_links(s, cid, false, &ops, out, &cap, err);
	if (rc == XF_OK)
		rc = add_links(s, cid, true, &ops, out, &cap, err);
	rows_free(&ops);
	if (rc != XF_OK) {
		rows_free(out);
		return rc;
	}
	/* Oldest first: by the time recorded, then in the order read (a stable sort key). */
	for (size_t i = 0; i < out->n; i++) {
		char key[48];
		snprintf(key, sizeof key, "%s#%06zu", fields_str(&out->v[i], "#at"), i);
		fields_set(&out->v[i], "#sort", key);
	}
	if (out->n > 0)
		qsort(out->v, out->n, sizeof *out->v, by_time);
	/* The records' texts may name the petitioner: the mask decides what this reader sees. */
	if ((rc = mask_rows_of_case(s, id, out, err)) != XF_OK)
		rows_free(out);
	return rc;
}

/* Skips JSON white space. */
static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* Reads a JSON string at p (at its quote) into b; returns the position after it, or NULL. */
static const char *json_str(const char *p, struct xf_buf *b)
{
	if (*p != '"')
		return NULL;
	for (p++; *p && *p != '"'; p++) {
		if (*p != '\\') {
			buf_add(b, p, 1);
			continue;
		}
		p++;
		switch (*p) {
		case 'n': buf_puts(b, "\n"); break;
		case 't': buf_puts(b, "\t"); break;
		case 'u': {
			unsigned v = 0;
			if (sscanf(p + 1, "%4x", &v) == 1) {
				char enc[4];
				buf_add(b, enc, utf8_encode(v, enc));
				p += 4;
			}
			break;
		}
		case '\0': return NULL;
		default: buf_add(b, p, 1);
		}
	}
	return *p == '"' ? p + 1 : NULL;
}

/* Parses the audit's flat JSON object, with the nested "record" object into rec. */
static void json_object(const char *p, struct xf_fields *top, struct xf_fields *rec)
{
	p = json_ws(p ? p : "");
	if (*p++ != '{')
		return;
	for (;;) {
		p = json_ws(p);
		if (*p != '"')
			return;
		struct xf_buf key, val;
		buf_init(&key);
		buf_init(&val);
		p = json_str(p, &key);
		p = p ? json_ws(p) : NULL;
		if (p && *p == ':')
			p = json_ws(p + 1);
		else
			p = NULL;
		if (p && *p == '{' && rec) {
			const char *start = p;
			json_object(start, rec, NULL);
			int depth = 0;
			bool in_str = false;
			for (; *p; p++) {
				if (in_str) {
					if (*p == '\\' && p[1])
						p++;
					else if (*p == '"')
						in_str = false;
				} else if (*p == '"') {
					in_str = true;
				} else if (*p == '{') {
					depth++;
				} else if (*p == '}' && --depth == 0) {
					p++;
					break;
				}
			}
		} else if (p) {
			p = json_str(p, &val);
			if (p)
				fields_add(top, key.data, val.data);
		}
		buf_free(&key);
		buf_free(&val);
		if (p == NULL)
			return;
		p = json_ws(p);
		if (*p != ',')
			return;
		p++;
	}
}

/* Case columns the history names, beyond the registration form's fields and the moves' keys. */
static const struct column_label case_columns[] = {
	{"state", "状态", 0},           {"closure", "结案方式", 0},      {"department", "承办部门", 0},
	{"transferred_on", "批转日期", 0}, {"reported_on", "报结日期", 0}, {"replied_on", "答复日期", 0},
	{"closed_on", "结案日期", 0},     {"due_transfer", "批转期限", 0}, {"due_handle", "周限", 0},
	{"due_reply", "月限", 0},         {"importance", "重要程度", 0},   {"materials", "材料份数", 0},
	{"spot_answer", "当场答复", 0},
	/* A print's record: which form, where it went (with the spooler's job), reprinted or not. */
	{"form", "单子", 0},              {"reprint", "补打", 0},          {"destination", "送往", 0},
	{"encoding", "格式/编码", 0},
};

/* The table an audited action adds its record to (a move's, or one across branches), or NULL. */
static const char *action_table(const struct xf_move_def *def, const char *action)
{
	static const char *const move_tables[XF_MV_COUNT] = {
		[XF_MV_SPOT] = "closures",     [XF_MV_REJECT] = "closures",  [XF_MV_TRANSFER] = "transfers",
		[XF_MV_RETURN] = "returns",    [XF_MV_OUTCOME] = "outcomes", [XF_MV_REPLY] = "replies",
		[XF_MV_CLOSE] = "closures",    [XF_MV_WITHDRAW] = "closures", [XF_MV_INSTRUCT] = "instructions",
		[XF_MV_EXTEND] = "extensions", [XF_MV_URGE] = "urgings",     [XF_MV_MATERIAL] = "materials",
	};
	if (def)
		return def->move < XF_MV_COUNT ? move_tables[def->move] : NULL;
	if (strncmp(action, "supervise", 9) == 0)
		return "supervisions";
	if (strcmp(action, "hand_over") == 0 || strcmp(action, "take_over") == 0 || strcmp(action, "hand_up") == 0)
		return "branch_moves";
	return NULL;
}

/* The label of a record's column (the side tables and the moves' keys), or NULL. */
static const char *record_label(const struct xf_move_def *def, const char *own, const char *key)
{
	enum xf_move move = def ? def->move : XF_MV_COUNT;
	bool is_move = def != NULL;
	if (strcmp(key, "masked") == 0)
		return NULL;
	/* The action's own table first: a return's department is the one returning it. */
	for (size_t t = 0; own && t < sizeof record_tables / sizeof record_tables[0]; t++)
		for (size_t c = 0; strcmp(record_tables[t].table, own) == 0 &&
		                   c < sizeof record_tables[t].cols / sizeof record_tables[t].cols[0]; c++)
			if (record_tables[t].cols[c].column && strcmp(record_tables[t].cols[c].column, key) == 0 &&
			    record_tables[t].cols[c].label)
				return record_tables[t].cols[c].label;
	for (size_t t = 0; t < sizeof record_tables / sizeof record_tables[0]; t++)
		for (size_t c = 0; c < sizeof record_tables[t].cols / sizeof record_tables[t].cols[0]; c++)
			if (record_tables[t].cols[c].column && strcmp(record_tables[t].cols[c].column, key) == 0 &&
			    record_tables[t].cols[c].label)
				return record_tables[t].cols[c].label;
	if (is_move) {
		const struct xf_move_field *mf = case_move_field(move, key);
		if (mf)
			return mf->label;
	}
	if (strcmp(key, "to") == 0)
		return "关联到";
	if (strcmp(key, "kind") == 0)
		return "结案方式";
	if (strcmp(key, "reason") == 0)
		return "理由";
	if (strcmp(key, "extension") == 0)
		return NULL;
	return NULL;
}

/* The Chinese label of a case column in the history, or NULL for bookkeeping that people
 * need not read (versions, sequence numbers, the rule set's name). */
static const char *case_label(const char *key)
{
	for (size_t i = 0; i < sizeof case_columns / sizeof case_columns[0]; i++)
		if (strcmp(case_columns[i].column, key) == 0)
			return case_columns[i].label;
	const struct xf_fielddef *fd = field_def(key);
	return fd && strcmp(key, "number") != 0 ? fd->label : NULL;
}

/* A value in the history as people read it. */
static const char *history_value(const char *key, const char *v, const struct xf_rows *ops, char *buf, size_t n)
{
	if (strcmp(key, "state") == 0) {
		int st = case_state_parse(v);
		return st >= 0 ? case_state_label((enum xf_state)st) : v;
	}
	if (strcmp(key, "form") == 0)
		return print_form_title(v);
	if (strcmp(key, "anonymous") == 0 || strcmp(key, "confidential") == 0 || strcmp(key, "reprint") == 0)
		return strcmp(v, "1") == 0 || strcmp(v, "是") == 0 ? "是" : "否";
	if (strcmp(key, "decision") == 0)
		return strcmp(v, "同意") == 0 || strcmp(v, "不同意") == 0 ? v : value_text(ops, 4, v, buf, n);
	if (strcmp(key, "limit_kind") == 0)
		return value_text(ops, 3, v, buf, n);
	if (strcmp(key, "kind") == 0)
		return value_text(ops, 5, v, buf, n);
	if (strcmp(key, "decided_by") == 0 || strcmp(key, "answered_by") == 0) {
		operator_label(ops, v, buf, n);
		return buf;
	}
	return *v ? v : "（空）";
}

/* Keys of the petitioner's identity, which masking may hide. */
static const char *const identity_keys[] = {"name", "id_number", "phone", "address", "work_unit", "gender", "age"};

/* The history of a case, labelled. */
int casefile_history(struct xf_session *s, int64_t id, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_fields view;
	int rc = case_view(s, id, &view, err);
	if (rc != XF_OK)
		return rc;
	struct xf_rows audit, ops;
	if ((rc = audit_case_records(s->st, id, &audit, err)) != XF_OK) {
		fields_free(&view);
		return rc;
	}
	if ((rc = store_list(s->st, "operators", NULL, NULL, &ops, err)) != XF_OK) {
		rows_free(&audit);
		fields_free(&view);
		return rc;
	}
	/* What the case view shows of the identity decides what the history may show: a value the
	 * view does not show as stored is shown as the view shows it, in every event. */
	const size_t nid = sizeof identity_keys / sizeof identity_keys[0];
	char *latest[sizeof identity_keys / sizeof identity_keys[0]] = {NULL};
	struct xf_fields *tops = xcalloc(audit.n + 1, sizeof *tops), *recs = xcalloc(audit.n + 1, sizeof *recs);
	for (size_t i = 0; i < audit.n; i++) {
		fields_init(&tops[i]);
		fields_init(&recs[i]);
		json_object(fields_str(&audit.v[i], "after"), &tops[i], &recs[i]);
		for (size_t k = 0; k < nid; k++) {
			const char *v = fields_get(&tops[i], identity_keys[k]);
			if (v == NULL)
				v = fields_get(&recs[i], identity_keys[k]);
			if (v) {
				free(latest[k]);
				latest[k] = xstrdup(v);
			}
		}
	}
	bool hidden[sizeof identity_keys / sizeof identity_keys[0]];
	for (size_t k = 0; k < nid; k++)
		hidden[k] = latest[k] && strcmp(latest[k], fields_str(&view, identity_keys[k])) != 0;
	out->v = xcalloc(audit.n + 1, sizeof *out->v);
	for (size_t i = 0; i < audit.n; i++) {
		const struct xf_fields *a = &audit.v[i];
		const char *action = fields_str(a, "action");
		/* A move across branches is recorded once in each branch's chain: shown once. */
		if (i > 0 && strcmp(action, fields_str(&audit.v[i - 1], "action")) == 0 &&
		    strcmp(fields_str(a, "after"), fields_str(&audit.v[i - 1], "after")) == 0 &&
		    strcmp(fields_str(a, "branch"), fields_str(&audit.v[i - 1], "branch")) != 0)
			continue;
		const struct xf_move_def *def = case_move_def(action);
		struct xf_fields before, unused;
		fields_init(&before);
		fields_init(&unused);
		json_object(fields_str(a, "before"), &before, &unused);
		struct xf_fields *f = &out->v[out->n++];
		fields_init(f);
		char at[17], who[160];
		snprintf(at, sizeof at, "%.16s", fields_str(a, "at"));
		operator_label(&ops, fields_str(a, "operator"), who, sizeof who);
		fields_add(f, "#at", at);
		fields_add(f, "#who", who);
		fields_add(f, "#action", audit_action_label(action));
		bool registered = strcmp(action, "register") == 0;
		for (int part = 0; part < 2 && !registered; part++) {
			const struct xf_fields *src = part == 0 ? &tops[i] : &recs[i];
			for (size_t j = 0; j < src->n; j++) {
				const char *key = src->v[j].key;
				const char *label =
					part == 0 ? case_label(key) : record_label(def, action_table(def, action), key);
				const char *now = src->v[j].val, *was = part == 0 ? fields_get(&before, key) : NULL;
				if (label == NULL || fields_get(f, label) || (was == NULL && !*now))
					continue;
				for (size_t k = 0; k < nid; k++)
					if (hidden[k] && strcmp(identity_keys[k], key) == 0)
						now = was = fields_str(&view, key);
				char b1[160], b2[160];
				char *text = was ? xasprintf("%s → %s", history_value(key, was, &ops, b1, sizeof b1),
				                             history_value(key, now, &ops, b2, sizeof b2))
				                 : xstrdup(history_value(key, now, &ops, b1, sizeof b1));
				fields_add(f, label, text);
				free(text);
			}
		}
		if (registered)
			fields_add(f, "内容", "见信访登记表");
		fields_free(&before);
		fields_free(&unused);
	}
	for (size_t i = 0; i < audit.n; i++) {
		fields_free(&tops[i]);
		fields_free(&recs[i]);
	}
	for (size_t k = 0; k < nid; k++)
		free(latest[k]);
	free(tops);
	free(recs);
	rows_free(&audit);
	rows_free(&ops);
	fields_free(&view);
	int masked = mask_rows_of_case(s, id, out, err);
	if (masked != XF_OK)
		rows_free(out);
	return masked;
}

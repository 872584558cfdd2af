/* The case: numbering, registration, the workflow table and every move on it. */
#include "xinfang/case.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/branch.h"
#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/identity.h"
#include "xinfang/jrt.h"
#include "xinfang/phone.h"
#include "xinfang/renumbered.h"
#include "xinfang/limits.h"
#include "xinfang/mask.h"
#include "xinfang/text.h"

static const char *const state_keys[] = {"queued", "transferred", "reported", "replied", "closed"};
static const char *const state_labels[] = {"待批", "已转办", "已报结", "已答复", "已结案"};

/* Key of a state. */
const char *case_state_key(enum xf_state state) { return state_keys[state]; }
/* Chinese name of a state. */
const char *case_state_label(enum xf_state state) { return state_labels[state]; }

/* State from key or Chinese name. */
int case_state_parse(const char *s)
{
	for (int i = 0; i < XF_ST_COUNT; i++)
		if (s && (strcmp(s, state_keys[i]) == 0 || strcmp(s, state_labels[i]) == 0))
			return i;
	return -1;
}

#define OP XF_MAY(XF_ROLE_OPERATOR)
#define HD XF_MAY(XF_ROLE_HEAD)
#define HN XF_MAY(XF_ROLE_HANDLER)
#define BEFORE_REPLY (XF_IN(XF_ST_QUEUED) | XF_IN(XF_ST_TRANSFERRED) | XF_IN(XF_ST_REPORTED))

/* The workflow: the one table of states, moves and roles. */
const struct xf_move_def xf_moves[XF_MV_COUNT] = {
	{XF_MV_SPOT, "spot", "当场答复", XF_IN(XF_ST_QUEUED), XF_ST_CLOSED, "当场答复",
	 OP | HD, "answer", "answer"},
	{XF_MV_REJECT, "reject", "不予受理", XF_IN(XF_ST_QUEUED), XF_ST_CLOSED, "不予受理",
	 HD, "reason advice", "reason advice"},
	{XF_MV_TRANSFER, "transfer", "批转", XF_IN(XF_ST_QUEUED), XF_ST_TRANSFERRED, NULL, HD,
	 "dept co_depts deadline instruction leader opinion handler summary", "dept"},
	{XF_MV_RETURN, "return", "退回", XF_IN(XF_ST_TRANSFERRED), XF_ST_QUEUED, NULL, OP | HD | HN, "reason date",
	 "reason"},
	{XF_MV_OUTCOME, "outcome", "报结", XF_IN(XF_ST_TRANSFERRED), XF_ST_REPORTED, NULL, OP | HD | HN,
	 "findings accountability rectification satisfaction handled_on handler dept_head contact_phone",
	 "findings"},
	{XF_MV_REPLY, "reply", "答复", XF_IN(XF_ST_REPORTED), XF_ST_REPLIED, NULL, OP | HD, "method date content",
	 "method"},
	{XF_MV_CLOSE, "close", "结案", XF_IN(XF_ST_REPLIED), XF_ST_CLOSED, "办结", OP | HD, "note", ""},
	{XF_MV_WITHDRAW, "withdraw", "撤诉", XF_OPEN_STATES, XF_ST_CLOSED, "撤诉", OP | HD, "reason voluntary",
	 "reason voluntary"},
	{XF_MV_INSTRUCT, "instruct", "领导批示", BEFORE_REPLY, -1, NULL, HD, "leader text date", "leader text"},
	{XF_MV_EXTEND, "extend", "申请延期", BEFORE_REPLY, -1, NULL, OP | HD | HN, "until reason limit",
	 "until reason"},
	{XF_MV_DECIDE, "decide", "审批延期", BEFORE_REPLY, -1, NULL, HD, "decision note", "decision"},
	{XF_MV_URGE, "urge", "催办", XF_IN(XF_ST_QUEUED) | XF_IN(XF_ST_TRANSFERRED) | XF_IN(XF_ST_REPORTED), -1, NULL,
	 OP | HD, "target method date note", "target method"},
	{XF_MV_MATERIAL, "material", "补充材料", XF_OPEN_STATES, -1, NULL, OP | HD | HN, "description copies date",
	 "description"},
	{XF_MV_LINK, "link", "关联重复信访", XF_OPEN_STATES | XF_IN(XF_ST_CLOSED), -1, NULL, OP | HD, "to note", "to"},
};

/* Labels and types of the keys the moves take. */
static const struct xf_move_field move_fields[] = {
	{XF_MV_URGE, "method", "催办方式", XF_F_TEXT, NULL, 20},
	{XF_MV_URGE, "date", "催办日期", XF_F_DATE, NULL, 10},
	{XF_MV_URGE, "note", "催办内容", XF_F_LONGTEXT, NULL, 1000},
	{XF_MV_RETURN, "date", "退回日期", XF_F_DATE, NULL, 10},
	{XF_MV_RETURN, "reason", "退回理由", XF_F_LONGTEXT, NULL, 1000},
	{XF_MV_REJECT, "reason", "不予受理理由", XF_F_LONGTEXT, NULL, 1000},
	{XF_MV_WITHDRAW, "reason", "撤诉理由", XF_F_LONGTEXT, NULL, 1000},
	{XF_MV_EXTEND, "reason", "延期理由", XF_F_LONGTEXT, NULL, 1000},
	{XF_MV_INSTRUCT, "date", "批示日期", XF_F_DATE, NULL, 10},
	{XF_MV_MATERIAL, "date", "收到日期", XF_F_DATE, NULL, 10},
	{XF_MV_CLOSE, "note", "结案说明", XF_F_LONGTEXT, NULL, 1000},
	{XF_MV_DECIDE, "note", "审批意见说明", XF_F_LONGTEXT, NULL, 1000},
	{XF_MV_LINK, "note", "关联说明", XF_F_TEXT, NULL, 100},
	{-1, "answer", "当场答复内容", XF_F_LONGTEXT, NULL, 2000},
	{-1, "advice", "告知的途径和建议", XF_F_LONGTEXT, NULL, 1000},
	{-1, "dept", "主办部门", XF_F_CHOICE, "departments", 20},
	{-1, "co_depts", "协办部门", XF_F_TEXT, NULL, 100},
	{-1, "deadline", "办理期限", XF_F_DATE, NULL, 10},
	{-1, "instruction", "领导批示", XF_F_LONGTEXT, NULL, 1000},
	{-1, "leader", "批示领导", XF_F_TEXT, NULL, 20},
	{-1, "opinion", "办公室意见", XF_F_LONGTEXT, NULL, 1000},
	{-1, "handler", "承办人", XF_F_TEXT, NULL, 20},
	{-1, "summary", "信访事项摘要", XF_F_LONGTEXT, NULL, 2000},
	{-1, "findings", "调查核实情况", XF_F_LONGTEXT, NULL, 8000},
	{-1, "accountability", "责任人员处理情况", XF_F_LONGTEXT, NULL, 2000},
	{-1, "rectification", "整改措施", XF_F_LONGTEXT, NULL, 2000},
	{-1, "satisfaction", "信访人满意程度", XF_F_CHOICE, "satisfaction", 8},
	{-1, "handled_on", "办理日期", XF_F_DATE, NULL, 10},
	{-1, "dept_head", "部门负责人", XF_F_TEXT, NULL, 20},
	{-1, "contact_phone", "联系电话", XF_F_PHONE, NULL, 20},
	{-1, "method", "答复方式", XF_F_CHOICE, "reply_methods", 4},
	{-1, "date", "答复日期", XF_F_DATE, NULL, 10},
	{-1, "content", "答复内容", XF_F_LONGTEXT, NULL, 2000},
	{-1, "voluntary", "是否自愿撤诉", XF_F_YESNO, NULL, 2},
	{-1, "text", "批示内容", XF_F_LONGTEXT, NULL, 2000},
	{-1, "until", "延期至", XF_F_DATE, NULL, 10},
	{-1, "limit", "延期的时限", XF_F_CHOICE, "limits", 4},
	{-1, "decision", "审批意见", XF_F_CHOICE, "decisions", 6},
	{-1, "target", "催办对象", XF_F_TEXT, NULL, 40},
	{-1, "copies", "份数", XF_F_INT, NULL, 1000},
	{-1, "description", "材料内容", XF_F_LONGTEXT, NULL, 1000},
	{-1, "to", "关联的编号", XF_F_TEXT, NULL, 24},
	{-1, "note", "说明", XF_F_LONGTEXT, NULL, 1000},
	{-1, "reason", "理由", XF_F_LONGTEXT, NULL, 1000},
};

/* The label and type of a move's key. */
const struct xf_move_field *case_move_field(enum xf_move move, const char *key)
{
	for (size_t i = 0; i < sizeof move_fields / sizeof move_fields[0]; i++)
		if ((move_fields[i].move == (int)move || move_fields[i].move < 0) && strcmp(move_fields[i].key, key) == 0)
			return &move_fields[i];
	return NULL;
}

/* Move by key. */
const struct xf_move_def *case_move_def(const char *key)
{
	for (int i = 0; i < XF_MV_COUNT; i++)
		if (key && strcmp(xf_moves[i].key, key) == 0)
			return &xf_moves[i];
	return NULL;
}

/* Parses a case number in any of its written forms. */
int case_parse_number(const char *s, int *year, int *seq, struct xf_err *err)
{
	const char *p = s ? s : "";
	int y = 0, n = 0, digits = 0;
	while (isdigit((unsigned char)*p) && digits < 5)
		y = y * 10 + (*p++ - '0'), digits++;
	if (digits != 4)
		goto bad;
	if (*p == '-')
		p++;
	else if (strncmp(p, "年第", strlen("年第")) == 0)
		p += strlen("年第");
	else
		goto bad;
	digits = 0;
	while (isdigit((unsigned char)*p) && digits < 7)
		n = n * 10 + (*p++ - '0'), digits++;
	if (digits == 0 || n == 0)
		goto bad;
	if (strcmp(p, "号") != 0 && *p != '\0')
		goto bad;
	*year = y;
	*seq = n;
	return XF_OK;
bad:;
	char shown[XF_CLIP_SIZE];
	return xf_err_set(err, XF_EINVAL, "编号“%s”不对：应写成 2026年第0001号 或 2026-0001", text_clip(s, 40, shown, sizeof shown));
}

/* Formats a case number. */
void case_format_number(int year, int seq, char out[32])
{
	snprintf(out, 32, "%04d年第%04d号", year % 10000, seq % 10000000);
}

/* Formats a branch's case number: its code, a dash, the number (no code: the number alone). */
void case_format_branch_number(const char *code, int year, int seq, char out[32])
{
	char plain[32]; /* at most 20 bytes: 4 digits, 年第, 7 digits, 号 */
	case_format_number(year, seq, plain);
	if (code && *code)
		snprintf(out, 32, "%.*s-%.20s", XF_BRANCH_CODE_MAX, code, plain);
	else
		snprintf(out, 32, "%s", plain);
}

/* Parses a number that may begin with a branch's code and a dash (BJ01-2026年第0001号,
 * BJ01-2026-0001); code gets "" when it does not. */
int case_parse_branch_number(const char *s, char code[XF_BRANCH_CODE_MAX + 1], int *year, int *seq,
                             struct xf_err *err)
{
	code[0] = '\0';
	const char *dash = s ? strchr(s, '-') : NULL;
	size_t n = dash ? (size_t)(dash - s) : 0;
	struct xf_err ignored;
	if (dash && n >= 1 && n <= XF_BRANCH_CODE_MAX && case_parse_number(dash + 1, year, seq, &ignored) == XF_OK) {
		char c[XF_BRANCH_CODE_MAX + 1];
		snprintf(c, sizeof c, "%.*s", (int)n, s);
		if (branch_check_code(c, &ignored) == XF_OK) {
			memcpy(code, c, sizeof c);
			return XF_OK;
		}
	}
	return case_parse_number(s, year, seq, err);
}

/* Finds a case by number, within the session's reach: its current number, else one it had
 * before a move between branches (renumbered.h). */
int case_find(struct xf_session *s, const char *number, int64_t *id, struct xf_err *err)
{
	return case_lookup(s, number, id, NULL, 0, err);
}

/* Finds a case by its current number, within the session's reach: a number without a code is
 * one of the account's own branch; a case out of reach is not found, with the same message as
 * none. */
int case_find_current(struct xf_session *s, const char *number, int64_t *id, struct xf_err *err)
{
	int year, seq;
	char code[XF_BRANCH_CODE_MAX + 1];
	int rc = case_parse_branch_number(number, code, &year, &seq, err);
	if (rc != XF_OK)
		return rc;
	int64_t branch = s->op.branch;
	if (*code) {
		struct xf_branch b;
		struct xf_err ignored;
		if (branch_find(s->st, code, &b, &ignored) != XF_OK || !branch_in_reach(s, b.id))
			return xf_err_set(err, XF_ENOTFOUND, "没有 %s 这件信访事项（或它不在您的范围内）", number);
		branch = b.id;
	}
	rc = store_case_id(s->st, branch, year, seq, id, err);
	if (rc == XF_ENOTFOUND) /* the number as typed: its branch code kept, none added */
		return xf_err_set(err, XF_ENOTFOUND, "没有 %s 这件信访事项", number);
	return rc;
}

/* Today as ISO text. */
static void today_iso(char out[11])
{
	date_format(clock_today(), out);
}

/* True when word appears in the space-separated list. */
static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* Refuses unknown keys and missing required ones. */
static int check_keys(const struct xf_move_def *def, const struct xf_fields *in, struct xf_err *err)
{
	for (size_t i = 0; in && i < in->n; i++)
		if (!in_list(def->keys, in->v[i].key))
			return xf_err_set(err, XF_EINVAL, "%s不认识“%s”这一项；可填：%s", def->label, in->v[i].key,
			                  *def->keys ? def->keys : "（无）");
	char req[256];
	snprintf(req, sizeof req, "%s", def->required);
	char *save = NULL;
	for (char *k = strtok_r(req, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
		const struct xf_move_field *mf = case_move_field(def->move, k);
		if (in == NULL || !fields_has(in, k))
			return xf_err_set(err, XF_EINVAL, "%s须填写“%s”（%s）", def->label, mf ? mf->label : k, k);
	}
	return XF_OK;
}

/* True when a row of a reference list is the session's to see: a department of a branch in
 * its reach (channels and categories belong to the whole store). */
static bool list_row_in_reach(struct xf_session *s, const char *table, const struct xf_fields *row)
{
	return strcmp(table, "departments") != 0 || branch_in_reach(s, branch_of_row(row));
}

/* True when a reference list (channels, categories, departments in reach) holds name. */
static int list_has(struct xf_session *s, const char *table, const char *name, bool *found, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(s->st, table, "name", name, &rows, err);
	*found = false;
	for (size_t i = 0; rc == XF_OK && i < rows.n && !*found; i++)
		*found = list_row_in_reach(s, table, &rows.v[i]);
	if (rc == XF_OK)
		rows_free(&rows);
	return rc;
}

/* Names of a reference list (in reach, each once) joined with 、 for messages. */
static char *list_names(struct xf_session *s, const char *table)
{
	struct xf_rows rows;
	struct xf_buf b;
	buf_init(&b);
	buf_puts(&b, "");
	if (store_list(s->st, table, NULL, NULL, &rows, NULL) == XF_OK) {
		for (size_t i = 0; i < rows.n; i++) {
			char *one = xasprintf("、%s、", fields_str(&rows.v[i], "name"));
			char *all = xasprintf("、%s、", b.data);
			if (list_row_in_reach(s, table, &rows.v[i]) && strstr(all, one) == NULL)
				buf_printf(&b, "%s%s", b.len ? "、" : "", fields_str(&rows.v[i], "name"));
			free(one);
			free(all);
		}
		rows_free(&rows);
	}
	return b.data;
}

/* Checks a value against a reference list with a message that lists the choices. */
static int check_choice(struct xf_session *s, const char *table, const char *label, const char *value,
                        struct xf_err *err)
{
	bool found;
	int rc = list_has(s, table, value, &found, err);
	if (rc != XF_OK || found)
		return rc;
	char *names = list_names(s, table);
	char shown[XF_CLIP_SIZE];
	rc = xf_err_set(err, XF_EINVAL, "%s“%s”不在清单中：可选 %s", label, text_clip(value, 40, shown, sizeof shown), names);
	free(names);
	return rc;
}

/* Checks a value against a reference list, for the other rooms (search filters). */
int case_check_choice(struct xf_session *s, const char *table, const char *label, const char *value,
                      struct xf_err *err)
{
	return check_choice(s, table, label, value, err);
}

/* Checks a text value of a move and stores its normalised form. */
static int check_move_text(const struct xf_fields *in, const char *key, const char *label, int max_cols,
                           bool multiline, struct xf_err *err)
{
	const char *v = fields_get(in, key);
	return v ? field_check_text(v, label, max_cols, multiline, err) : XF_OK;
}

/* Reads an optional date of a move (default today, never in the future). */
static int move_date(const struct xf_fields *in, const char *key, const char *label, char out[11],
                     struct xf_err *err)
{
	const char *v = in ? fields_get(in, key) : NULL;
	if (str_empty(v)) {
		today_iso(out);
		return XF_OK;
	}
	int day;
	struct xf_err derr;
	if (date_parse(v, &day, &derr) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "%s：%s", label, derr.msg);
	if (day > clock_today())
		return xf_err_set(err, XF_EINVAL, "%s %s 晚于今天", label, v);
	date_format(day, out);
	return XF_OK;
}

/* Registration values that are stored as 1/0. */
static bool is_yesno_column(const char *key)
{
	return strcmp(key, "anonymous") == 0 || strcmp(key, "confidential") == 0 || strcmp(key, "due_estimated") == 0;
}

/* Petitioner columns (kept in their own table). */
static bool is_petitioner_key(const char *key)
{
	static const char *const keys[] = {"name", "gender", "age", "id_type", "id_number", "phone", "address", "work_unit"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	return false;
}

/* Computes the three due dates for a received date and category under the active rules. */
static int compute_dues(struct xf_session *s, int received, const char *category, int due[XF_LIMIT_COUNT],
                        bool *estimated, struct xf_err *warn, struct xf_err *err)
{
	int rc = session_load_reference(s, err);
	if (rc != XF_OK)
		return rc;
	*estimated = false;
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		const struct xf_rule *rule =
			limits_rule_for(&s->rules, s->rules.active, (enum xf_limit_kind)k, category);
		if (rule == NULL)
			return xf_err_set(err, XF_EINVAL, "时限规则集“%s”缺少%s的规则：请管理员检查 data/limits.txt",
			                  s->rules.active, limits_kind_label((enum xf_limit_kind)k));
		bool est = false;
		struct xf_err note;
		xf_err_clear(&note);
		rc = limits_due_or_estimate(&s->cal, received, rule->unit, rule->length, &due[k], &est, &note);
		if (rc != XF_OK) {
			if (err)
				*err = note;
			return rc;
		}
		if (est && !*estimated && warn)
			xf_err_set(warn, XF_OK, "%s", note.msg);
		*estimated = *estimated || est;
	}
	return XF_OK;
}

/* The document type and number: the number checked as its type asks (居民身份证 when no type is
 * given) and stored in its one written form. */
static int registration_identity(const struct xf_fields *in, struct xf_fields *pet, struct xf_err *err)
{
	const char *type_text = fields_get(in, "id_type");
	const char *number = fields_get(in, "id_number");
	int type = identity_type_parse(type_text);
	if (type < 0) {
		char shown[XF_CLIP_SIZE];
		return xf_err_set(err, XF_EINVAL, "证件类型“%s”不在清单中：可选 %s", text_clip(type_text, 30, shown, sizeof shown),
		                  identity_type_names());
	}
	if (str_empty(number)) {
		if (!str_empty(type_text))
			fields_set(pet, "id_type", identity_type_label((enum xf_idtype)type));
		return XF_OK;
	}
	char *norm;
	int rc = identity_check((enum xf_idtype)type, number, "证件号码", NULL, &norm, err);
	if (rc != XF_OK) {
		if (type == XF_ID_RESIDENT && str_empty(type_text) && err != NULL) {
			char why[sizeof err->msg];
			snprintf(why, sizeof why, "%s", err->msg);
			xf_err_set(err, rc, "%s（不是居民身份证时请先选证件类型 id_type）", why);
		}
		return rc;
	}
	fields_set(pet, "id_type", identity_type_label((enum xf_idtype)type));
	fields_set(pet, "id_number", norm);
	free(norm);
	return XF_OK;
}

/* Normalises registration input into case columns and petitioner columns. */
static int registration_values(struct xf_session *s, const struct xf_fields *in, struct xf_fields *cols,
                               struct xf_fields *pet, struct xf_err *err)
{
	int rc;
	for (size_t i = 0; i < in->n; i++) {
		const char *key = in->v[i].key;
		if (strcmp(key, "repeat_of") == 0 || strcmp(key, "id_type") == 0 || strcmp(key, "id_number") == 0)
			continue;
		const struct xf_fielddef *def = field_def(key);
		if (def == NULL || strcmp(key, "number") == 0) {
			struct xf_buf keys;
			buf_init(&keys);
			for (const struct xf_fielddef *d = xf_registration_fields + 1; d->key; d++)
				buf_printf(&keys, "%s%s", keys.len ? " " : "", d->key);
			rc = xf_err_set(err, XF_EINVAL, "登记表没有“%s”这一项%s；可填：%s", key,
			                strcmp(key, "number") == 0 ? "（编号由系统按年顺序生成）" : "", keys.data);
			buf_free(&keys);
			return rc;
		}
		if (str_empty(in->v[i].val))
			continue;
		char *norm;
		if ((rc = field_normalize(def, in->v[i].val, &norm, err)) != XF_OK)
			return rc;
		if (jrt_axis_of(key) != NULL) {
			char *name = NULL;
			rc = jrt_check(s->st, key, norm, &name, err);
			free(norm);
			if (rc != XF_OK)
				return rc;
			norm = name;
		}
		if (is_yesno_column(key))
			fields_set(cols, key, strcmp(norm, "是") == 0 ? "1" : "0");
		else if (is_petitioner_key(key))
			fields_set(pet, key, norm);
		else
			fields_set(cols, key, norm);
		free(norm);
	}
	(void)s;
	return registration_identity(in, pet, err);
}

/* Fills gender and age (on the day received) from a document number that carries them, refusing
 * a gender or age that contradicts it and a birth after the receipt. */
static int derive_from_id(struct xf_fields *pet, int received, struct xf_err *err)
{
	if (!fields_has(pet, "id_number"))
		return XF_OK;
	struct xf_idinfo info;
	int type = identity_type_parse(fields_str(pet, "id_type"));
	int rc = identity_check(type < 0 ? XF_ID_RESIDENT : (enum xf_idtype)type, fields_str(pet, "id_number"), "证件号码",
	                        &info, NULL, err);
	if (rc != XF_OK || !info.known)
		return rc;
	if (info.birth > received) {
		char born[11], got[11];
		date_format(info.birth, born);
		date_format(received, got);
		return xf_err_set(err, XF_EINVAL, "证件号码中的出生日期 %s 晚于收件日期 %s：请核对号码或收件日期", born, got);
	}
	const char *gender = info.male ? "男" : "女";
	if (fields_has(pet, "gender") && strcmp(fields_str(pet, "gender"), gender) != 0)
		return xf_err_set(err, XF_EINVAL, "性别“%s”与证件号码不符（号码第 17 位表明为%s）", fields_str(pet, "gender"),
		                  gender);
	fields_set(pet, "gender", gender);
	int age = field_age_on(info.birth, received);
	if (fields_has(pet, "age") && abs(atoi(fields_str(pet, "age")) - age) > 1)
		return xf_err_set(err, XF_EINVAL, "年龄“%s”与证件号码不符（按出生日期，收件当日应为 %d 岁）", fields_str(pet, "age"),
		                  age);
	char buf[16];
	snprintf(buf, sizeof buf, "%d", age);
	fields_set(pet, "age", buf);
	return XF_OK;
}

/* True when the case is important by SPEC's rules. */
static int importance_of(struct xf_session *s, const struct xf_fields *cols, bool *important, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(s->st, "channels", "name", fields_str(cols, "channel"), &rows, err);
	if (rc != XF_OK)
		return rc;
	bool channel_important = rows.n && atoi(fields_str(&rows.v[0], "important"));
	rows_free(&rows);
	*important = channel_important || strcmp(fields_str(cols, "importance"), "重要") == 0 ||
	             atof(fields_str(cols, "amount")) > 50000.0 || atoi(fields_str(cols, "people")) >= 5;
	return XF_OK;
}

/* Inserts a side record with case_id, at and actor filled in. */
static int insert_record(struct xf_session *s, const char *table, int64_t case_id, struct xf_fields *rec,
                         struct xf_err *err)
{
	char id[32], now[20];
	snprintf(id, sizeof id, "%lld", (long long)case_id);
	clock_now_iso(now);
	fields_set(rec, "case_id", id);
	fields_set(rec, "at", now);
	fields_set(rec, "actor", s->op.name);
	return store_insert(s->st, table, rec, NULL, err);
}

/* Writes the audit event of a change to a case. */
static int audit_change(struct xf_session *s, const char *action, int64_t case_id, const struct xf_fields *row,
                        const struct xf_fields *changes, const struct xf_fields *record, struct xf_err *err)
{
	char *before, *after;
	audit_diff(row, changes, record, &before, &after);
	int rc = store_audit(s->st, s->op.name, action, case_id, before, after, err);
	free(before);
	free(after);
	return rc;
}

/* Links case_id to the earlier case `number` (inside a transaction). */
static int link_cases(struct xf_session *s, int64_t case_id, const char *number, const char *note,
                      struct xf_err *err)
{
	int64_t other;
	int rc = case_find(s, number, &other, err);
	if (rc != XF_OK)
		return rc;
	if (other == case_id)
		return xf_err_set(err, XF_EINVAL, "不能把案件关联到它自己");
	struct xf_rows rows;
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)case_id);
	if ((rc = store_list(s->st, "links", "case_id", id, &rows, err)) != XF_OK)
		return rc;
	bool dup = false;
	for (size_t i = 0; i < rows.n; i++)
		dup = dup || atoll(fields_str(&rows.v[i], "linked_id")) == other;
	rows_free(&rows);
	if (dup)
		return xf_err_set(err, XF_EEXIST, "已经关联过 %s", number);
	struct xf_fields rec;
	fields_init(&rec);
	char oid[32];
	snprintf(oid, sizeof oid, "%lld", (long long)other);
	fields_set(&rec, "linked_id", oid);
	fields_set(&rec, "kind", "repeat");
	fields_set(&rec, "note", note ? note : "");
	rc = insert_record(s, "links", case_id, &rec, err);
	if (rc == XF_OK) {
		struct xf_fields shown;
		fields_init(&shown);
		fields_set(&shown, "to", number);
		rc = audit_change(s, "link", case_id, NULL, NULL, &shown, err);
		fields_free(&shown);
	}
	fields_free(&rec);
	return rc;
}

/* Checks the registration's required fields and lists. */
static int registration_checks(struct xf_session *s, struct xf_fields *cols, struct xf_fields *pet, int received,
                               struct xf_err *err)
{
	int rc;
	if (!fields_has(cols, "channel"))
		return xf_err_set(err, XF_EINVAL, "请填写来源渠道（channel）");
	if ((rc = check_choice(s, "channels", "来源渠道", fields_str(cols, "channel"), err)) != XF_OK)
		return rc;
	if (!fields_has(cols, "category"))
		return xf_err_set(err, XF_EINVAL, "请填写类别（category）");
	if ((rc = check_choice(s, "categories", "类别", fields_str(cols, "category"), err)) != XF_OK)
		return rc;
	if (!fields_has(cols, "summary"))
		return xf_err_set(err, XF_EINVAL, "请填写基本事实和请求（summary）");
	bool anonymous = strcmp(fields_str(cols, "anonymous"), "1") == 0;
	if (anonymous && fields_has(pet, "name"))
		return xf_err_set(err, XF_EINVAL, "匿名信访不填姓名：请删去姓名，或把“匿名”改为“否”");
	if (!anonymous && !fields_has(pet, "name"))
		return xf_err_set(err, XF_EINVAL, "请填写信访人姓名（name），或注明匿名（anonymous=是）");
	if (fields_has(pet, "gender") && strcmp(fields_str(pet, "gender"), "男") != 0 &&
	    strcmp(fields_str(pet, "gender"), "女") != 0)
		return xf_err_set(err, XF_EINVAL, "性别应填“男”或“女”");
	const char *imp = fields_str(cols, "importance");
	if (*imp && strcmp(imp, "一般") != 0 && strcmp(imp, "重要") != 0)
		return xf_err_set(err, XF_EINVAL, "重要程度应填“一般”或“重要”");
	return derive_from_id(pet, received, err);
}

/* A receipt date is not after today, nor before the first year of the office's calendar. */
static int check_received(struct xf_session *s, int received, const char *date, const char *today, struct xf_err *err)
{
	if (received > clock_today())
		return xf_err_set(err, XF_EINVAL, "收件日期 %s 晚于今天（%s）：请核对日期", date, today);
	int rc = session_load_reference(s, err);
	if (rc == XF_OK && s->cal.first_year != 0 && received < date_from_ymd(s->cal.first_year, 1, 1))
		rc = xf_err_set(err, XF_EINVAL, "收件日期 %s 早于本办日历的第一年（%d 年）：请核对日期", date, s->cal.first_year);
	return rc;
}

/* A receipt date as typed, checked as registration will check it. */
int case_check_received(struct xf_session *s, const char *value, struct xf_err *err)
{
	char date[11], today[11];
	snprintf(date, sizeof date, "%.10s", value ? value : "");
	int received;
	int rc = date_parse(date, &received, err);
	if (rc != XF_OK)
		return rc;
	today_iso(today);
	return check_received(s, received, date, today, err);
}

/* Registers a new case. */
int case_register(struct xf_session *s, const struct xf_fields *in, char number_out[32], struct xf_err *warn,
                  struct xf_err *err)
{
	number_out[0] = '\0';
	xf_err_clear(warn);
	if (!auth_require(s, OP | HD, "登记信访事项", err))
		return err->code;
	struct xf_fields cols, pet;
	fields_init(&cols);
	fields_init(&pet);
	int rc = registration_values(s, in, &cols, &pet, err);
	char today[11];
	today_iso(today);
	int received = clock_today();
	if (rc == XF_OK && fields_has(&cols, "received")) {
		char date[11];
		snprintf(date, sizeof date, "%.10s", fields_str(&cols, "received"));
		if (strlen(fields_str(&cols, "received")) == 16)
			fields_set(&cols, "received_time", fields_str(&cols, "received") + 11);
		date_parse(date, &received, NULL);
		rc = check_received(s, received, date, today, err);
	}
	if (rc == XF_OK)
		rc = registration_checks(s, &cols, &pet, received, err);
	char received_iso[11];
	date_format(received, received_iso);
	fields_set(&cols, "received", received_iso);
	int due[XF_LIMIT_COUNT];
	bool estimated = false;
	if (rc == XF_OK)
		rc = compute_dues(s, received, fields_str(&cols, "category"), due, &estimated, warn, err);
	bool important = false;
	if (rc == XF_OK)
		rc = importance_of(s, &cols, &important, err);
	if (rc != XF_OK) {
		fields_free(&cols);
		fields_free(&pet);
		return rc;
	}
	const char *receiver = *s->op.full_name ? s->op.full_name : s->op.name;
	if (!fields_has(&cols, "receiver"))
		fields_set(&cols, "receiver", receiver);
	if (!fields_has(&cols, "first_asked"))
		fields_set(&cols, "first_asked", fields_str(&cols, "receiver"));
	fields_set(&cols, "importance", important ? "重要" : "一般");
	char iso[11], now[20];
	static const char *const due_keys[] = {"due_transfer", "due_handle", "due_reply"};
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		date_format(due[k], iso);
		fields_set(&cols, due_keys[k], iso);
	}
	fields_set(&cols, "orig_due_handle", fields_str(&cols, "due_handle"));
	fields_set(&cols, "orig_due_reply", fields_str(&cols, "due_reply"));
	fields_set(&cols, "due_estimated", estimated ? "1" : "0");
	fields_set(&cols, "ruleset", s->rules.active);
	fields_set(&cols, "state", state_keys[XF_ST_QUEUED]);
	fields_set(&cols, "created_by", s->op.name);
	clock_now_iso(now);
	fields_set(&cols, "created_at", now);
	bool spot = fields_has(&cols, "spot_answer");
	if (spot) {
		fields_set(&cols, "state", state_keys[XF_ST_CLOSED]);
		fields_set(&cols, "closure", "当场答复");
		fields_set(&cols, "closed_on", today);
	}

	int year = date_year(received), seq = 0;
	int64_t id = 0;
	if ((rc = session_begin_as(s, true, err)) != XF_OK) {
		fields_free(&cols);
		fields_free(&pet);
		return rc;
	}
	/* The case is the registering account's branch's, numbered in its sequence with its code. */
	struct xf_branch branch;
	if (rc == XF_OK)
		rc = branch_get(s->st, s->op.branch, &branch, err);
	if (rc == XF_OK)
		rc = store_next_seq(s->st, branch.id, year, &seq, err);
	char number[32], buf[32];
	case_format_branch_number(rc == XF_OK ? branch.code : "", year, seq, number);
	if (rc == XF_OK && branch.id != XF_BRANCH_OWN) {
		snprintf(buf, sizeof buf, "%lld", (long long)branch.id);
		fields_set(&cols, "branch", buf);
	}
	snprintf(buf, sizeof buf, "%d", year);
	fields_set(&cols, "year", buf);
	snprintf(buf, sizeof buf, "%d", seq);
	fields_set(&cols, "seq", buf);
	fields_set(&cols, "number", number);
	if (rc == XF_OK)
		rc = store_insert(s->st, "cases", &cols, &id, err);
	if (rc == XF_OK) {
		snprintf(buf, sizeof buf, "%lld", (long long)id);
		fields_set(&pet, "case_id", buf);
		fields_set(&pet, "ord", "0");
		rc = store_insert(s->st, "petitioners", &pet, NULL, err);
	}
	if (rc == XF_OK) {
		struct xf_fields all;
		fields_init(&all);
		for (size_t i = 0; i < cols.n; i++)
			fields_set(&all, cols.v[i].key, cols.v[i].val);
		for (size_t i = 0; i < pet.n; i++)
			if (strcmp(pet.v[i].key, "case_id") != 0 && strcmp(pet.v[i].key, "ord") != 0)
				fields_set(&all, pet.v[i].key, pet.v[i].val);
		rc = audit_change(s, "register", id, NULL, NULL, &all, err);
		fields_free(&all);
	}
	if (rc == XF_OK && spot) {
		struct xf_fields rec;
		fields_init(&rec);
		fields_set(&rec, "kind", "当场答复");
		fields_set(&rec, "reason", fields_str(&cols, "spot_answer"));
		rc = insert_record(s, "closures", id, &rec, err);
		if (rc == XF_OK)
			rc = audit_change(s, "spot", id, NULL, NULL, &rec, err);
		fields_free(&rec);
	}
	const char *repeat_of = fields_get(in, "repeat_of");
	if (rc == XF_OK && !str_empty(repeat_of)) {
		char *list = xstrdup(repeat_of), *save = NULL;
		for (char *n = strtok_r(list, ", ", &save); n && rc == XF_OK; n = strtok_r(NULL, ", ", &save))
			rc = link_cases(s, id, n, "登记时关联", err);
		free(list);
	}
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	else
		snprintf(number_out, 32, "%s", number);
	fields_free(&cols);
	fields_free(&pet);
	return rc;
}

/* Loads a case row and its state, for a view or a move: a case out of the session's reach is
 * not found, as if there were none (every view and move of a case by id comes through here). */
static int load_case(struct xf_session *s, int64_t id, struct xf_fields *row, enum xf_state *state,
                     struct xf_err *err)
{
	int rc = store_get(s->st, "cases", id, row, err);
	if (rc == XF_ENOTFOUND)
		return xf_err_set(err, XF_ENOTFOUND, "没有这件信访事项");
	if (rc == XF_OK)
		rc = branch_case_visible(s, row, err);
	if (rc != XF_OK) {
		if (rc == XF_ENOTFOUND)
			fields_free(row);
		return rc;
	}
	int st = case_state_parse(fields_str(row, "state"));
	*state = st < 0 ? XF_ST_QUEUED : (enum xf_state)st;
	return XF_OK;
}

/* Handlers see and act on their own department's cases only. */
static int check_access(struct xf_session *s, const struct xf_fields *row, struct xf_err *err)
{
	if (s->op.role != XF_ROLE_HANDLER)
		return XF_OK;
	if (strcmp(fields_str(row, "department"), s->op.department) == 0 && *s->op.department)
		return XF_OK;
	return xf_err_set(err, XF_EDENIED, "%s 不是转给%s的事项，经办人无权查看或办理", fields_str(row, "number"),
	                  *s->op.department ? s->op.department : "您所在部门");
}

/* Column holding the due date of a limit kind. */
static const char *due_column(enum xf_limit_kind kind)
{
	static const char *const cols[] = {"due_transfer", "due_handle", "due_reply"};
	return cols[kind];
}

/* Checks that a department is one of the case's branch. */
static int check_case_department(struct xf_session *s, const struct xf_fields *row, const char *label,
                                 const char *dept, struct xf_err *err)
{
	bool found;
	char *names;
	int rc = branch_department(s->st, branch_of_row(row), dept, &found, &names, err);
	if (rc != XF_OK || found) {
		free(names);
		return rc;
	}
	char shown[XF_CLIP_SIZE];
	rc = xf_err_set(err, XF_EINVAL, "%s“%s”不是本事项所属机构的部门：可选 %s", label,
	                text_clip(dept, 40, shown, sizeof shown), *names ? names : "（该机构还没有部门）");
	free(names);
	return rc;
}

/* Checks the departments of a transfer: the case's branch's. */
static int transfer_departments(struct xf_session *s, const struct xf_fields *in, const struct xf_fields *row,
                                struct xf_err *err)
{
	const char *dept = fields_str(in, "dept");
	int rc = check_case_department(s, row, "承办部门", dept, err);
	if (rc != XF_OK)
		return rc;
	char *co = xstrdup(fields_str(in, "co_depts")), *save = NULL;
	for (char *d = strtok_r(co, ",，、 ", &save); d && rc == XF_OK; d = strtok_r(NULL, ",，、 ", &save)) {
		if (strcmp(d, dept) == 0)
			rc = xf_err_set(err, XF_EINVAL, "协办部门不能与主办部门（%s）相同", dept);
		else
			rc = check_case_department(s, row, "协办部门", d, err);
	}
	free(co);
	if (rc == XF_OK)
		rc = mask_check_recusal(s, row, fields_get(in, "handler"), "批转", err);
	return rc;
}

/* Builds the transfer: its record and the case changes. The 办理期限 becomes the case's 周限. */
static int move_transfer(struct xf_session *s, int64_t id, const struct xf_fields *in, const struct xf_fields *row,
                         struct xf_fields *changes, struct xf_fields *rec, struct xf_err *err)
{
	int rc = transfer_departments(s, in, row, err);
	char today[11], deadline[11];
	today_iso(today);
	if (rc == XF_OK)
		rc = case_check_deadline(s, id, row, fields_get(in, "deadline"), deadline, err);
	if (rc == XF_OK && fields_has(in, "instruction") && !fields_has(in, "leader"))
		rc = xf_err_set(err, XF_EINVAL, "填写领导批示时须注明批示领导（leader）");
	if (rc == XF_OK)
		rc = check_move_text(in, "opinion", "办公室意见", 1000, true, err);
	if (rc == XF_OK)
		rc = check_move_text(in, "instruction", "领导批示", 1000, true, err);
	if (rc != XF_OK)
		return rc;
	char summary[256];
	snprintf(summary, sizeof summary, "%s", fields_has(in, "summary") ? fields_str(in, "summary") : "");
	static const char *const copy[] = {"co_depts", "instruction", "leader", "opinion", "handler"};
	static const char *const cols[] = {"co_departments", "instruction", "leader", "opinion", "handler"};
	for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++)
		fields_set(rec, cols[i], fields_str(in, copy[i]));
	fields_set(rec, "department", fields_str(in, "dept"));
	fields_set(rec, "summary", fields_has(in, "summary") ? fields_str(in, "summary") : "");
	fields_set(rec, "deadline", deadline);
	fields_set(rec, "transfer_date", today);
	if (strcmp(deadline, fields_str(row, "due_handle")) != 0)
		fields_set(changes, "due_handle", deadline);
	/* The slip goes to the lead department and the co-departments alike. */
	char *receivers = xasprintf("%s、%s", fields_str(in, "dept"), fields_str(in, "co_depts"));
	fields_set(rec, "masked", mask_department_may_see(row, receivers) ? "0" : "1");
	free(receivers);
	fields_set(changes, "department", fields_str(in, "dept"));
	fields_set(changes, "transferred_on", today);
	if (fields_has(in, "instruction"))
		fields_set(changes, "importance", "重要");
	return XF_OK;
}

/* A returned case's 周限 goes back to the limit the rules allow: the 办理期限 was the
 * returning department's; the next transfer gives its own. */
static int return_deadline(struct xf_session *s, int64_t id, const struct xf_fields *row, struct xf_fields *changes,
                           struct xf_err *err)
{
	int day;
	bool extended;
	int rc = case_handle_ceiling(s, id, row, &day, &extended, err);
	char iso[11];
	date_format(day, iso);
	if (rc == XF_OK && strcmp(iso, fields_str(row, "due_handle")) != 0)
		fields_set(changes, "due_handle", iso);
	return rc;
}

/* Builds the outcome report. */
static int move_outcome(struct xf_session *s, const struct xf_fields *in, const struct xf_fields *row,
                        struct xf_fields *changes, struct xf_fields *rec, struct xf_err *err)
{
	static const char *const sat[] = {"满意", "基本满意", "不满意", "未表态"};
	const char *satisfaction = fields_has(in, "satisfaction") ? fields_str(in, "satisfaction") : "未表态";
	bool ok = false;
	for (size_t i = 0; i < 4; i++)
		ok = ok || strcmp(sat[i], satisfaction) == 0;
	if (!ok)
		return xf_err_set(err, XF_EINVAL, "信访人满意度应为 满意、基本满意、不满意 或 未表态");
	char handled[11];
	int rc = move_date(in, "handled_on", "办理日期", handled, err);
	char *contact_phone = NULL;
	if (rc == XF_OK && fields_has(in, "contact_phone"))
		rc = phone_normalize(fields_str(in, "contact_phone"), "联系电话", &contact_phone, err);
	if (rc == XF_OK)
		rc = check_move_text(in, "findings", "调查核实情况", 8000, true, err);
	if (rc == XF_OK)
		rc = mask_check_recusal(s, row, fields_get(in, "handler"), "报结", err);
	if (rc != XF_OK) {
		free(contact_phone);
		return rc;
	}
	static const char *const keys[] = {"findings", "accountability", "rectification", "handler", "dept_head",
	                                   "contact_phone"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		fields_set(rec, keys[i], fields_str(in, keys[i]));
	if (contact_phone != NULL)
		fields_set(rec, "contact_phone", contact_phone); /* the one stored form */
	free(contact_phone);
	fields_set(rec, "satisfaction", satisfaction);
	fields_set(rec, "handled_on", handled);
	char today[11];
	today_iso(today);
	fields_set(changes, "reported_on", today);
	return XF_OK;
}

/* The limit an extension moves: the one asked for, or the first still pending. */
static int extension_limit(const struct xf_fields *in, enum xf_state state, enum xf_limit_kind *kind,
                           struct xf_err *err)
{
	const char *l = fields_get(in, "limit");
	if (str_empty(l))
		*kind = state <= XF_ST_TRANSFERRED ? XF_LIMIT_HANDLE : XF_LIMIT_REPLY;
	else if (strcmp(l, "handle") == 0 || strcmp(l, "周限") == 0)
		*kind = XF_LIMIT_HANDLE;
	else if (strcmp(l, "reply") == 0 || strcmp(l, "月限") == 0)
		*kind = XF_LIMIT_REPLY;
	else
		return xf_err_set(err, XF_EINVAL, "延期的时限应为 handle（周限）或 reply（月限）");
	if (*kind == XF_LIMIT_HANDLE && state > XF_ST_TRANSFERRED)
		return xf_err_set(err, XF_ESTATE, "已报结，周限已满足，不能再延期周限");
	return XF_OK;
}

/* Number of pending extension requests of a case, and the newest one. */
static int pending_extension(struct xf_session *s, int64_t id, struct xf_fields *newest, int *count,
                             struct xf_err *err)
{
	struct xf_rows rows;
	int rc = case_extensions(s, id, &rows, err);
	if (rc != XF_OK)
		return rc;
	*count = 0;
	fields_init(newest);
	for (size_t i = 0; i < rows.n; i++) {
		if (strcmp(fields_str(&rows.v[i], "decision"), "pending") != 0)
			continue;
		(*count)++;
		fields_free(newest);
		fields_init(newest);
		for (size_t j = 0; j < rows.v[i].n; j++)
			fields_set(newest, rows.v[i].v[j].key, rows.v[i].v[j].val);
	}
	rows_free(&rows);
	return XF_OK;
}

/* Builds an extension request; the head's own request is approved at once. */
static int move_extend(struct xf_session *s, int64_t id, const struct xf_fields *in, const struct xf_fields *row,
                       enum xf_state state, struct xf_fields *changes, struct xf_fields *rec, struct xf_err *err)
{
	enum xf_limit_kind kind;
	int rc = extension_limit(in, state, &kind, err);
	if (rc != XF_OK)
		return rc;
	const char *current = fields_str(row, due_column(kind));
	int due, until;
	struct xf_err derr;
	date_parse(current, &due, NULL);
	if (date_parse(fields_str(in, "until"), &until, &derr) != XF_OK)
		return xf_err_set(err, XF_EINVAL, "延期至：%s", derr.msg);
	if (clock_today() > due)
		return xf_err_set(err, XF_ESTATE, "%s已于 %s 到期：延期须在期限届满前申请", limits_kind_label(kind), current);
	if (until <= due)
		return xf_err_set(err, XF_EINVAL, "延期后的日期应晚于现在的期限 %s", current);
	if ((rc = check_move_text(in, "reason", "延期理由", 1000, true, err)) != XF_OK)
		return rc;
	struct xf_fields pending;
	int count;
	if ((rc = pending_extension(s, id, &pending, &count, err)) != XF_OK)
		return rc;
	fields_free(&pending);
	if (count > 0)
		return xf_err_set(err, XF_ESTATE, "已有一项延期申请等待审批，请先审批");
	fields_set(rec, "limit_kind", limits_kind_key(kind));
	fields_set(rec, "reason", fields_str(in, "reason"));
	fields_set(rec, "old_due", current);
	fields_set(rec, "new_due", fields_str(in, "until"));
	if (s->op.role == XF_ROLE_HEAD || s->op.role == XF_ROLE_ADMIN) {
		char now[20];
		clock_now_iso(now);
		fields_set(rec, "decision", "approved");
		fields_set(rec, "decided_by", s->op.name);
		fields_set(rec, "decided_at", now);
		fields_set(changes, due_column(kind), fields_str(in, "until"));
	}
	return XF_OK;
}

/* Decides the pending extension request. */
static int move_decide(struct xf_session *s, int64_t id, const struct xf_fields *in, struct xf_fields *changes,
                       struct xf_fields *rec, struct xf_err *err)
{
	const char *d = fields_str(in, "decision");
	bool approve;
	if (strcmp(d, "approve") == 0 || strcmp(d, "同意") == 0 || strcmp(d, "是") == 0)
		approve = true;
	else if (strcmp(d, "deny") == 0 || strcmp(d, "不同意") == 0 || strcmp(d, "否") == 0)
		approve = false;
	else
		return xf_err_set(err, XF_EINVAL, "审批意见应为“同意”（approve）或“不同意”（deny）");
	struct xf_fields pending;
	int count;
	int rc = pending_extension(s, id, &pending, &count, err);
	if (rc != XF_OK)
		return rc;
	if (count == 0) {
		fields_free(&pending);
		return xf_err_set(err, XF_ESTATE, "没有等待审批的延期申请");
	}
	char now[20];
	clock_now_iso(now);
	struct xf_fields upd;
	fields_init(&upd);
	fields_set(&upd, "decision", approve ? "approved" : "denied");
	fields_set(&upd, "decided_by", s->op.name);
	fields_set(&upd, "decided_at", now);
	rc = store_update(s->st, "extensions", atoll(fields_str(&pending, "id")), &upd, 0, err);
	if (rc == XF_OK && approve) {
		enum xf_limit_kind kind = limits_kind_parse(fields_str(&pending, "limit_kind")) == XF_LIMIT_REPLY
		                                  ? XF_LIMIT_REPLY
		                                  : XF_LIMIT_HANDLE;
		fields_set(changes, due_column(kind), fields_str(&pending, "new_due"));
	}
	fields_set(rec, "extension", fields_str(&pending, "id"));
	fields_set(rec, "decision", approve ? "同意" : "不同意");
	fields_set(rec, "note", fields_str(in, "note"));
	fields_free(&upd);
	fields_free(&pending);
	return rc;
}

/* Builds the record of a side action or closing move; *table names where it goes. */
static int move_record(struct xf_session *s, int64_t id, const struct xf_move_def *def, const struct xf_fields *in,
                       const struct xf_fields *row, enum xf_state state, struct xf_fields *changes,
                       struct xf_fields *rec, const char **table, struct xf_err *err)
{
	char date[11];
	int rc = XF_OK;
	*table = NULL;
	switch (def->move) {
	case XF_MV_SPOT:
		*table = "closures";
		fields_set(rec, "kind", def->closure);
		fields_set(rec, "reason", fields_str(in, "answer"));
		fields_set(changes, "spot_answer", fields_str(in, "answer"));
		return check_move_text(in, "answer", "当场答复内容", 2000, true, err);
	case XF_MV_REJECT:
		*table = "closures";
		fields_set(rec, "kind", def->closure);
		fields_set(rec, "reason", fields_str(in, "reason"));
		fields_set(rec, "advice", fields_str(in, "advice"));
		return XF_OK;
	case XF_MV_WITHDRAW: {
		bool voluntary;
		if ((rc = field_parse_yesno(fields_str(in, "voluntary"), "是否自愿撤诉", &voluntary, err)) != XF_OK)
			return rc;
		*table = "closures";
		fields_set(rec, "kind", def->closure);
		fields_set(rec, "reason", fields_str(in, "reason"));
		fields_set(rec, "voluntary", voluntary ? "是" : "否");
		return XF_OK;
	}
	case XF_MV_CLOSE:
		*table = "closures";
		fields_set(rec, "kind", def->closure);
		fields_set(rec, "reason", fields_str(in, "note"));
		return XF_OK;
	case XF_MV_TRANSFER:
		*table = "transfers";
		return move_transfer(s, id, in, row, changes, rec, err);
	case XF_MV_RETURN:
		if ((rc = move_date(in, "date", "退回日期", date, err)) != XF_OK)
			return rc;
		*table = "returns";
		fields_set(rec, "department", fields_str(row, "department"));
		fields_set(rec, "reason", fields_str(in, "reason"));
		fields_set(rec, "returned_on", date);
		fields_set(changes, "department", "");
		return return_deadline(s, id, row, changes, err);
	case XF_MV_OUTCOME:
		*table = "outcomes";
		return move_outcome(s, in, row, changes, rec, err);
	case XF_MV_REPLY: {
		const char *method = fields_str(in, "method");
		if (strcmp(method, "口头") != 0 && strcmp(method, "书面") != 0)
			return xf_err_set(err, XF_EINVAL, "答复方式应为“口头”或“书面”");
		if ((rc = move_date(in, "date", "答复日期", date, err)) != XF_OK)
			return rc;
		*table = "replies";
		fields_set(rec, "method", method);
		fields_set(rec, "replied_on", date);
		fields_set(rec, "content", fields_str(in, "content"));
		fields_set(changes, "replied_on", date);
		return XF_OK;
	}
	case XF_MV_INSTRUCT:
		if ((rc = move_date(in, "date", "批示日期", date, err)) != XF_OK)
			return rc;
		*table = "instructions";
		fields_set(rec, "leader", fields_str(in, "leader"));
		fields_set(rec, "text", fields_str(in, "text"));
		fields_set(rec, "given_on", date);
		fields_set(changes, "importance", "重要");
		return check_move_text(in, "text", "批示内容", 2000, true, err);
	case XF_MV_EXTEND:
		*table = "extensions";
		return move_extend(s, id, in, row, state, changes, rec, err);
	case XF_MV_DECIDE:
		return move_decide(s, id, in, changes, rec, err);
	case XF_MV_URGE:
		if ((rc = move_date(in, "date", "催办日期", date, err)) != XF_OK)
			return rc;
		*table = "urgings";
		fields_set(rec, "urged_on", date);
		fields_set(rec, "target", fields_str(in, "target"));
		fields_set(rec, "method", fields_str(in, "method"));
		fields_set(rec, "note", fields_str(in, "note"));
		return XF_OK;
	case XF_MV_MATERIAL: {
		long copies = 1;
		if (fields_has(in, "copies") &&
		    (rc = field_parse_int(fields_str(in, "copies"), "份数", 1, 1000, &copies, err)) != XF_OK)
			return rc;
		if ((rc = move_date(in, "date", "收到日期", date, err)) != XF_OK)
			return rc;
		*table = "materials";
		char buf[32];
		snprintf(buf, sizeof buf, "%ld", copies);
		fields_set(rec, "copies", buf);
		fields_set(rec, "received_on", date);
		fields_set(rec, "description", fields_str(in, "description"));
		snprintf(buf, sizeof buf, "%ld", atol(fields_str(row, "materials")) + copies);
		fields_set(changes, "materials", buf);
		return XF_OK;
	}
	case XF_MV_LINK:
	case XF_MV_COUNT:
	default:
		return XF_OK;
	}
}

/* Checks that a move may start: the state, the role and the operator's access. */
static int move_allowed(struct xf_session *s, const struct xf_move_def *def, const struct xf_fields *row,
                        enum xf_state state, struct xf_err *err)
{
	if (!auth_require(s, def->roles, def->label, err))
		return err->code;
	int rc = check_access(s, row, err);
	if (rc == XF_OK)
		rc = mask_check_recusal(s, row, NULL, def->label, err);
	if (rc != XF_OK)
		return rc;
	if (!(def->from & XF_IN(state))) {
		const char *closure = fields_str(row, "closure");
		struct xf_buf from;
		buf_init(&from);
		for (int i = 0; i < XF_ST_COUNT; i++)
			if (def->from & XF_IN(i))
				buf_printf(&from, "%s%s", from.len ? "、" : "", state_labels[i]);
		xf_err_set(err, XF_ESTATE, "%s现在是“%s%s%s%s”，不能%s（只有%s的事项可以）", fields_str(row, "number"),
		           state_labels[state], *closure ? "（" : "", closure, *closure ? "）" : "", def->label, from.data);
		buf_free(&from);
		return XF_ESTATE;
	}
	return XF_OK;
}

/* Does one move in one transaction with its audit event. */
int case_move(struct xf_session *s, int64_t id, enum xf_move move, const struct xf_fields *in,
              int64_t expect_version, struct xf_err *err)
{
	if ((int)move < 0 || move >= XF_MV_COUNT)
		return xf_err_set(err, XF_EINVAL, "内部错误：未知的操作");
	const struct xf_move_def *def = &xf_moves[move];
	int rc = check_keys(def, in, err);
	if (rc != XF_OK)
		return rc;
	for (size_t i = 0; in && i < in->n; i++) {
		const struct xf_move_field *mf = case_move_field(move, in->v[i].key);
		bool one_line = mf && mf->type != XF_F_LONGTEXT;
		if ((rc = field_check_text(in->v[i].val, mf ? mf->label : in->v[i].key, 8000, !one_line, err)) != XF_OK)
			return rc;
	}
	if ((rc = session_begin_as(s, true, err)) != XF_OK)
		return rc;
	struct xf_fields row, changes, rec;
	fields_init(&changes);
	fields_init(&rec);
	enum xf_state state;
	rc = load_case(s, id, &row, &state, err);
	if (rc == XF_OK && expect_version > 0 && atoll(fields_str(&row, "version")) != expect_version)
		rc = xf_err_set(err, XF_ECONFLICT, "%s 刚被其他人修改过：请重新打开后再操作，您的输入未保存",
		                fields_str(&row, "number"));
	if (rc == XF_OK)
		rc = branch_case_writable(s, &row, err);
	if (rc == XF_OK)
		rc = move_allowed(s, def, &row, state, err);
	const char *table = NULL;
	if (rc == XF_OK)
		rc = move_record(s, id, def, in, &row, state, &changes, &rec, &table, err);
	if (rc == XF_OK && def->to >= 0) {
		fields_set(&changes, "state", state_keys[def->to]);
		if (def->to == XF_ST_CLOSED) {
			char today[11];
			today_iso(today);
			fields_set(&changes, "closure", def->closure);
			fields_set(&changes, "closed_on", today);
		}
	}
	if (rc == XF_OK)
		rc = store_update(s->st, "cases", id, &changes, atoll(fields_str(&row, "version")), err);
	if (rc == XF_OK && table != NULL)
		rc = insert_record(s, table, id, &rec, err);
	if (rc == XF_OK && def->move == XF_MV_LINK)
		rc = link_cases(s, id, fields_str(in, "to"), fields_str(in, "note"), err);
	else if (rc == XF_OK)
		rc = audit_change(s, def->key, id, &row, &changes, &rec, err);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	fields_free(&row);
	fields_free(&changes);
	fields_free(&rec);
	return rc;
}

/* The edit's values, with the stored document type or number added where only the other is
 * corrected, so the number is checked as the document it is. */
static int edit_identity_context(struct xf_session *s, int64_t id, const struct xf_fields *in, struct xf_fields *given,
                                 struct xf_err *err)
{
	fields_init(given);
	for (size_t i = 0; i < in->n; i++)
		fields_set(given, in->v[i].key, in->v[i].val);
	bool has_type = fields_get(in, "id_type") != NULL, has_number = fields_get(in, "id_number") != NULL;
	if (has_type == has_number)
		return XF_OK;
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	struct xf_rows prows;
	int rc = store_list(s->st, "petitioners", "case_id", cid, &prows, err);
	if (rc != XF_OK)
		return rc;
	if (prows.n > 0) {
		const char *key = has_type ? "id_number" : "id_type";
		if (!str_empty(fields_str(&prows.v[0], key)))
			fields_set(given, key, fields_str(&prows.v[0], key));
	}
	rows_free(&prows);
	return XF_OK;
}

/* Corrects registration fields of a case. */
int case_edit(struct xf_session *s, int64_t id, const struct xf_fields *in, int64_t expect_version,
              struct xf_err *err)
{
	if (!auth_require(s, OP | HD, "更正登记内容", err))
		return err->code;
	/* registration_values passes repeat_of over (registration links it): a correction would
	 * record an empty 更正 and link nothing */
	if (fields_has(in, "repeat_of"))
		return xf_err_set(err, XF_EINVAL, "更正不改关联：关联重复信访请用 xinfang link 编号 另一编号（工作台事项页的 l 关联）");
	struct xf_fields cols, pet, given;
	fields_init(&cols);
	fields_init(&pet);
	int rc = edit_identity_context(s, id, in, &given, err);
	if (rc == XF_OK)
		rc = registration_values(s, &given, &cols, &pet, err);
	fields_free(&given);
	for (size_t i = 0; rc == XF_OK && i < cols.n; i++) {
		const char *k = cols.v[i].key;
		if (strcmp(k, "received") == 0 || strcmp(k, "category") == 0 || strcmp(k, "spot_answer") == 0)
			rc = xf_err_set(err, XF_EINVAL, "“%s”决定编号或时限，不能更正；如有错请撤销后重新登记", field_def(k)->label);
		else if (strcmp(k, "channel") == 0)
			rc = check_choice(s, "channels", "来源渠道", cols.v[i].val, err);
	}
	if (rc == XF_OK)
		rc = session_begin(s, err);
	if (rc != XF_OK) {
		fields_free(&cols);
		fields_free(&pet);
		return rc;
	}
	struct xf_fields row, prow;
	fields_init(&prow);
	enum xf_state state;
	rc = load_case(s, id, &row, &state, err);
	if (rc == XF_OK && expect_version > 0 && atoll(fields_str(&row, "version")) != expect_version)
		rc = xf_err_set(err, XF_ECONFLICT, "刚被其他人修改过：请重新打开后再更正");
	if (rc == XF_OK)
		rc = branch_case_writable(s, &row, err);
	if (rc == XF_OK && state == XF_ST_CLOSED)
		rc = xf_err_set(err, XF_ESTATE, "已结案的事项不能更正登记内容");
	if (rc == XF_OK && fields_has(&pet, "id_number")) {
		int received = clock_today();
		date_parse(fields_str(&row, "received"), &received, NULL);
		rc = derive_from_id(&pet, received, err);
	}
	if (rc == XF_OK)
		rc = mask_check_recusal(s, &row, NULL, "更正登记内容", err);
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	struct xf_rows prows = {NULL, 0};
	if (rc == XF_OK)
		rc = store_list(s->st, "petitioners", "case_id", cid, &prows, err);
	if (rc == XF_OK && prows.n > 0 && pet.n > 0)
		rc = store_update(s->st, "petitioners", atoll(fields_str(&prows.v[0], "id")), &pet, 0, err);
	if (rc == XF_OK)
		rc = store_update(s->st, "cases", id, &cols, atoll(fields_str(&row, "version")), err);
	if (rc == XF_OK) {
		struct xf_fields both, before;
		fields_init(&both);
		fields_init(&before);
		for (size_t i = 0; i < row.n; i++)
			fields_set(&before, row.v[i].key, row.v[i].val);
		for (size_t i = 0; prows.n && i < prows.v[0].n; i++)
			fields_set(&before, prows.v[0].v[i].key, prows.v[0].v[i].val);
		for (size_t i = 0; i < cols.n; i++)
			fields_set(&both, cols.v[i].key, cols.v[i].val);
		for (size_t i = 0; i < pet.n; i++)
			fields_set(&both, pet.v[i].key, pet.v[i].val);
		rc = audit_change(s, "edit", id, &before, &both, NULL, err);
		fields_free(&both);
		fields_free(&before);
	}
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	if (rc != XF_OK)
		store_rollback(s->st);
	rows_free(&prows);
	fields_free(&row);
	fields_free(&prow);
	fields_free(&cols);
	fields_free(&pet);
	return rc;
}

/* Copies the newest row of a side table into view with a prefix. */
static int view_latest(struct xf_session *s, const char *table, const char *prefix, const char *cid,
                       struct xf_fields *view, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(s->st, table, "case_id", cid, &rows, err);
	if (rc != XF_OK)
		return rc;
	if (rows.n > 0) {
		const struct xf_fields *last = &rows.v[rows.n - 1];
		for (size_t i = 0; i < last->n; i++) {
			const char *k = last->v[i].key;
			if (strcmp(k, "id") == 0 || strcmp(k, "case_id") == 0)
				continue;
			char key[96];
			snprintf(key, sizeof key, "%s.%s", prefix, k);
			fields_set(view, key, last->v[i].val);
		}
	}
	char key[96], count[16];
	snprintf(key, sizeof key, "%s.count", prefix);
	snprintf(count, sizeof count, "%zu", rows.n);
	fields_set(view, key, count);
	rows_free(&rows);
	return XF_OK;
}

/* Numbers of the cases this one is linked to. */
static int view_links(struct xf_session *s, const char *cid, struct xf_fields *view, struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(s->st, "links", "case_id", cid, &rows, err);
	if (rc != XF_OK)
		return rc;
	struct xf_buf b;
	buf_init(&b);
	for (size_t i = 0; i < rows.n; i++) {
		struct xf_fields other;
		if (store_get(s->st, "cases", atoll(fields_str(&rows.v[i], "linked_id")), &other, NULL) == XF_OK &&
		    branch_case_visible(s, &other, NULL) == XF_OK)
			buf_printf(&b, "%s%s", b.len ? "," : "", fields_str(&other, "number"));
		fields_free(&other);
	}
	fields_set(view, "links", b.data);
	buf_free(&b);
	rows_free(&rows);
	return XF_OK;
}

/* The case's version now, for a screen to tell whether what it shows is still current. */
int case_version(struct xf_session *s, int64_t id, int64_t *version, struct xf_err *err)
{
	struct xf_fields row;
	enum xf_state state;
	int rc = load_case(s, id, &row, &state, err);
	if (rc == XF_OK)
		rc = check_access(s, &row, err);
	if (rc == XF_OK)
		*version = atoll(fields_str(&row, "version"));
	fields_free(&row);
	return rc;
}

/* Everything about a case. */
int case_view(struct xf_session *s, int64_t id, struct xf_fields *out, struct xf_err *err)
{
	fields_init(out);
	struct xf_fields row;
	enum xf_state state;
	int rc = load_case(s, id, &row, &state, err);
	if (rc == XF_OK)
		rc = check_access(s, &row, err);
	if (rc != XF_OK) {
		fields_free(&row);
		return rc;
	}
	char cid[32];
	snprintf(cid, sizeof cid, "%lld", (long long)id);
	fields_set(out, "number", fields_str(&row, "number"));
	fields_set(out, "state", state_labels[state]);
	fields_set(out, "state_code", state_keys[state]);
	fields_set(out, "closure", fields_str(&row, "closure"));
	static const char *const first[] = {"received", "due_transfer", "due_handle", "due_reply"};
	for (size_t i = 0; i < 4; i++)
		fields_set(out, first[i], fields_str(&row, first[i]));
	/* Where each limit stands, in words: a closed case's say 已办结, never a count of days. */
	static const char *const limit_keys[XF_LIMIT_COUNT] = {"limit_transfer", "limit_handle", "limit_reply"};
	for (int k = 0; k < XF_LIMIT_COUNT; k++) {
		char text[96];
		limits_case_text(&row, (enum xf_limit_kind)k, clock_today(), text, sizeof text);
		fields_set(out, limit_keys[k], text);
	}
	struct xf_rows pets;
	rc = store_list(s->st, "petitioners", "case_id", cid, &pets, err);
	bool pets_loaded = rc == XF_OK;
	for (const struct xf_fielddef *d = xf_registration_fields; rc == XF_OK && d->key; d++) {
		const char *v;
		if (strcmp(d->key, "number") == 0 || strcmp(d->key, "received") == 0)
			continue;
		if (is_petitioner_key(d->key))
			v = pets.n ? fields_str(&pets.v[0], d->key) : "";
		else
			v = fields_str(&row, d->key);
		if (is_yesno_column(d->key))
			v = strcmp(v, "1") == 0 ? "是" : "否";
		fields_set(out, d->key, v);
	}
	static const char *const rest[] = {"received_time", "department", "ruleset", "orig_due_handle",
	                                   "orig_due_reply", "transferred_on", "reported_on", "replied_on",
	                                   "closed_on", "created_by", "created_at", "version"};
	for (size_t i = 0; rc == XF_OK && i < sizeof rest / sizeof rest[0]; i++)
		fields_set(out, rest[i], fields_str(&row, rest[i]));
	if (rc == XF_OK)
		fields_set(out, "due_estimated", strcmp(fields_str(&row, "due_estimated"), "1") == 0 ? "是" : "否");
	static const char *const tables[][2] = {{"transfers", "transfer"}, {"outcomes", "outcome"},
	                                        {"replies", "reply"},       {"instructions", "instruction"},
	                                        {"returns", "return"},      {"extensions", "extension"},
	                                        {"urgings", "urge"},        {"materials", "material"},
	                                        {"closures", "closure"}};
	for (size_t i = 0; rc == XF_OK && i < sizeof tables / sizeof tables[0]; i++)
		rc = view_latest(s, tables[i][0], tables[i][1], cid, out, err);
	if (rc == XF_OK)
		rc = view_links(s, cid, out, err);
	if (rc == XF_OK)
		mask_apply(s, &row, pets.n ? &pets.v[0] : NULL, out);
	if (pets_loaded)
		rows_free(&pets);
	fields_free(&row);
	if (rc != XF_OK)
		fields_free(out);
	return rc;
}

/* Moves this operator may make now. */
int case_moves_open(struct xf_session *s, int64_t id, enum xf_move *moves, int *n, struct xf_err *err)
{
	struct xf_fields row;
	enum xf_state state;
	*n = 0;
	int rc = load_case(s, id, &row, &state, err);
	if (rc != XF_OK)
		return rc;
	struct xf_err read_only;
	bool writable = branch_case_writable(s, &row, &read_only) == XF_OK;
	for (int i = 0; writable && i < XF_MV_COUNT; i++) {
		struct xf_err ignore;
		if (move_allowed(s, &xf_moves[i], &row, state, &ignore) == XF_OK)
			moves[(*n)++] = (enum xf_move)i;
	}
	fields_free(&row);
	return XF_OK;
}

/* A searched value in the form it is stored in: document numbers and phones normalised as at
 * registration (a phone that does not read as one is searched as written). */
static char *lookup_form(const char *key, const char *value)
{
	if (str_empty(value))
		return NULL;
	if (strcmp(key, "id_number") == 0)
		return identity_normalize(value);
	char *norm;
	if (strcmp(key, "phone") == 0 && phone_normalize(value, "联系电话", &norm, NULL) == XF_OK)
		return norm;
	char *trimmed = xstrdup(value);
	return trimmed;
}

/* Earlier cases of the same petitioner, in the session's reach. */
int case_repeat_matches(struct xf_session *s, const struct xf_fields *in, int64_t exclude_id,
                        struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	if (!auth_require(s, OP | HD, "查看重复信访", err))
		return err->code;
	struct xf_reach reach;
	branch_reach(s, &reach);
	static const char *const keys[][2] = {{"id_number", "证件号码"}, {"phone", "联系电话"}, {"name", "姓名"}};
	size_t cap = 0;
	for (size_t k = 0; k < 3; k++) {
		char *v = lookup_form(keys[k][0], fields_get(in, keys[k][0]));
		if (str_empty(v)) {
			free(v);
			continue;
		}
		struct xf_rows rows;
		int rc = store_petitioner_cases(s->st, &reach, keys[k][0], v, &rows, err);
		free(v);
		if (rc != XF_OK) {
			rows_free(out);
			return rc;
		}
		for (size_t i = 0; i < rows.n; i++) {
			int64_t cid = atoll(fields_str(&rows.v[i], "id"));
			bool seen = cid == exclude_id;
			for (size_t j = 0; j < out->n && !seen; j++)
				seen = atoll(fields_str(&out->v[j], "id")) == cid;
			if (seen)
				continue;
			if (out->n == cap) {
				cap = cap ? cap * 2 : 8;
				out->v = xrealloc(out->v, cap * sizeof *out->v);
			}
			struct xf_fields *f = &out->v[out->n++];
			fields_init(f);
			for (size_t j = 0; j < rows.v[i].n; j++)
				fields_set(f, rows.v[i].v[j].key, rows.v[i].v[j].val);
			int st = case_state_parse(fields_str(f, "state"));
			fields_set(f, "state", st >= 0 ? state_labels[st] : "");
			fields_set(f, "match", keys[k][1]);
		}
		rows_free(&rows);
	}
	return XF_OK;
}

/* Keeps the first max characters of a field (never half a character). */
static void cut_characters(struct xf_fields *f, const char *key, int max)
{
	const char *v = fields_str(f, key);
	size_t len = strlen(v), i = 0;
	for (int n = 0; n < max && i < len; n++)
		utf8_next(v, len, &i);
	if (i < len) {
		char *cut = xstrndup(v, i);
		fields_set(f, key, cut);
		free(cut);
	}
}

/* Lists cases in the session's reach, a handler's limited to the handler's department. */
int case_list(struct xf_session *s, const char *state, const char *department, const char *created_by,
              enum xf_list_order order, int limit, struct xf_rows *out, struct xf_err *err)
{
	return case_list_in(s, NULL, state, department, created_by, order, limit, out, err);
}

/* Lists cases of one branch in reach (NULL: all in reach). */
int case_list_in(struct xf_session *s, const char *branch, const char *state, const char *department,
                 const char *created_by, enum xf_list_order order, int limit, struct xf_rows *out,
                 struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_reach reach;
	int rc = branch_list_reach(s, branch, &reach, err);
	if (rc != XF_OK)
		return rc;
	const char *state_key = NULL;
	if (!str_empty(state)) {
		int st = case_state_parse(state);
		if (st < 0)
			return xf_err_set(err, XF_EINVAL, "状态“%s”不认识：待批 已转办 已报结 已答复 已结案", state);
		state_key = state_keys[st];
	}
	if (s->op.role == XF_ROLE_HANDLER)
		department = s->op.department;
	rc = store_case_briefs(s->st, &reach, state_key, str_empty(department) ? NULL : department,
	                       str_empty(created_by) ? NULL : created_by, order, limit > 0 ? limit : 100, out, err);
	for (size_t i = 0; rc == XF_OK && i < out->n; i++) {
		int st = case_state_parse(fields_str(&out->v[i], "state"));
		fields_set(&out->v[i], "state", st >= 0 ? state_labels[st] : "");
	}
	/* The whole summary is masked first and cut after: a number cut in half would no longer
	 * be found to be withheld. */
	if (rc == XF_OK)
		rc = mask_case_rows(s, out, err);
	for (size_t i = 0; rc == XF_OK && i < out->n; i++)
		cut_characters(&out->v[i], "summary", 40);
	if (rc != XF_OK)
		rows_free(out);
	return rc;
}

/* The department a handler's counts and lists are limited to; NULL for the office. */
static const char *own_department(const struct xf_session *s)
{
	if (s->op.role != XF_ROLE_HANDLER)
		return NULL;
	/* A handler without a department sees none (no department has an empty name). */
	return *s->op.department ? s->op.department : "（无部门）";
}

/* Status-bar counts from indexed range queries. */
int case_status_counts(struct xf_session *s, struct xf_status_counts *c, struct xf_err *err)
{
	memset(c, 0, sizeof *c);
	int rc = session_load_reference(s, err);
	if (rc != XF_OK)
		return rc;
	int today = clock_today();
	char yesterday[11], now[11], until[11];
	date_format(today - 1, yesterday);
	date_format(today, now);
	const char *dept = own_department(s);
	struct xf_reach reach;
	branch_reach(s, &reach);
	for (int k = 0; k < XF_LIMIT_COUNT && rc == XF_OK; k++) {
		date_format(today + s->rules.warn_days[k], until);
		rc = store_count_pending(s->st, &reach, (enum xf_limit_kind)k, NULL, yesterday, dept, &c->overdue[k], err);
		if (rc == XF_OK)
			rc = store_count_pending(s->st, &reach, (enum xf_limit_kind)k, now, until, dept, &c->nearing[k], err);
	}
	if (rc == XF_OK)
		rc = store_count_pending(s->st, &reach, XF_LIMIT_TRANSFER, NULL, NULL, dept, &c->pending_transfer, err);
	return rc;
}

/* The status bar's text. */
void case_status_text(const struct xf_status_counts *c, char *out, size_t n)
{
	snprintf(out, n, "周限 临近%ld 超期%ld │ 月限 临近%ld 超期%ld │ 待批转 %ld 超期%ld", c->nearing[XF_LIMIT_HANDLE],
	         c->overdue[XF_LIMIT_HANDLE], c->nearing[XF_LIMIT_REPLY], c->overdue[XF_LIMIT_REPLY],
	         c->pending_transfer, c->overdue[XF_LIMIT_TRANSFER]);
}

/* Open cases in reach nearing or past their limits. */
int case_due_list(struct xf_session *s, struct xf_rows *out, struct xf_err *err)
{
	return case_due_list_in(s, NULL, out, err);
}

/* Open cases of one branch in reach (NULL: all in reach) nearing or past their limits. */
int case_due_list_in(struct xf_session *s, const char *branch, struct xf_rows *out, struct xf_err *err)
{
	out->v = NULL;
	out->n = 0;
	struct xf_reach reach;
	int rc = branch_list_reach(s, branch, &reach, err);
	if (rc == XF_OK)
		rc = session_load_reference(s, err);
	if (rc != XF_OK)
		return rc;
	if (!auth_require(s, OP | HD | HN, "查看时限清单", err))
		return err->code;
	int today = clock_today();
	size_t cap = 0;
	static const enum xf_limit_kind order[] = {XF_LIMIT_HANDLE, XF_LIMIT_REPLY, XF_LIMIT_TRANSFER};
	for (size_t o = 0; o < 3 && rc == XF_OK; o++) {
		enum xf_limit_kind k = order[o];
		char until[11];
		date_format(today + s->rules.warn_days[k], until);
		struct xf_rows rows;
		rc = store_pending_list(s->st, &reach, k, until, own_department(s), &rows, err);
		bool got = rc == XF_OK;
		if (rc == XF_OK)
			rc = mask_case_rows(s, &rows, err);
		for (size_t i = 0; rc == XF_OK && i < rows.n; i++) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 32;
				out->v = xrealloc(out->v, cap * sizeof *out->v);
			}
			struct xf_fields *f = &out->v[out->n++];
			fields_init(f);
			int due = 0;
			date_parse(fields_str(&rows.v[i], "due"), &due, NULL);
			int st = case_state_parse(fields_str(&rows.v[i], "state"));
			char left[16];
			snprintf(left, sizeof left, "%d", due - today);
			fields_set(f, "limit", limits_kind_label(k));
			fields_set(f, "number", fields_str(&rows.v[i], "number"));
			fields_set(f, "state", st >= 0 ? state_labels[st] : "");
			fields_set(f, "due", fields_str(&rows.v[i], "due"));
			fields_set(f, "days_left", left);
			fields_set(f, "name", fields_str(&rows.v[i], "name"));
			fields_set(f, "department", fields_str(&rows.v[i], "department"));
		}
		if (got)
			rows_free(&rows);
	}
	if (rc != XF_OK)
		rows_free(out);
	return rc;
}

/* A 办理期限 the head gave (or an extension) survives a recomputed 周限, but never beyond the
 * latest limit the recomputed rules and the approved extensions allow. */
static int recomputed_deadline(struct xf_session *s, int64_t id, const struct xf_fields *row, int handle,
                               struct xf_fields *changes, struct xf_err *err)
{
	struct xf_fields probe;
	fields_init(&probe);
	char iso[11];
	date_format(handle, iso);
	fields_set(&probe, "number", fields_str(row, "number"));
	fields_set(&probe, "orig_due_handle", iso);
	int ceiling, given;
	bool extended;
	int rc = case_handle_ceiling(s, id, &probe, &ceiling, &extended, err);
	fields_free(&probe);
	if (rc == XF_OK && date_parse(fields_str(row, "due_handle"), &given, NULL) == XF_OK && given > ceiling) {
		date_format(ceiling, iso);
		fields_set(changes, "due_handle", iso);
	}
	return rc;
}

/* Recomputes estimated limits once the calendar covers their years. */
int case_recompute_estimated(struct xf_session *s, int *updated, struct xf_err *err)
{
	*updated = 0;
	session_reload_reference(s);
	int rc = session_load_reference(s, err);
	if (rc != XF_OK)
		return rc;
	struct xf_rows rows;
	if ((rc = store_list(s->st, "cases", "due_estimated", "1", &rows, err)) != XF_OK)
		return rc;
	for (size_t i = 0; i < rows.n && rc == XF_OK; i++) {
		const struct xf_fields *row = &rows.v[i];
		int received, due[XF_LIMIT_COUNT];
		bool estimated;
		date_parse(fields_str(row, "received"), &received, NULL);
		if (compute_dues(s, received, fields_str(row, "category"), due, &estimated, NULL, err) != XF_OK ||
		    estimated)
			continue;
		struct xf_fields changes;
		fields_init(&changes);
		char iso[11];
		static const char *const keys[] = {"due_transfer", "due_handle", "due_reply"};
		for (int k = 0; k < XF_LIMIT_COUNT; k++) {
			date_format(due[k], iso);
			bool extended = k != XF_LIMIT_TRANSFER &&
			                strcmp(fields_str(row, keys[k]), fields_str(row, k == XF_LIMIT_HANDLE
			                                                                     ? "orig_due_handle"
			                                                                     : "orig_due_reply")) != 0;
			if (!extended)
				fields_set(&changes, keys[k], iso);
		}
		int64_t id = atoll(fields_str(row, "id"));
		if (strcmp(fields_str(row, "due_handle"), fields_str(row, "orig_due_handle")) != 0)
			rc = recomputed_deadline(s, id, row, due[XF_LIMIT_HANDLE], &changes, err);
		date_format(due[XF_LIMIT_HANDLE], iso);
		fields_set(&changes, "orig_due_handle", iso);
		date_format(due[XF_LIMIT_REPLY], iso);
		fields_set(&changes, "orig_due_reply", iso);
		fields_set(&changes, "due_estimated", "0");
		if (rc == XF_OK)
			rc = store_update(s->st, "cases", id, &changes, atoll(fields_str(row, "version")), err);
		if (rc == XF_OK)
			rc = audit_change(s, "recompute", id, row, &changes, NULL, err);
		fields_free(&changes);
		if (rc == XF_OK)
			(*updated)++;
	}
	rows_free(&rows);
	return rc;
}

/* Operators, roles and passwords. */
#include "xinfang/auth.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/clock.h"
#include "xinfang/field.h"
#include "xinfang/text.h"

static const char *const role_keys[] = {"operator", "head", "handler", "admin"};
static const char *const role_labels[] = {"接待员", "办公室主任", "经办人", "管理员"};

/* Key of a role. */
const char *auth_role_key(enum xf_role role) { return role_keys[role]; }
/* Chinese name of a role. */
const char *auth_role_label(enum xf_role role) { return role_labels[role]; }

/* Role from key or Chinese name. */
int auth_role_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && (strcmp(s, role_keys[i]) == 0 || strcmp(s, role_labels[i]) == 0))
			return i;
	return -1;
}

/* Hashes with yescrypt ("$y$"). */
int auth_hash_password(const char *password, char **hash, struct xf_err *err)
{
	*hash = NULL;
	if (password == NULL || text_chars(password) < 6)
		return xf_err_set(err, XF_EINVAL, "密码至少 6 个字符");
	char *salt = crypt_gensalt_ra("$y$", 0, NULL, 0);
	if (salt == NULL)
		return xf_err_set(err, XF_EIO, "无法生成密码盐（系统的 libcrypt 不支持 yescrypt？）");
	struct crypt_data *cd = xcalloc(1, sizeof *cd);
	const char *h = crypt_r(password, salt, cd);
	free(salt);
	if (h == NULL || h[0] == '*') {
		free(cd);
		return xf_err_set(err, XF_EIO, "密码加密失败");
	}
	*hash = xstrdup(h);
	free(cd);
	return XF_OK;
}

/* Compares a password with a hash in constant time. */
bool auth_check_password(const char *password, const char *hash)
{
	if (password == NULL || hash == NULL || hash[0] != '$')
		return false;
	struct crypt_data *cd = xcalloc(1, sizeof *cd);
	const char *h = crypt_r(password, hash, cd);
	bool ok = false;
	if (h != NULL && h[0] != '*' && strlen(h) == strlen(hash)) {
		unsigned char diff = 0;
		for (size_t i = 0; h[i]; i++)
			diff |= (unsigned char)(h[i] ^ hash[i]);
		ok = diff == 0;
	}
	free(cd);
	return ok;
}

/* Fills an operator from its row. */
static void operator_from_row(const struct xf_fields *row, struct xf_operator *op)
{
	memset(op, 0, sizeof *op);
	op->id = atoll(fields_str(row, "id"));
	snprintf(op->name, sizeof op->name, "%s", fields_str(row, "name"));
	snprintf(op->full_name, sizeof op->full_name, "%s", fields_str(row, "full_name"));
	int role = auth_role_parse(fields_str(row, "role"));
	op->role = role < 0 ? XF_ROLE_OPERATOR : (enum xf_role)role;
	snprintf(op->department, sizeof op->department, "%s", fields_str(row, "department"));
}

/* Starts a session for an operator. */
static void session_start(struct xf_session *s, struct xf_store *st, const struct xf_operator *op)
{
	memset(s, 0, sizeof *s);
	s->st = st;
	s->op = *op;
}

/* Records a failed try and how long the account now waits. */
static int record_failure(struct xf_store *st, const struct xf_fields *row, struct xf_err *err)
{
	int failures = atoi(fields_str(row, "failures")) + 1;
	long long wait = 0;
	if (failures >= 3) {
		wait = 30LL << (failures - 3 > 5 ? 5 : failures - 3);
		if (wait > 900)
			wait = 900;
	}
	struct xf_fields upd;
	fields_init(&upd);
	char nbuf[16], wbuf[32];
	snprintf(nbuf, sizeof nbuf, "%d", failures);
	snprintf(wbuf, sizeof wbuf, "%lld", wait ? clock_seconds() + wait : 0LL);
	fields_set(&upd, "failures", nbuf);
	fields_set(&upd, "wait_until", wait ? wbuf : "");
	int rc = store_begin(st, err);
	if (rc == XF_OK)
		rc = store_update(st, "operators", atoll(fields_str(row, "id")), &upd, 0, err);
	if (rc == XF_OK) {
		struct xf_fields what;
		fields_init(&what);
		fields_set(&what, "failures", nbuf);
		char *after = audit_json(&what);
		rc = store_audit(st, fields_str(row, "name"), "login_failed", 0, NULL, after, err);
		free(after);
		fields_free(&what);
	}
	if (rc == XF_OK)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	fields_free(&upd);
	if (rc != XF_OK)
		return rc;
	if (wait)
		return xf_err_set(err, XF_EAUTH, "用户名或密码不对（已连续失败 %d 次）：请 %lld 秒后再试", failures, wait);
	return xf_err_set(err, XF_EAUTH, "用户名或密码不对（已连续失败 %d 次）", failures);
}

/* Logs an operator in. */
int auth_login(struct xf_store *st, const char *name, const char *password, struct xf_session *out,
               struct xf_err *err)
{
	memset(out, 0, sizeof *out);
	if (str_empty(name))
		return xf_err_set(err, XF_EAUTH, "请给出操作员（--user 名称，或环境变量 XINFANG_USER）");
	struct xf_rows rows;
	int rc = store_list(st, "operators", "name", name, &rows, err);
	if (rc != XF_OK)
		return rc;
	if (rows.n == 0 || atoi(fields_str(&rows.v[0], "active")) == 0) {
		rows_free(&rows);
		return xf_err_set(err, XF_EAUTH, "用户名或密码不对");
	}
	const struct xf_fields *row = &rows.v[0];
	long long wait_until = atoll(fields_str(row, "wait_until"));
	long long now = clock_seconds();
	if (wait_until > now) {
		rc = xf_err_set(err, XF_EAUTH, "密码错误次数过多：账户 %s 请等 %lld 秒后再登录", name, wait_until - now);
		rows_free(&rows);
		return rc;
	}
	if (!auth_check_password(password, fields_str(row, "pwhash"))) {
		rc = record_failure(st, row, err);
		rows_free(&rows);
		return rc;
	}
	if (atoi(fields_str(row, "failures")) != 0) {
		struct xf_fields upd;
		fields_init(&upd);
		fields_set(&upd, "failures", "0");
		fields_set(&upd, "wait_until", "");
		rc = store_update(st, "operators", atoll(fields_str(row, "id")), &upd, 0, err);
		fields_free(&upd);
		if (rc != XF_OK) {
			rows_free(&rows);
			return rc;
		}
	}
	struct xf_operator op;
	operator_from_row(row, &op);
	rows_free(&rows);
	session_start(out, st, &op);
	return XF_OK;
}

/* Inserts an operator row and its audit event; returns the new id. */
static int insert_operator(struct xf_store *st, const char *actor, const char *name, enum xf_role role,
                           const char *full_name, const char *department, const char *password, int64_t *id,
                           struct xf_err *err)
{
	char *hash;
	int rc = auth_hash_password(password, &hash, err);
	if (rc != XF_OK)
		return rc;
	char now[20];
	clock_now_iso(now);
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "name", name);
	fields_set(&f, "full_name", full_name ? full_name : "");
	fields_set(&f, "role", role_keys[role]);
	fields_set(&f, "department", department ? department : "");
	fields_set(&f, "pwhash", hash);
	fields_set(&f, "created_at", now);
	free(hash);
	rc = store_begin(st, err);
	if (rc == XF_OK)
		rc = store_insert(st, "operators", &f, id, err);
	if (rc == XF_OK) {
		struct xf_fields what;
		fields_init(&what);
		fields_set(&what, "name", name);
		fields_set(&what, "role", role_keys[role]);
		char *after = audit_json(&what);
		rc = store_audit(st, actor, "user_add", 0, NULL, after, err);
		free(after);
		fields_free(&what);
	}
	fields_free(&f);
	if (rc == XF_OK)
		return store_commit(st, err);
	store_rollback(st);
	return rc;
}

/* Checks an account name: ASCII letters, digits, '.', '_' or '-'. */
static int check_user_name(const char *name, struct xf_err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 32)
		return xf_err_set(err, XF_EINVAL, "用户名应为 1 到 32 个字母、数字、点、下划线或减号");
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return xf_err_set(err, XF_EINVAL, "用户名“%s”只能用字母、数字、点、下划线或减号（姓名请写在 full_name）", name);
	}
	return XF_OK;
}

/* Creates the first admin at init. */
int auth_create_admin(struct xf_store *st, const char *name, const char *password, struct xf_session *out,
                      struct xf_err *err)
{
	int rc = check_user_name(name, err);
	int64_t id = 0;
	if (rc == XF_OK)
		rc = insert_operator(st, name, name, XF_ROLE_ADMIN, "系统管理员", "", password, &id, err);
	if (rc != XF_OK)
		return rc;
	struct xf_operator op;
	memset(&op, 0, sizeof op);
	op.id = id;
	snprintf(op.name, sizeof op.name, "%s", name);
	snprintf(op.full_name, sizeof op.full_name, "系统管理员");
	op.role = XF_ROLE_ADMIN;
	session_start(out, st, &op);
	return XF_OK;
}

/* Adds an account. */
int auth_user_add(struct xf_session *s, const char *name, const char *role, const char *full_name,
                  const char *department, const char *password, struct xf_err *err)
{
	if (!auth_require(s, XF_MAY(XF_ROLE_ADMIN), "添加用户", err))
		return err->code;
	int r = auth_role_parse(role);
	if (r < 0)
		return xf_err_set(err, XF_EINVAL, "角色“%s”不认识：应为 operator（接待员）、head（办公室主任）、handler（经办人）或 admin（管理员）",
		                  role ? role : "");
	int rc = check_user_name(name, err);
	if (rc != XF_OK)
		return rc;
	if (!str_empty(full_name) && (rc = field_check_text(full_name, "姓名", 20, false, err)) != XF_OK)
		return rc;
	struct xf_rows rows;
	if ((rc = store_list(s->st, "operators", "name", name, &rows, err)) != XF_OK)
		return rc;
	size_t taken = rows.n;
	rows_free(&rows);
	if (taken)
		return xf_err_set(err, XF_EEXIST, "用户名 %s 已经存在", name);
	if (r == XF_ROLE_HANDLER) {
		if (str_empty(department))
			return xf_err_set(err, XF_EINVAL, "经办人须指定所在部门（dept=部门名称）");
		if ((rc = store_list(s->st, "departments", "name", department, &rows, err)) != XF_OK)
			return rc;
		size_t found = rows.n;
		rows_free(&rows);
		if (!found)
			return xf_err_set(err, XF_EINVAL, "没有部门“%s”", department);
	}
	int64_t id;
	return insert_operator(s->st, s->op.name, name, (enum xf_role)r, full_name, department, password, &id, err);
}

/* Role check done in the core. */
bool auth_require(const struct xf_session *s, unsigned mask, const char *what, struct xf_err *err)
{
	if (s->op.role == XF_ROLE_ADMIN || (mask & XF_MAY(s->op.role)))
		return true;
	struct xf_buf who;
	buf_init(&who);
	for (int r = 0; r < 4; r++)
		if ((mask & XF_MAY(r)) || r == XF_ROLE_ADMIN)
			buf_printf(&who, "%s%s", who.len ? "、" : "", role_labels[r]);
	xf_err_set(err, XF_EDENIED, "%s（%s）不能%s：这一步须由%s办理", s->op.name, role_labels[s->op.role], what,
	           who.data);
	buf_free(&who);
	return false;
}

/* Loads the calendar and rules once per session. */
int session_load_reference(struct xf_session *s, struct xf_err *err)
{
	if (s->ref_loaded)
		return XF_OK;
	int rc = store_calendar_load(s->st, &s->cal, err);
	if (rc == XF_OK)
		rc = store_rules_load(s->st, &s->rules, err);
	if (rc != XF_OK) {
		calendar_free(&s->cal);
		limits_free(&s->rules);
		return rc;
	}
	s->ref_loaded = true;
	return XF_OK;
}

/* Drops the loaded reference data so the next use reloads it. */
void session_reload_reference(struct xf_session *s)
{
	if (s->ref_loaded) {
		calendar_free(&s->cal);
		limits_free(&s->rules);
		s->ref_loaded = false;
	}
}

/* Releases what the session holds (not the store). */
void session_close(struct xf_session *s)
{
	session_reload_reference(s);
}

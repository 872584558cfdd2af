/* Branches and the reach of an account over them: who may see and act on which branch's
 * records. Branch accounts reach their own branch; 督办 supervisors and admins every branch
 * under theirs (a branch's path starts with its parent's). */
#include "xinfang/branch.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/auth.h"
#include "xinfang/clock.h"
#include "xinfang/store.h"

/* XF_OK when code may name a branch. */
int branch_check_code(const char *code, struct xf_err *err)
{
	size_t n = code ? strlen(code) : 0;
	bool shape = n >= 1 && n <= XF_BRANCH_CODE_MAX;
	for (size_t i = 0; shape && i < n; i++)
		shape = isascii((unsigned char)code[i]) && isalnum((unsigned char)code[i]);
	if (!shape)
		return xf_err_set(err, XF_EINVAL, "分支机构代码“%s”不对：应为 1 到 %d 个字母或数字（如 0101、BJ01），它写在每个编号前",
		                  code ? code : "", XF_BRANCH_CODE_MAX);
	return XF_OK;
}

/* Fills a branch from its row. */
static void branch_from_row(const struct xf_fields *row, struct xf_branch *b)
{
	memset(b, 0, sizeof *b);
	b->id = atoll(fields_str(row, "id"));
	snprintf(b->code, sizeof b->code, "%s", fields_str(row, "code"));
	snprintf(b->name, sizeof b->name, "%s", fields_str(row, "name"));
	b->parent = atoll(fields_str(row, "parent"));
	snprintf(b->path, sizeof b->path, "%s", fields_str(row, "path"));
	b->pushed = atoi(fields_str(row, "pushed")) != 0;
	snprintf(b->push_login, sizeof b->push_login, "%s", fields_str(row, "push_login"));
}

/* Reads the one branch whose column is value. */
static int branch_by(struct xf_store *st, const char *column, const char *value, struct xf_branch *out, bool *found,
                     struct xf_err *err)
{
	struct xf_rows rows;
	int rc = store_list(st, "branches", column, value, &rows, err);
	if (rc != XF_OK)
		return rc;
	*found = rows.n > 0;
	if (*found)
		branch_from_row(&rows.v[0], out);
	rows_free(&rows);
	return XF_OK;
}

/* Reads a branch by id. */
int branch_get(struct xf_store *st, int64_t id, struct xf_branch *out, struct xf_err *err)
{
	char key[24];
	bool found;
	snprintf(key, sizeof key, "%lld", (long long)id);
	int rc = branch_by(st, "id", key, out, &found, err);
	if (rc == XF_OK && !found)
		return xf_err_set(err, XF_ENOTFOUND, "没有编号为 %lld 的分支机构", (long long)id);
	return rc;
}

/* Reads a branch by code. */
int branch_find(struct xf_store *st, const char *code, struct xf_branch *out, struct xf_err *err)
{
	bool found = false;
	int rc = code && *code ? branch_by(st, "code", code, out, &found, err) : XF_OK;
	if (rc == XF_OK && !found)
		return xf_err_set(err, XF_ENOTFOUND, "没有代码为“%s”的分支机构：用 xinfang branch list 查看", code ? code : "");
	return rc;
}

/* Gives the own branch its code and name. */
int branch_set_own(struct xf_store *st, const char *actor, const char *code, const char *name, struct xf_err *err)
{
	int rc = branch_check_code(code, err);
	if (rc != XF_OK)
		return rc;
	struct xf_branch own;
	if ((rc = branch_get(st, XF_BRANCH_OWN, &own, err)) != XF_OK)
		return rc;
	if (*own.code && strcmp(own.code, code) != 0)
		return xf_err_set(err, XF_EINVAL, "本机构的代码已是“%s”，不能改为“%s”：它已写在发出的编号上", own.code, code);
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "code", code);
	if (name && *name)
		fields_set(&f, "name", name);
	rc = store_update(st, "branches", XF_BRANCH_OWN, &f, 0, err);
	if (rc == XF_OK) {
		char *after = audit_json(&f);
		rc = store_audit(st, actor, "branch_set", 0, NULL, after, err);
		free(after);
	}
	fields_free(&f);
	return rc;
}

/* True when the session spans the branches under its own. */
bool branch_reach_spans(const struct xf_session *s)
{
	return s->op.role == XF_ROLE_SUPERVISOR || s->op.role == XF_ROLE_ADMIN;
}

/* The session's branch: one never set (a session not begun by session_start) is the store's
 * own, as a row without a branch is. */
static int64_t own_branch(const struct xf_session *s)
{
	return s->op.branch > 0 ? s->op.branch : XF_BRANCH_OWN;
}

/* The path prefix of the session's reach. */
const char *branch_reach_path(const struct xf_session *s)
{
	if (s->op.branch <= 0 && s->op.branch_path[0] == '\0')
		return "/1/";
	return s->op.branch_path[0] ? s->op.branch_path : "/unreadable/";
}

/* The session's reach for the store's queries. */
void branch_reach(const struct xf_session *s, struct xf_reach *out)
{
	out->branch = own_branch(s);
	out->path = branch_reach_spans(s) ? branch_reach_path(s) : NULL;
}

/* True when path lies in the session's reach. */
static bool path_in_reach(const struct xf_session *s, int64_t id, const char *path)
{
	if (id == own_branch(s))
		return true;
	if (!branch_reach_spans(s))
		return false;
	const char *top = branch_reach_path(s);
	return strncmp(path, top, strlen(top)) == 0;
}

/* True when the session may see and act on a record of branch id. */
bool branch_in_reach(struct xf_session *s, int64_t branch)
{
	if (branch <= 0)
		branch = XF_BRANCH_OWN;
	if (branch == own_branch(s))
		return true;
	if (!branch_reach_spans(s))
		return false;
	struct xf_branch b;
	struct xf_err ignored;
	return branch_get(s->st, branch, &b, &ignored) == XF_OK && path_in_reach(s, b.id, b.path);
}

/* True when the session's reach holds a branch besides its own: a spanning account of a store
 * with branches under its own. The reach itself stays the role's (branch_reach_spans, no
 * read); this is for what a screen or a list says and shows. A store that cannot be read
 * answers as the role does, so a spanning account never sees less than its reach. */
bool branch_reach_several(struct xf_session *s)
{
	if (!branch_reach_spans(s))
		return false;
	struct xf_rows rows;
	struct xf_err ignored;
	if (store_list(s->st, "branches", NULL, NULL, &rows, &ignored) != XF_OK)
		return true;
	bool several = false;
	for (size_t i = 0; i < rows.n && !several; i++) {
		struct xf_branch b;
		branch_from_row(&rows.v[i], &b);
		several = b.id != own_branch(s) && path_in_reach(s, b.id, b.path);
	}
	rows_free(&rows);
	return several;
}

/* The branch a filter names, checked against the reach. */
int branch_filter(struct xf_session *s, const char *code, int64_t *id, struct xf_err *err)
{
	*id = 0;
	if (code == NULL || *code == '\0')
		return XF_OK;
	struct xf_branch b;
	struct xf_err ignored;
	if (branch_find(s->st, code, &b, &ignored) != XF_OK || !path_in_reach(s, b.id, b.path))
		return xf_err_set(err, XF_ENOTFOUND, "没有代码为“%s”的分支机构，或它不在您的范围内：用 xinfang branch list 查看", code);
	*id = b.id;
	return XF_OK;
}

/* Gives a new branch the departments in use at the branch above it (the same names, the
 * same notes), so its cases can be transferred from the first day; its admin changes them
 * (screen 8). */
static int departments_from(struct xf_store *st, int64_t parent, int64_t branch, struct xf_err *err)
{
	char key[24], id[24];
	snprintf(key, sizeof key, "%lld", (long long)parent);
	snprintf(id, sizeof id, "%lld", (long long)branch);
	struct xf_rows rows;
	int rc = store_list(st, "departments", "branch", key, &rows, err);
	for (size_t i = 0; rc == XF_OK && i < rows.n; i++) {
		if (atoi(fields_str(&rows.v[i], "active")) == 0)
			continue;
		struct xf_fields d;
		fields_init(&d);
		fields_set(&d, "name", fields_str(&rows.v[i], "name"));
		fields_set(&d, "note", fields_str(&rows.v[i], "note"));
		fields_set(&d, "branch", id);
		rc = store_insert(st, "departments", &d, NULL, err);
		fields_free(&d);
	}
	rows_free(&rows);
	return rc;
}

/* Adds a branch under another. */
int branch_add(struct xf_session *s, const char *code, const char *name, const char *parent_code, int64_t *id,
               struct xf_err *err)
{
	if (!auth_require(s, 0, "添加分支机构", err))
		return err->code;
	int rc = branch_check_code(code, err);
	if (rc != XF_OK)
		return rc;
	if (name == NULL || *name == '\0')
		return xf_err_set(err, XF_EINVAL, "请给出分支机构的名称（如 北京分行）");
	struct xf_branch parent, same;
	struct xf_err ignored;
	if (parent_code && *parent_code) {
		int64_t pid;
		if ((rc = branch_filter(s, parent_code, &pid, err)) != XF_OK ||
		    (rc = branch_get(s->st, pid, &parent, err)) != XF_OK)
			return rc;
	} else if ((rc = branch_get(s->st, s->op.branch, &parent, err)) != XF_OK) {
		return rc;
	}
	if (!path_in_reach(s, parent.id, parent.path))
		return xf_err_set(err, XF_EDENIED, "%s 不能在“%s”下添加分支机构：它不在您的范围内", s->op.name, parent.name);
	if (parent.pushed)
		return xf_err_set(err, XF_EDENIED, "“%s”的记录由它自己的文件推送而来，只读：不能在它下面添加分支机构", parent.name);
	if ((rc = session_begin(s, err)) != XF_OK)
		return rc;
	if (branch_find(s->st, code, &same, &ignored) == XF_OK) {
		store_rollback(s->st);
		return xf_err_set(err, XF_EEXIST, "代码“%s”已是分支机构“%s”的代码", code, same.name);
	}
	char now[20], parent_id[24];
	clock_now_iso(now);
	snprintf(parent_id, sizeof parent_id, "%lld", (long long)parent.id);
	struct xf_fields f;
	fields_init(&f);
	fields_set(&f, "code", code);
	fields_set(&f, "name", name);
	fields_set(&f, "parent", parent_id);
	fields_set(&f, "path", "/");
	fields_set(&f, "created_at", now);
	int64_t new_id = 0;
	rc = store_insert(s->st, "branches", &f, &new_id, err);
	if (rc == XF_OK) { /* the path ends in the branch's own id, known once inserted */
		char *path = xasprintf("%s%lld/", parent.path, (long long)new_id);
		struct xf_fields p;
		fields_init(&p);
		fields_set(&p, "path", path);
		rc = store_update(s->st, "branches", new_id, &p, 0, err);
		fields_set(&f, "path", path);
		fields_free(&p);
		free(path);
	}
	if (rc == XF_OK)
		rc = departments_from(s->st, parent.id, new_id, err);
	if (rc == XF_OK) {
		char *after = audit_json(&f);
		rc = store_audit(s->st, s->op.name, "branch_add", 0, NULL, after, err);
		free(after);
	}
	fields_free(&f);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
	if (rc == XF_OK && id)
		*id = new_id;
	return rc;
}

/* Checks a push login for this store. */
int branch_check_push_login(struct xf_store *st, const char *login, struct xf_err *err)
{
	size_t len = strlen(login);
	bool plain = len < sizeof ((struct xf_branch *)0)->push_login;
	for (size_t i = 0; i < len && plain; i++)
		plain = isalnum((unsigned char)login[i]) || login[i] == '_';
	if (!plain)
		return xf_err_set(err, XF_EINVAL, "推送用的登录名“%s”不合格：只能用英文字母、数字和下划线，最多 63 个（如 bj01_push）",
		                  login);
	if (*login && !store_locator_is_server(store_path(st)))
		return xf_err_set(err, XF_EINVAL, "%s 是数据库文件，没有登录名：推送用的登录名只在 PostgreSQL 服务器上的总行指定",
		                  store_path(st));
	return XF_OK;
}

/* Names the login a branch's push must come as. */
int branch_set_push_login(struct xf_session *s, const char *code, const char *login, struct xf_err *err)
{
	if (!auth_require(s, 0, "指定分支机构推送用的登录名", err))
		return err->code;
	if (login == NULL)
		login = "";
	if (branch_check_push_login(s->st, login, err) != XF_OK)
		return err->code;
	int64_t id;
	struct xf_branch b;
	int rc = branch_filter(s, code, &id, err);
	if (rc == XF_OK)
		rc = branch_get(s->st, id, &b, err);
	if (rc != XF_OK)
		return rc;
	if (b.id == XF_BRANCH_OWN)
		return xf_err_set(err, XF_EINVAL, "%s 是本机构：推送用的登录名只给推送到这里的分支机构", b.code);
	if ((rc = session_begin(s, err)) != XF_OK)
		return rc;
	struct xf_fields f, before;
	fields_init(&f);
	fields_init(&before);
	fields_set(&f, "push_login", login);
	rc = store_update(s->st, "branches", b.id, &f, 0, err);
	if (rc == XF_OK) {
		fields_set(&before, "code", b.code);
		fields_set(&before, "push_login", b.push_login);
		fields_set(&f, "code", b.code);
		char *bj = audit_json(&before), *aj = audit_json(&f);
		rc = store_audit(s->st, s->op.name, "branch_push_login", 0, bj, aj, err);
		free(bj);
		free(aj);
	}
	fields_free(&f);
	fields_free(&before);
	if (rc == XF_OK)
		rc = store_commit(s->st, err);
	else
		store_rollback(s->st);
	return rc;
}

/* The branches in the session's reach. */
int branch_list(struct xf_session *s, struct xf_branch **out, size_t *n, struct xf_err *err)
{
	*out = NULL;
	*n = 0;
	struct xf_rows rows;
	int rc = store_list(s->st, "branches", NULL, NULL, &rows, err);
	if (rc != XF_OK)
		return rc;
	struct xf_branch *v = xcalloc(rows.n ? rows.n : 1, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < rows.n; i++) {
		branch_from_row(&rows.v[i], &v[k]);
		if (path_in_reach(s, v[k].id, v[k].path))
			k++;
	}
	rows_free(&rows);
	/* In path order: a branch right after the one above it. */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1].path, v[j].path) > 0; j--) {
			struct xf_branch t = v[j - 1];
			v[j - 1] = v[j];
			v[j] = t;
		}
	*out = v;
	*n = k;
	return XF_OK;
}

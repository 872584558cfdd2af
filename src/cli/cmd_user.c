/* Accounts from the command line: one's own password, and the admin's account commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xinfang/auth.h"
#include "xinfang/setup.h"

/* A new password for account name from env_name, else asked on the terminal (a weak one is
 * refused before it is asked again, prev is the one it replaces, if known); NULL with err
 * filled. */
static char *new_password(const char *env_name, const char *prompt, const char *name, const char *prev,
                          struct xf_err *err)
{
	const char *env = getenv(env_name);
	if (env != NULL)
		return xstrdup(env);
	char *first = ask_password(prompt);
	if (first == NULL) {
		xf_err_set(err, XF_EINVAL, "没有新密码：请设置 %s，或在终端上运行以便输入", env_name);
		return NULL;
	}
	if (auth_password_policy(name, first, prev, err) != XF_OK) {
		free(first);
		return NULL;
	}
	char *again = ask_password("再输入一遍：");
	if (again == NULL || strcmp(first, again) != 0) {
		free(first);
		free(again);
		xf_err_set(err, XF_EINVAL, "两次输入的新密码不一样，密码未改");
		return NULL;
	}
	free(again);
	return first;
}

/* xinfang passwd: changes one's own password. */
int cmd_passwd(struct cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return usage_error("用法：xinfang passwd（旧密码取 XINFANG_PASSWORD，新密码取 XINFANG_NEW_PASSWORD，否则在终端询问）%s", "");
	struct xf_err err;
	int rc = setup_open(c->db, &c->st, &err);
	if (rc == XF_OK)
		warn_file_modes(c);
	const char *user = c->user ? c->user : getenv("XINFANG_USER");
	if (rc == XF_OK && str_empty(user))
		rc = xf_err_set(&err, XF_EAUTH, "请指明操作员：--user 用户名，或设置 XINFANG_USER");
	char *old = NULL, *fresh = NULL;
	if (rc == XF_OK && (old = get_password("XINFANG_PASSWORD", "原密码：")) == NULL)
		rc = xf_err_set(&err, XF_EAUTH, "没有原密码：请设置 XINFANG_PASSWORD，或在终端上运行以便输入");
	if (rc == XF_OK && (fresh = new_password("XINFANG_NEW_PASSWORD", "新密码（至少 6 个字符）：", user, old, &err)) == NULL)
		rc = err.code;
	/* The old password is checked by auth_password_change itself, counted like a login. */
	if (rc == XF_OK) {
		memset(&c->session, 0, sizeof c->session);
		c->session.st = c->st;
		snprintf(c->session.op.name, sizeof c->session.op.name, "%s", user);
		rc = auth_password_change(&c->session, old, fresh, &err);
	}
	free(old);
	free(fresh);
	if (rc != XF_OK)
		return refused(&err);
	printf("已修改 %s 的密码\n", user);
	return 0;
}

/* Prints the accounts as a table; with a column of each account's branch (its code) once any
 * account has one (a store of one office without a code lists them as before). */
static void print_accounts(const struct xf_rows *rows)
{
	bool branches = false;
	for (size_t i = 0; i < rows->n; i++)
		branches = branches || *fields_str(&rows->v[i], "branch");
	printf("用户名\t%s姓名\t角色\t部门\t最近登录\t锁定\t停用\t连续输错\n", branches ? "机构\t" : "");
	for (size_t i = 0; i < rows->n; i++) {
		const struct xf_fields *f = &rows->v[i];
		printf("%s\t", fields_str(f, "name"));
		if (branches)
			printf("%s\t", fields_str(f, "branch"));
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", fields_str(f, "full_name"), fields_str(f, "role_label"),
		       fields_str(f, "department"), fields_str(f, "last_login"), fields_str(f, "locked"),
		       fields_str(f, "disabled"), fields_str(f, "failures"));
	}
}

static const char user_usage[] =
	"用法：xinfang user add 用户名 角色 [full_name=姓名] [dept=部门] [branch=机构代码] | reset 用户名 | unlock 用户名 |\n"
	"      disable 用户名 | enable 用户名 | role 用户名 角色 [dept=部门] | list%s";

/* xinfang user add|reset|unlock|disable|enable|role|list (admin). */
int cmd_user(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 0 ? argv[0] : "";
	int want = strcmp(sub, "add") == 0 ? 3 : strcmp(sub, "role") == 0 ? 3 : strcmp(sub, "list") == 0 ? 1 : 2;
	bool known = strcmp(sub, "add") == 0 || strcmp(sub, "reset") == 0 || strcmp(sub, "unlock") == 0 ||
	             strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 || strcmp(sub, "role") == 0 ||
	             strcmp(sub, "list") == 0;
	if (!known || argc < want || (want < 3 && argc != want))
		return usage_error(user_usage, "");
	struct xf_fields f;
	int bad = parse_pairs(argc - want, argv + want, &f);
	if (bad >= 0) {
		fields_free(&f);
		return usage_error("参数“%s”应写成 键=值", argv[want + bad]);
	}
	struct xf_err err;
	int rc = login(c, &err);
	char *pw = NULL;
	bool needs_pw = strcmp(sub, "add") == 0 || strcmp(sub, "reset") == 0;
	if (rc == XF_OK && needs_pw && (pw = new_password("XINFANG_NEW_PASSWORD", "新密码（至少 6 个字符）：", argv[1], NULL, &err)) == NULL)
		rc = err.code;
	const char *done = NULL;
	struct xf_rows rows = {NULL, 0};
	if (rc != XF_OK)
		;
	else if (strcmp(sub, "add") == 0)
		rc = auth_user_add_in(&c->session, argv[1], argv[2], fields_get(&f, "full_name"), fields_get(&f, "dept"),
		                      fields_get(&f, "branch"), pw, &err),
		done = "已添加用户";
	else if (strcmp(sub, "reset") == 0)
		rc = auth_user_reset(&c->session, argv[1], pw, &err), done = "已重设密码并解锁：";
	else if (strcmp(sub, "unlock") == 0)
		rc = auth_user_unlock(&c->session, argv[1], &err), done = "已解锁";
	else if (strcmp(sub, "disable") == 0)
		rc = auth_user_disable(&c->session, argv[1], true, &err), done = "已停用";
	else if (strcmp(sub, "enable") == 0)
		rc = auth_user_disable(&c->session, argv[1], false, &err), done = "已启用";
	else if (strcmp(sub, "role") == 0)
		rc = auth_user_set_role(&c->session, argv[1], argv[2], fields_get(&f, "dept"), &err), done = "已更改角色：";
	else
		rc = auth_user_list(&c->session, &rows, &err);
	free(pw);
	fields_free(&f);
	if (rc != XF_OK)
		return refused(&err);
	if (done)
		printf("%s %s\n", done, argv[1]);
	else
		print_accounts(&rows);
	rows_free(&rows);
	return 0;
}

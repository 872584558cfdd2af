/* The admin's accounts: every operator with role, department, last login, lock and state;
 * adding one, changing role and department, a new password, unlocking, disabling. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"
#include "list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ui_column account_columns[] = {
	{"name", "账户", 10},       {"full_name", "姓名", 8},  {"role_label", "角色", 10}, {"department", "部门", 10},
	{"state", "状态", 8},       {"last_login", "最近登录", 0},
};

/* Fills the list from the core, with a state column people read at a glance. */
static void load(struct ui *ui, struct ui_list *l)
{
	struct xf_rows rows;
	struct xf_err err;
	if (auth_user_list(&ui->s, &rows, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < rows.n; i++) {
		struct xf_fields *r = &rows.v[i];
		bool disabled = strcmp(fields_str(r, "disabled"), "是") == 0, locked = strcmp(fields_str(r, "locked"), "是") == 0;
		fields_set(r, "state", disabled ? "已停用" : locked ? "已锁定" : "正常");
	}
	list_set_rows(l, &rows);
}

/* load in the shape list_screen_turn takes. */
static void reload(struct ui *ui, struct ui_list *l, void *ctx)
{
	(void)ctx;
	load(ui, l);
}

/* Draws a one-line prompt whose text shows as stars. */
static void draw_secret(struct ui *ui, const char *prompt, const struct xf_editor *ed)
{
	int width = 44, y = LINES / 2 - 2, x = (COLS - width) / 2;
	ui_put(y, x, width, "", A_REVERSE);
	ui_put(y + 1, x, width, "", A_REVERSE);
	ui_put(y + 1, x + 2, ui_width(prompt), prompt, A_REVERSE | A_BOLD);
	char stars[40] = "";
	size_t n = ed->len < 24 ? ed->len : 24;
	memset(stars, '*', n);
	stars[n] = '\0';
	int px = x + 2 + ui_width(prompt);
	ui_put(y + 1, px, 26, stars, ui_attr_current(ui));
	ui_put(y + 2, x, width, " 回车 确定  Esc 取消（至少 6 个字符）", A_REVERSE);
	move(y + 1, px + (int)n);
	refresh();
}

/* Asks for a password, shown as stars; a new string, or NULL when the admin gives up. */
static char *ask_secret(struct ui *ui, const char *prompt)
{
	struct xf_editor ed;
	editor_init(&ed, 24, 1, false, 64);
	char *out = NULL;
	for (;;) {
		draw_secret(ui, prompt, &ed);
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_TICK)
			continue;
		if (ui_is_back(k))
			break;
		if ((k.kind == UI_CHAR && k.ch == '\r') || (k.kind == UI_FUNC && k.ch == KEY_ENTER)) {
			out = editor_text(&ed);
			break;
		}
		if ((k.kind == UI_FUNC && k.ch == KEY_BACKSPACE) || (k.kind == UI_CHAR && (k.ch == 127 || k.ch == 8)))
			editor_backspace(&ed);
		else if (k.kind == UI_CHAR && k.ch >= 0x20)
			editor_insert(&ed, (uint32_t)k.ch);
	}
	editor_free(&ed);
	erase();
	ui_frame(ui);
	return out;
}

/* A new password typed twice; NULL when the admin gives up or the two differ (said). */
static char *new_password(struct ui *ui, const char *who)
{
	char prompt[96];
	snprintf(prompt, sizeof prompt, "%s的新密码：", who);
	char *first = ask_secret(ui, prompt);
	if (first == NULL)
		return NULL;
	char *again = ask_secret(ui, "再输入一遍：");
	if (again == NULL || strcmp(first, again) != 0) {
		if (again)
			ui_message(ui, UI_ERROR, "两次输入的密码不一样：密码没有设置，请重新操作");
		memset(first, 0, strlen(first));
		free(first);
		first = NULL;
	}
	if (again) {
		memset(again, 0, strlen(again));
		free(again);
	}
	return first;
}

/* Says a refused account form on the message line with the cursor in the field it is about. */
static void account_refused(struct ui *ui, struct fscreen *fs, const char *msg)
{
	if (strstr(msg, "部门") != NULL) {
		fs_focus_key(fs, "department");
		ui_message_about(ui, UI_ERROR, "department", "%s（在“部门”一项按空格或 F3 选择）", msg);
		return;
	}
	if (strstr(msg, "用户名") != NULL) { /* the core's word for 账户（登录名） */
		fs_focus_key(fs, "name");
		ui_message_about(ui, UI_ERROR, "name", "%s", msg);
		return;
	}
	ui_message_about(ui, UI_ERROR, fs_focus_message(fs, msg), "%s", msg);
}

/* The form of an account: every field when adding, role and department when changing. */
static bool account_form(struct ui *ui, const struct xf_fields *row)
{
	const char *keys[] = {"name", "full_name", "role", "department"};
	const char *labels[] = {"账户（登录名）", "姓名", "角色", "部门（经办人必填）"};
	const char *lists[] = {NULL, NULL, "roles", "departments"};
	enum xf_ftype types[] = {XF_F_TEXT, XF_F_TEXT, XF_F_CHOICE, XF_F_CHOICE};
	bool required[] = {true, false, true, false};
	char *text = fs_small_form("account", row ? "角色和部门" : "添加账户", "账户管理", keys, labels, types, lists,
	                           required, 4);
	struct fscreen fs;
	bool opened = fs_open(ui, &fs, NULL, text);
	free(text);
	if (!opened)
		return false;
	fs_editable(&fs, row ? "role department" : "name full_name role department");
	fs.shows_stored = row != NULL;
	fs_set(&fs, "number", row ? "改角色、部门" : "保存后设置密码");
	if (row) {
		fs_set(&fs, "name", fields_str(row, "name"));
		fs_set(&fs, "full_name", fields_str(row, "full_name"));
		fs_set(&fs, "role", fields_str(row, "role_label"));
		fs_set(&fs, "department", fields_str(row, "department"));
	} else {
		fs_set(&fs, "role", "接待员");
	}
	snprintf(fs.hints, sizeof fs.hints, " F2 保存  空格/F3 选择  Tab/回车 下一项  F10 返回");
	bool saved = false;
	for (;;) {
		if (fs_run(ui, &fs) != FS_SAVE)
			break;
		if (!fs_required_ok(ui, &fs))
			continue;
		const char *name = fields_str(&fs.values, "name"), *role = fields_str(&fs.values, "role"),
		           *dept = fields_str(&fs.values, "department");
		struct xf_err err;
		int rc;
		if (row) {
			rc = auth_user_set_role(&ui->s, name, role, dept, &err);
		} else {
			/* Everything but the password first: a missing department is said before it is asked. */
			if (auth_user_check_new(&ui->s, name, role, fields_str(&fs.values, "full_name"), dept, &err) != XF_OK) {
				account_refused(ui, &fs, err.msg);
				continue;
			}
			char *pw = new_password(ui, name);
			if (pw == NULL)
				continue;
			rc = auth_user_add(&ui->s, name, role, fields_str(&fs.values, "full_name"), dept, pw, &err);
			memset(pw, 0, strlen(pw));
			free(pw);
		}
		if (rc != XF_OK) {
			account_refused(ui, &fs, err.msg);
			continue;
		}
		ui_message(ui, UI_INFO, row ? "账户 %s 已改为%s%s%s" : "已添加账户 %s（%s%s%s），可以用设置的密码登录", name, role,
		           *dept ? "，" : "", dept);
		saved = true;
		break;
	}
	fs_free(&fs);
	return saved;
}

/* Accounts: a 添加, r 角色和部门, p 重设密码, u 解锁, d 停用或启用. */
void screen_accounts(struct ui *ui)
{
	struct ui_list l;
	memset(&l, 0, sizeof l);
	l.cols = account_columns;
	l.ncols = (int)(sizeof account_columns / sizeof account_columns[0]);
	load(ui, &l);
	struct ui_key k;
	while (list_screen_turn(ui, &l, "账户管理", " a添加 r角色部门 p重设密码 u解锁 d停用/启用 F10返回", reload, NULL, &k)) {
		if (k.kind != UI_CHAR)
			continue;
		const struct xf_fields *row = list_selected(&l);
		struct xf_err err;
		int rc = XF_OK;
		bool done = false;
		char name[64] = "";
		if (row)
			snprintf(name, sizeof name, "%s", fields_str(row, "name"));
		if (k.ch == 'a') {
			done = account_form(ui, NULL);
		} else if (row && k.ch == 'r') {
			done = account_form(ui, row);
		} else if (row && k.ch == 'p') {
			char *pw = new_password(ui, name);
			if (pw) {
				rc = auth_user_reset(&ui->s, name, pw, &err);
				memset(pw, 0, strlen(pw));
				free(pw);
				if (rc == XF_OK)
					ui_message(ui, UI_INFO, "账户 %s 的密码已重设（锁定同时解除）", name);
				done = true;
			}
		} else if (row && k.ch == 'u') {
			rc = auth_user_unlock(&ui->s, name, &err);
			if (rc == XF_OK)
				ui_message(ui, UI_INFO, "账户 %s 已解锁", name);
			done = true;
		} else if (row && k.ch == 'd') {
			bool disable = strcmp(fields_str(row, "disabled"), "是") != 0;
			char q[160];
			snprintf(q, sizeof q, disable ? "停用账户 %s：停用后不能登录，办理记录保留。确认？" : "重新启用账户 %s？", name);
			if (ui_confirm(ui, q)) {
				rc = auth_user_disable(&ui->s, name, disable, &err);
				if (rc == XF_OK)
					ui_message(ui, UI_INFO, "账户 %s 已%s", name, disable ? "停用" : "启用");
				done = true;
			}
		}
		if (rc != XF_OK)
			ui_message(ui, UI_ERROR, "%s", err.msg);
		if (done)
			load(ui, &l);
	}
	list_free(&l);
}

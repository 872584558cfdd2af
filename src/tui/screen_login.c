/* The login screen: operator and password; failures and waits come from the core. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* Draws the login box with the password shown as stars. */
static void draw_login(struct ui *ui, struct xf_editor *user, struct xf_editor *pw, int field)
{
	erase();
	ui_frame(ui);
	int y = LINES / 2 - 4, x = (COLS - 40) / 2;
	ui_put(y, x, 40, "          信 访 办 公 室", A_BOLD);
	ui_put(y + 2, x, 40, "   请登录", A_NORMAL);
	ui_put(y + 4, x, 10, "用 户 名：", A_NORMAL);
	ui_put(y + 6, x, 10, "密    码：", A_NORMAL);
	char *u = editor_visible_row(user, 0);
	ui_put(y + 4, x + 10, 24, u, field == 0 ? ui_attr_current(ui) : ui_attr_field(ui));
	free(u);
	char stars[64] = "";
	size_t n = pw->len < 24 ? pw->len : 24;
	memset(stars, '*', n);
	stars[n] = '\0';
	ui_put(y + 6, x + 10, 24, stars, field == 1 ? ui_attr_current(ui) : ui_attr_field(ui));
	int row, col;
	if (field == 0) {
		editor_cursor(user, &row, &col);
		move(y + 4, x + 10 + col);
	} else {
		move(y + 6, x + 10 + (int)n);
	}
	refresh();
}

/* Asks for the operator and password until one logs in; false when the operator leaves. */
bool screen_login(struct ui *ui, const char *user)
{
	ui_set_screen(ui, "登录", " 回车 下一项/登录   Tab 切换   F10 退出");
	struct xf_editor ed_user, ed_pw;
	editor_init(&ed_user, 24, 1, false, 32);
	editor_init(&ed_pw, 24, 1, false, 64);
	if (user)
		editor_set_text(&ed_user, user);
	int field = user && *user ? 1 : 0;
	bool ok = false;
	for (;;) {
		draw_login(ui, &ed_user, &ed_pw, field);
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_TICK)
			continue;
		if (ui_is_back(k))
			break;
		struct xf_editor *ed = field == 0 ? &ed_user : &ed_pw;
		if (k.kind == UI_CHAR && k.ch == '\t') {
			field = 1 - field;
		} else if ((k.kind == UI_CHAR && k.ch == '\r') || (k.kind == UI_FUNC && k.ch == KEY_ENTER)) {
			if (field == 0) {
				field = 1;
				continue;
			}
			char *name = editor_text(&ed_user), *pw = editor_text(&ed_pw);
			struct xf_err err;
			int rc = auth_login_beside(ui->st, name, pw, ui->login_beside, ui->login_beside_arg, &ui->s, &err);
			memset(pw, 0, strlen(pw));
			free(name);
			free(pw);
			editor_clear(&ed_pw);
			if (rc == XF_OK) {
				ui->logged_in = true;
				ui_clear_message(ui);
				ok = true;
				break;
			}
			ui_message(ui, UI_ERROR, "%s", err.msg);
		} else if (k.kind == UI_FUNC && (k.ch == KEY_BACKSPACE)) {
			editor_backspace(ed);
		} else if (k.kind == UI_CHAR && (k.ch == 127 || k.ch == 8)) {
			editor_backspace(ed);
		} else if (k.kind == UI_FUNC && k.ch == KEY_LEFT) {
			editor_left(ed);
		} else if (k.kind == UI_FUNC && k.ch == KEY_RIGHT) {
			editor_right(ed);
		} else if (k.kind == UI_FUNC && (k.ch == KEY_UP || k.ch == KEY_DOWN || k.ch == KEY_BTAB)) {
			field = 1 - field;
		} else if (k.kind == UI_CHAR && k.ch >= 0x20) {
			editor_insert(ed, (uint32_t)k.ch);
		}
	}
	editor_free(&ed_user);
	editor_free(&ed_pw);
	return ok;
}

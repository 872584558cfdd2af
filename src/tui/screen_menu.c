/* The home screen: what this operator can do, by number or arrow keys. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui.h"

#include <curses.h>
#include <string.h>

/* One line of the menu. */
struct menu_item {
	wint_t key;
	const char *label;
	const char *what;
	unsigned roles; /* XF_MAY mask; admin sees everything */
	void (*run)(struct ui *ui);
};

#define OFFICE (XF_MAY(XF_ROLE_OPERATOR) | XF_MAY(XF_ROLE_HEAD))
#define EVERYONE (OFFICE | XF_MAY(XF_ROLE_HANDLER))

static const struct menu_item items[] = {
	{'1', "信访登记", "登记来信、来电、来访等信访事项（信访登记表）", OFFICE, screen_registration},
	{'2', "待批队列", "审阅新登记的事项：批示、批转、不予受理、延期审批", OFFICE, screen_queue},
	{'3', "时限清单", "临近或超过批转、周限、月限的事项", EVERYONE, screen_due},
	{'4', "事项列表", "按状态、承办部门、登记人查看", EVERYONE, screen_lists},
	{'5', "查找", "按编号、姓名、身份证号、电话查找", EVERYONE, screen_search},
};

/* True when the operator may use the item. */
static bool allowed(const struct ui *ui, const struct menu_item *it)
{
	return ui->s.op.role == XF_ROLE_ADMIN || (it->roles & XF_MAY(ui->s.op.role));
}

/* The home screen loop. */
void screen_menu(struct ui *ui)
{
	int sel = 0, n = (int)(sizeof items / sizeof items[0]);
	while (!allowed(ui, &items[sel]) && sel + 1 < n)
		sel++;
	for (;;) {
		ui_set_screen(ui, "主菜单", " 1-5 选择  ↑↓ 移动  回车 进入  F5 时限清单  F10 退出");
		erase();
		ui_frame(ui);
		int y = ui_content_top() + 2, x = (COLS - 64) / 2;
		ui_put(y, x, 64, "信 访 工 作 台", A_BOLD);
		y += 2;
		for (int i = 0; i < n; i++) {
			if (!allowed(ui, &items[i]))
				continue;
			char line[80];
			int attr = i == sel ? ui_attr_current(ui) : (int)A_NORMAL;
			snprintf(line, sizeof line, " %lc  %s", (wint_t)items[i].key, items[i].label);
			ui_put(y, x, 16, line, attr);
			ui_put(y, x + 16, 48, items[i].what, attr);
			y += 2;
		}
		ui_put(y, x, 64, " 0  退出", A_NORMAL);
		move(LINES - 1, COLS - 1);
		refresh();
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_QUIT)
			return;
		if (k.kind == UI_TICK)
			continue;
		if (ui_is_back(k) || (k.kind == UI_CHAR && k.ch == '0')) {
			if (k.kind == UI_QUIT || ui_confirm(ui, "退出信访工作台？"))
				return;
			continue;
		}
		ui->message[0] = '\0';
		if (k.kind == UI_FUNC && k.ch == KEY_UP) {
			for (int i = sel - 1; i >= 0; i--)
				if (allowed(ui, &items[i])) {
					sel = i;
					break;
				}
		} else if (k.kind == UI_FUNC && k.ch == KEY_DOWN) {
			for (int i = sel + 1; i < n; i++)
				if (allowed(ui, &items[i])) {
					sel = i;
					break;
				}
		} else if ((k.kind == UI_CHAR && k.ch == '\r') || (k.kind == UI_FUNC && k.ch == KEY_ENTER)) {
			items[sel].run(ui);
		} else if (k.kind == UI_CHAR) {
			for (int i = 0; i < n; i++)
				if (items[i].key == k.ch && allowed(ui, &items[i])) {
					sel = i;
					items[i].run(ui);
				}
		}
	}
}

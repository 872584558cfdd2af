/* The home screen: what this operator can do, by number or arrow keys, and a waiting draft. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "xinfang/branch.h"
#include "xinfang/desk.h"

/* One line of the menu. */
struct menu_item {
	wint_t key;
	const char *label;
	const char *what;
	const char *what_spanning; /* the line when the reach holds several branches, if it differs */
	unsigned roles; /* XF_MAY mask of the roles that see it */
	void (*run)(struct ui *ui);
};

#define OP_HD (XF_MAY(XF_ROLE_OPERATOR) | XF_MAY(XF_ROLE_HEAD))
#define HN XF_MAY(XF_ROLE_HANDLER)
#define ADM XF_MAY(XF_ROLE_ADMIN)
#define SUP XF_MAY(XF_ROLE_SUPERVISOR)
#define OFFICE (OP_HD | ADM)
#define EVERYONE (OFFICE | HN | SUP)

/* Keys in a fixed place for every role: digits for the office's work, letters for the admin's. */
static const struct menu_item items[] = {
	{'1', "信访登记", "登记来信、来电、来访等信访事项（信访登记表）", NULL, OFFICE, screen_registration},
	{'1', "本部门待办", "转给本部门、等待办理报结的事项", NULL, HN, screen_dept_todo},
	{'2', "待批队列", "新登记、退回的事项和延期申请：批示、批转、审批", NULL, OFFICE, screen_queue},
	/* screen_due itself turns to the list across branches for an account over several */
	{'3', "时限清单", "临近或超过批转、周限、月限的事项", "各分支机构临近或超过时限的事项，按剩余天数",
	 EVERYONE, screen_due},
	{'4', "事项列表", "按状态、承办部门、登记人查看", NULL, EVERYONE, screen_lists},
	{'5', "查找", "按任意词语、姓名片段、电话或证件号后几位、编号查找", NULL, EVERYONE, screen_search},
	{'6', "统计", "月、季、年或任意期间的件数、比率、环比预警、超期", NULL, OFFICE | SUP, screen_stats},
	{'7', "台账导入", "Excel 台账另存的 CSV：先检查，无误再导入", NULL, OFFICE, screen_import},
	{'8', "基础清单", "承办部门、信访类别、来源渠道", NULL, ADM, screen_reference},
	{'9', "日历和时限规则", "已导入的节假日日历年份，使用中的时限规则集", NULL, ADM, screen_calendar_rules},
	{'a', "账户管理", "添加账户，角色和部门，重设密码，解锁，停用", NULL, ADM, screen_accounts},
	{'b', "备份与核验", "立即备份数据库，立即核验数据与操作日志", NULL, ADM, screen_backup_verify},
	{'d', "督办", "督办下级机构、答复上级的督办：期限、剩余天数、答复", NULL, SUP | ADM | XF_MAY(XF_ROLE_HEAD) | HN,
	 screen_supervise},
	{'c', "分支机构排名", "各分支机构的收到、按期办结、超期、重复信访、满意率", NULL, SUP, screen_league},
};

/* True when the operator may use the item. */
static bool allowed(const struct ui *ui, const struct menu_item *it)
{
	return (it->roles & XF_MAY(ui->s.op.role)) != 0;
}

/* The key hints: the item keys this operator has, and the keys that work here. */
static void menu_hints(const struct ui *ui, char *out, size_t n)
{
	/* The keys in menu order, once each, then runs of consecutive ones as 1-7: "1-7 d". */
	wint_t own[sizeof items / sizeof items[0]];
	size_t n_own = 0;
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
		if (allowed(ui, &items[i]) && (n_own == 0 || own[n_own - 1] != items[i].key))
			own[n_own++] = items[i].key;
	char keys[64] = "";
	for (size_t i = 0; i < n_own; i++) {
		size_t j = i;
		while (j + 1 < n_own && own[j + 1] == own[j] + 1)
			j++;
		size_t used = strlen(keys);
		if (j > i + 1) {
			snprintf(keys + used, sizeof keys - used, "%s%lc-%lc", used ? " " : "", own[i], own[j]);
			i = j;
		} else {
			snprintf(keys + used, sizeof keys - used, "%s%lc", used ? " " : "", own[i]);
		}
	}
	snprintf(out, n, " %s 选择  ↑↓ 移动  回车 进入  F5 时限清单  F10 退出", keys);
}

/* A line about the registration draft waiting for this operator, or "" when there is none. */
static void draft_note(struct ui *ui, char *out, size_t n)
{
	out[0] = '\0';
	if (!allowed(ui, &items[0]))
		return;
	struct xf_fields draft;
	char at[20];
	bool found = false;
	if (desk_draft_load(&ui->s, "registration", &draft, at, &found, NULL) == XF_OK && found)
		snprintf(out, n, "※ 有一份未保存的登记草稿（%.16s）：按 1 继续填写", at);
	fields_free(&draft);
}

/* The home screen loop. */
void screen_menu(struct ui *ui)
{
	int sel = 0, n = (int)(sizeof items / sizeof items[0]);
	while (!allowed(ui, &items[sel]) && sel + 1 < n)
		sel++;
	char hints[256], note[160];
	menu_hints(ui, hints, sizeof hints);
	draft_note(ui, note, sizeof note);
	if (*note)
		ui_message(ui, UI_WARN, "%s", note); /* announced at login */
	/* whether the reach holds several branches: read on entry and after each screen (where a
	 * branch may have been added), not at every redraw and tick */
	bool several = branch_reach_several(&ui->s);
	for (;;) {
		ui_set_screen(ui, "主菜单", hints);
		erase();
		ui_frame(ui);
		int width = COLS - 4 < 72 ? COLS - 4 : 72;
		int y = ui_content_top() + 1, x = (COLS - width) / 2, shown = 0;
		for (int i = 0; i < n; i++)
			shown += allowed(ui, &items[i]);
		int step = 2 * shown + 6 <= ui_content_rows() ? 2 : 1; /* one line apart when many */
		ui_put(y, x, width, "信 访 工 作 台", A_BOLD);
		y += 2;
		for (int i = 0; i < n; i++) {
			if (!allowed(ui, &items[i]))
				continue;
			char line[80];
			int attr = i == sel ? ui_attr_current(ui) : (int)A_NORMAL;
			snprintf(line, sizeof line, " %lc  %s", (wint_t)items[i].key, items[i].label);
			ui_put(y, x, 20, line, attr);
			const char *what = items[i].what_spanning && several ? items[i].what_spanning : items[i].what;
			ui_put(y, x + 20, width - 20, what, attr);
			y += step;
		}
		ui_put(y, x, width, " 0  退出", A_NORMAL);
		if (*note)
			ui_put(y + step, x, width, note, ui_attr_warn(ui));
		move(LINES - 1, COLS - 1);
		refresh();
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_QUIT)
			return;
		if (k.kind == UI_TICK) {
			ui->changed = false; /* the status bar is recounted; nothing on the menu goes stale */
			continue;
		}
		if (ui_is_back(k) || (k.kind == UI_CHAR && k.ch == '0')) {
			if (k.kind == UI_QUIT || ui_confirm(ui, "退出信访工作台？"))
				return;
			continue;
		}
		int run = -1;
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
			run = sel;
		} else if (k.kind == UI_CHAR) {
			for (int i = 0; i < n; i++)
				if (items[i].key == k.ch && allowed(ui, &items[i]))
					run = i;
		}
		if (run >= 0) {
			sel = run;
			items[run].run(ui);
			draft_note(ui, note, sizeof note);
			several = branch_reach_several(&ui->s);
		}
	}
}

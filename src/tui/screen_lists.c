/* Lists: cases by limit (from the status bar), by state, department or registering
 * operator. (Finding cases is screen_search.c.) */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"
#include "list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/branch.h"
#include "xinfang/desk.h"

/* Colour by days left. */
static int by_days_left(struct ui *ui, const struct xf_fields *row)
{
	int left = atoi(fields_str(row, "days_left"));
	return left < 0 ? ui_attr_error(ui) : ui_attr_warn(ui);
}

/* Shows a list until F10; Enter opens a case; `reload` fills it again when data changes. */
static void show_list(struct ui *ui, const char *title, struct ui_list *l,
                      void (*reload)(struct ui *ui, struct ui_list *l, void *ctx), void *ctx)
{
	reload(ui, l, ctx);
	struct ui_key k;
	while (list_screen_turn(ui, l, title, " ↑↓ 选择  回车 查看  F5 时限清单  F10 返回", reload, ctx, &k)) {
		const struct xf_fields *row = list_selected(l);
		if (row && ((k.kind == UI_CHAR && k.ch == '\r') || (k.kind == UI_FUNC && k.ch == KEY_ENTER))) {
			int64_t id;
			if (case_find(&ui->s, fields_str(row, "number"), &id, NULL) == XF_OK)
				screen_case(ui, id);
			reload(ui, l, ctx);
		}
	}
}

/* Fills the limits list. */
static void load_due(struct ui *ui, struct ui_list *l, void *ctx)
{
	(void)ctx;
	struct xf_rows rows;
	struct xf_err err;
	if (case_due_list(&ui->s, &rows, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	list_set_rows(l, &rows);
}

/* Open cases nearing or past their limits. */
void screen_due(struct ui *ui)
{
	if (branch_reach_several(&ui->s)) { /* a supervisor or admin with branches under theirs */
		screen_due_across(ui);
		return;
	}
	static const struct ui_column cols[] = {
		{"limit", "时限", 8},   {"number", "编号", 14},  {"state", "状态", 6},      {"due", "期限", 10},
		{"days_left", "剩余天数", 8}, {"name", "信访人", 8}, {"department", "承办部门", 0},
	};
	struct ui_list l;
	memset(&l, 0, sizeof l);
	l.cols = cols;
	l.ncols = (int)(sizeof cols / sizeof cols[0]);
	l.row_attr = by_days_left;
	bool nested = ui->in_due;
	ui->in_due = true;
	show_list(ui, "时限清单（临近或超期）", &l, load_due, NULL);
	ui->in_due = nested;
	list_free(&l);
}

/* A list's filter. */
struct filter {
	const char *state, *dept, *operator;
	enum xf_list_order order;
};

/* Fills a filtered list. */
static void load_filtered(struct ui *ui, struct ui_list *l, void *ctx)
{
	const struct filter *f = ctx;
	struct xf_rows rows;
	struct xf_err err;
	if (case_list(&ui->s, f->state, f->dept, f->operator, f->order, 500, &rows, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	list_set_rows(l, &rows);
}

static const struct ui_column brief_columns[] = {
	{"number", "编号", 14}, {"state", "状态", 6},  {"received", "收件日期", 10}, {"channel", "渠道", 8},
	{"name", "信访人", 8},  {"category", "类别", 8}, {"department", "承办部门", 0},
};

/* Cases by state, department or registering operator. */
void screen_lists(struct ui *ui)
{
	struct xf_fields kinds;
	fields_init(&kinds);
	fields_set(&kinds, "按状态", "state");
	fields_set(&kinds, "按承办部门", "dept");
	fields_set(&kinds, "我登记的", "mine");
	fields_set(&kinds, "全部（最近 500 件）", "all");
	int kind = ui_pick(ui, "事项列表", &kinds, 0);
	struct filter f = {NULL, NULL, NULL, XF_LIST_NEWEST};
	struct xf_fields choices;
	fields_init(&choices);
	char title[128] = "事项列表";
	if (kind == 0) {
		static const char *const states[] = {"待批", "已转办", "已报结", "已答复", "已结案"};
		for (int i = 0; i < 5; i++)
			fields_set(&choices, states[i], states[i]);
		int pick = ui_pick(ui, "状态", &choices, 0);
		if (pick < 0)
			kind = -1;
		else
			f.state = choices.v[pick].key;
	} else if (kind == 1 && ui->s.op.role == XF_ROLE_HANDLER) {
		f.dept = ui->s.op.department; /* handlers see their own department's cases only */
	} else if (kind == 1) {
		desk_choices(&ui->s, "departments", &choices, NULL);
		int pick = ui_pick(ui, "承办部门", &choices, 0);
		if (pick < 0)
			kind = -1;
		else
			f.dept = choices.v[pick].key;
	} else if (kind == 2) {
		f.operator= ui->s.op.name;
	}
	if (kind >= 0) {
		snprintf(title, sizeof title, "事项列表：%s", f.state ? f.state : f.dept ? f.dept : f.operator? "我登记的" : "全部");
		struct ui_list l;
		memset(&l, 0, sizeof l);
		l.cols = brief_columns;
		l.ncols = (int)(sizeof brief_columns / sizeof brief_columns[0]);
		show_list(ui, title, &l, load_filtered, &f);
		list_free(&l);
	}
	fields_free(&choices);
	fields_free(&kinds);
}

/* A handler's department's cases waiting for their outcome report, the nearest (or longest
 * past) week limit first: the case to do next is on top, and none past its limit is beyond the
 * list's end. */
void screen_dept_todo(struct ui *ui)
{
	static const struct ui_column cols[] = {
		{"number", "编号", 14}, {"due_handle", "周限", 10}, {"received", "收件日期", 10},
		{"name", "信访人", 8},  {"category", "类别", 8},   {"summary", "摘要", 0},
	};
	struct filter f = {"已转办", NULL, NULL, XF_LIST_DUE_HANDLE};
	struct ui_list l;
	memset(&l, 0, sizeof l);
	l.cols = cols;
	l.ncols = (int)(sizeof cols / sizeof cols[0]);
	char title[128];
	snprintf(title, sizeof title, "本部门待办：%s", *ui->s.op.department ? ui->s.op.department : "全部");
	show_list(ui, title, &l, load_filtered, &f);
	list_free(&l);
}

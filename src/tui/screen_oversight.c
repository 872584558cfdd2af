/* The head office's supervision screens: the limits list across the branches under it (each
 * case with its branch, a page at a time) and the branch league table (the report's figures
 * per branch, sorted by a column). No SQL here: the core's oversight_due and report_league. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "list.h"
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/case.h"
#include "xinfang/clock.h"
#include "xinfang/oversight.h"
#include "xinfang/report.h"

/* Which page of the limits list across branches is shown, and whether one follows. */
struct due_page {
	long page; /* from 0 */
	bool more;
};

/* Colour by days left: past due in the error colour, nearing in the warning one. */
static int by_days_left(struct ui *ui, const struct xf_fields *row)
{
	return atoi(fields_str(row, "days_left")) < 0 ? ui_attr_error(ui) : ui_attr_warn(ui);
}

/* Fills the list with the page asked for. */
static void load_due_page(struct ui *ui, struct ui_list *l, void *ctx)
{
	struct due_page *p = ctx;
	struct xf_rows rows;
	struct xf_err err;
	if (oversight_due(&ui->s, p->page * XF_OVERSIGHT_PAGE, XF_OVERSIGHT_PAGE, &rows, &p->more, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	list_set_rows(l, &rows);
}

/* The limits list across branches: Enter opens a case, n and b turn the page. */
void screen_due_across(struct ui *ui)
{
	static const struct ui_column cols[] = {
		{"branch", "分支机构", 8}, {"number", "编号", 14}, {"limit", "时限", 8},   {"due", "期限", 10},
		{"days_left", "剩余", 4},  {"state", "状态", 6},   {"name", "信访人", 6}, {"department", "承办部门", 0},
	};
	struct ui_list l;
	memset(&l, 0, sizeof l);
	l.cols = cols;
	l.ncols = (int)(sizeof cols / sizeof cols[0]);
	l.row_attr = by_days_left;
	struct due_page p = {0, false};
	bool nested = ui->in_due;
	ui->in_due = true;
	load_due_page(ui, &l, &p);
	struct ui_key k;
	for (;;) {
		char title[96];
		snprintf(title, sizeof title, "各分支机构时限清单 第%ld页", p.page + 1);
		if (!list_screen_turn(ui, &l, title, " ↑↓ 选择  回车 查看  n 下一页  b 上一页  F10 返回", load_due_page, &p, &k))
			break;
		const struct xf_fields *row = list_selected(&l);
		if (k.kind == UI_CHAR && (k.ch == 'n' || k.ch == 'b')) {
			if (k.ch == 'n' && !p.more) {
				ui_message(ui, UI_INFO, "已是最后一页");
				continue;
			}
			if (k.ch == 'b' && p.page == 0) {
				ui_message(ui, UI_INFO, "已是第一页");
				continue;
			}
			p.page += k.ch == 'n' ? 1 : -1;
			l.sel = l.top = 0;
			load_due_page(ui, &l, &p);
		} else if (row && ((k.kind == UI_CHAR && k.ch == '\r') || (k.kind == UI_FUNC && k.ch == KEY_ENTER))) {
			int64_t id;
			if (case_find(&ui->s, fields_str(row, "number"), &id, NULL) == XF_OK)
				screen_case(ui, id);
			load_due_page(ui, &l, &p);
		}
	}
	ui->in_due = nested;
	list_free(&l);
}

/* What the league screen shows: a month, quarter or year, the column it is sorted by, and the
 * table drawn as lines. */
struct league_view {
	char kind; /* 'm', 'q' or 'y' */
	int y, m;
	char since[11], until[11];
	enum xf_league_col sort;
	char **lines;
	int nlines, top;
};

/* Sets the period's dates from its kind, year and month. */
static void league_period(struct league_view *v)
{
	char val[32];
	if (v->kind == 'm')
		snprintf(val, sizeof val, "%04d-%02d", v->y, v->m);
	else if (v->kind == 'q')
		snprintf(val, sizeof val, "%04d-Q%d", v->y, (v->m - 1) / 3 + 1);
	else
		snprintf(val, sizeof val, "%04d", v->y);
	report_period(v->kind == 'm' ? "month" : v->kind == 'q' ? "quarter" : "year", val, v->since, v->until, NULL);
}

/* Frees the drawn table. */
static void league_lines_free(struct league_view *v)
{
	ui_lines_free(v->lines, v->nlines);
	v->lines = NULL;
	v->nlines = 0;
}

/* Counts the period per branch, sorts and draws the table. */
static void league_load(struct ui *ui, struct league_view *v)
{
	league_lines_free(v);
	struct xf_league lg;
	struct xf_err err;
	if (report_league(&ui->s, v->since, v->until, NULL, &lg, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	report_league_sort(&lg, v->sort);
	struct xf_buf page;
	buf_init(&page);
	report_league_render(&lg, v->sort, &page);
	report_league_free(&lg);
	v->nlines = ui_text_lines(page.data, &v->lines);
	buf_free(&page);
}

/* The branch league table: m/q/y the period, ←→ the one before or after, s the next column to
 * sort by. */
void screen_league(struct ui *ui)
{
	struct league_view v;
	memset(&v, 0, sizeof v);
	int d;
	date_to_ymd(clock_today(), &v.y, &v.m, &d);
	v.kind = 'm';
	v.sort = XF_LEAGUE_RECEIVED;
	league_period(&v);
	league_load(ui, &v);
	for (;;) {
		char title[64];
		if (v.kind == 'm')
			snprintf(title, sizeof title, "分支机构排名 %04d年%d月", v.y, v.m);
		else if (v.kind == 'q')
			snprintf(title, sizeof title, "分支机构排名 %04d年第%d季度", v.y, (v.m - 1) / 3 + 1);
		else
			snprintf(title, sizeof title, "分支机构排名 %04d年", v.y);
		ui_set_screen(ui, title, " m月 q季 y年 ←→上/下期 s换排序列 ↑↓翻看 F10返回");
		erase();
		ui_frame(ui);
		int top = ui_content_top(), rows = ui_content_rows();
		if (v.top > v.nlines - rows)
			v.top = v.nlines - rows;
		if (v.top < 0)
			v.top = 0;
		/* The two heading lines stay; the branches scroll under them. */
		for (int i = 0; i < 2 && i < v.nlines; i++)
			ui_put(top + i, 0, COLS, v.lines[i], A_BOLD);
		for (int i = 2; i < rows && v.top + i < v.nlines; i++)
			ui_put(top + i, 0, COLS, v.lines[v.top + i], A_NORMAL);
		move(LINES - 1, COLS - 1);
		refresh();
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_QUIT || ui_is_back(k))
			break;
		if (k.kind == UI_TICK) {
			if (ui->changed) {
				league_load(ui, &v);
				ui->changed = false;
			}
			continue;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_DOWN) {
			v.top++;
		} else if (k.kind == UI_FUNC && k.ch == KEY_UP) {
			v.top--;
		} else if (k.kind == UI_FUNC && k.ch == KEY_NPAGE) {
			v.top += rows - 3;
		} else if (k.kind == UI_FUNC && k.ch == KEY_PPAGE) {
			v.top -= rows - 3;
		} else if (k.kind == UI_CHAR && (k.ch == 'm' || k.ch == 'q' || k.ch == 'y')) {
			date_to_ymd(clock_today(), &v.y, &v.m, &d);
			v.kind = (char)k.ch;
			league_period(&v);
			v.top = 0;
			league_load(ui, &v);
		} else if (k.kind == UI_FUNC && (k.ch == KEY_LEFT || k.ch == KEY_RIGHT)) {
			int months = v.kind == 'm' ? 1 : v.kind == 'q' ? 3 : 12;
			int total = v.y * 12 + (v.m - 1) + (k.ch == KEY_LEFT ? -months : months);
			v.y = total / 12;
			v.m = total % 12 + 1;
			league_period(&v);
			v.top = 0;
			league_load(ui, &v);
		} else if (k.kind == UI_CHAR && k.ch == 's') {
			v.sort = (enum xf_league_col)((v.sort + 1) % XF_LEAGUE_COL_COUNT);
			v.top = 0;
			league_load(ui, &v);
			ui_message(ui, UI_INFO, "按%s排序（大的在前）", report_league_col_label(v.sort));
		}
	}
	league_lines_free(&v);
}

/* The office head's queue: new items most urgent first, and extension requests to decide. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/desk.h"

static const struct ui_column queue_columns[] = {
	{"number", "编号", 14},   {"received", "收件日期", 10}, {"channel", "渠道", 8}, {"name", "信访人", 8},
	{"category", "类别", 8}, {"days", "剩余", 6},         {"summary", "摘要", 0},
};

/* Urgent rows in colour: past the transfer limit in red, due today or tomorrow in yellow. */
static int urgency(struct ui *ui, const struct xf_fields *row)
{
	if (*fields_str(row, "extension"))
		return ui_attr_warn(ui);
	int left = atoi(fields_str(row, "days_left"));
	return left < 0 ? ui_attr_error(ui) : left <= 1 ? ui_attr_warn(ui) : (int)A_NORMAL;
}

/* Reloads the queue from the core. */
static void load(struct ui *ui, struct ui_list *l)
{
	struct xf_rows rows;
	struct xf_err err;
	if (desk_queue(&ui->s, &rows, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < rows.n; i++) {
		struct xf_fields *r = &rows.v[i];
		char buf[160];
		if (*fields_str(r, "extension")) {
			snprintf(buf, sizeof buf, "延期申请");
			fields_set(r, "days", buf);
			snprintf(buf, sizeof buf, "【申请延期至 %s】%s", fields_str(r, "extension"), fields_str(r, "summary"));
			fields_set(r, "summary", buf);
		} else {
			if (*fields_str(r, "returned")) {
				snprintf(buf, sizeof buf, "【退回：%s】%s", fields_str(r, "returned"), fields_str(r, "summary"));
				fields_set(r, "summary", buf);
			}
			int left = atoi(fields_str(r, "days_left"));
			snprintf(buf, sizeof buf, left < 0 ? "超%d天" : "%d天", left < 0 ? -left : left);
			fields_set(r, "days", buf);
		}
	}
	list_set_rows(l, &rows);
	ui->changed = false;
}

/* The move a queue key stands for, or -1. */
static int queue_move(wint_t ch)
{
	switch (ch) {
	case 't': return XF_MV_TRANSFER;
	case 'i': return XF_MV_INSTRUCT;
	case 'r': return XF_MV_REJECT;
	case 's': return XF_MV_SPOT;
	case 'd': return XF_MV_DECIDE;
	case 'w': return XF_MV_WITHDRAW;
	default: return -1;
	}
}

/* The queue screen. */
void screen_queue(struct ui *ui)
{
	struct ui_list l;
	memset(&l, 0, sizeof l);
	l.cols = queue_columns;
	l.ncols = (int)(sizeof queue_columns / sizeof queue_columns[0]);
	l.row_attr = urgency;
	load(ui, &l);
	for (;;) {
		ui_set_screen(ui, "待批队列",
		              " 回车 查看  t 批转  i 批示  r 不予受理  s 当场答复  d 审批延期  p 打印  F10 返回");
		erase();
		ui_frame(ui);
		list_draw(ui, &l, ui_content_top(), ui_content_rows());
		move(LINES - 1, COLS - 1);
		refresh();
		struct ui_key k = ui_getkey(ui);
		if (ui_is_back(k))
			break;
		if (k.kind == UI_TICK) {
			if (ui->changed)
				load(ui, &l);
			continue;
		}
		if (list_key(&l, k, ui_content_rows()))
			continue;
		const struct xf_fields *row = list_selected(&l);
		if (row == NULL)
			continue;
		int64_t id = atoll(fields_str(row, "id"));
		if ((k.kind == UI_CHAR && (k.ch == '\r' || k.ch == 'o')) || (k.kind == UI_FUNC && k.ch == KEY_ENTER)) {
			screen_case(ui, id);
			load(ui, &l);
		} else if (k.kind == UI_CHAR && k.ch == 'p') {
			screen_print(ui, id, "transfer");
		} else if (k.kind == UI_CHAR && queue_move(k.ch) >= 0) {
			screen_move(ui, id, (enum xf_move)queue_move(k.ch));
			load(ui, &l);
		}
	}
	list_free(&l);
}

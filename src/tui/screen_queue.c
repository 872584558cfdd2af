/* The office head's queue: new items, returned items and extension requests, most urgent
 * first, with the selected item's details under the list. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/desk.h"
#include "xinfang/text.h"

static const struct ui_column queue_columns[] = {
	{"number", "编号", 14}, {"days", "剩余", 6},     {"kind", "事由", 8},
	{"name", "信访人", 8},  {"category", "类别", 8}, {"summary", "摘要", 0},
};

/* Rows of the details under the list. */
enum { DETAIL_ROWS = 4 };

/* Urgent rows in colour: past the limit in red, due today or tomorrow in yellow. */
static int urgency(struct ui *ui, const struct xf_fields *row)
{
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
		bool extension = *fields_str(r, "extension");
		fields_set(r, "kind", extension ? "延期申请" : *fields_str(r, "returned") ? "退回" : "新登记");
		if (extension) {
			snprintf(buf, sizeof buf, "%s至%s：%s", fields_str(r, "ext_limit"), fields_str(r, "extension") + 5,
			         fields_str(r, "ext_reason"));
			fields_set(r, "summary", buf);
		}
		int left = atoi(fields_str(r, "days_left"));
		snprintf(buf, sizeof buf, left < 0 ? "超%d天" : "%d天", left < 0 ? -left : left);
		fields_set(r, "days", buf);
	}
	list_set_rows(l, &rows);
	ui->changed = false;
}

/* The selected item in full under the list: what is asked, why, when, by whom. */
static void draw_details(struct ui *ui, const struct xf_fields *row, int y)
{
	ui_put(y, 0, COLS, "", A_NORMAL);
	mvhline(y, 0, ACS_HLINE, COLS);
	if (row == NULL)
		return;
	char *text;
	if (*fields_str(row, "extension"))
		text = xasprintf("延期申请：%s %s（原期限 %s）申请延至 %s；%s 于 %s 申请。理由：%s", fields_str(row, "number"),
		                 fields_str(row, "ext_limit"), fields_str(row, "ext_old_due"), fields_str(row, "extension"),
		                 fields_str(row, "ext_by"), fields_str(row, "ext_at"), fields_str(row, "ext_reason"));
	else
		text = xasprintf("%s %s 收件，%s，%s：%s%s%s", fields_str(row, "number"), fields_str(row, "received"),
		                 fields_str(row, "channel"), fields_str(row, "name"), fields_str(row, "summary"),
		                 *fields_str(row, "returned") ? " 退回理由：" : "", fields_str(row, "returned"));
	char **lines;
	size_t n = text_wrap(text, COLS - 2, tui_cp_width_ctx, NULL, &lines);
	for (size_t i = 0; i < n && i + 1 < DETAIL_ROWS; i++)
		ui_put(y + 1 + (int)i, 1, COLS - 2, lines[i], urgency(ui, row));
	text_lines_free(lines, n);
	free(text);
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

/* The key hints: only the moves this operator's role may make at all. */
static void queue_hints(const struct ui *ui, char *out, size_t n)
{
	static const struct {
		enum xf_move move;
		const char *hint;
	} keys[] = {{XF_MV_TRANSFER, "t批转"}, {XF_MV_INSTRUCT, "i批示"}, {XF_MV_REJECT, "r不予受理"},
	            {XF_MV_SPOT, "s当场答复"}, {XF_MV_DECIDE, "d审批延期"}, {XF_MV_WITHDRAW, "w撤诉"}};
	snprintf(out, n, " 回车卷宗");
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		bool may = ui->s.op.role == XF_ROLE_ADMIN || (xf_moves[keys[i].move].roles & XF_MAY(ui->s.op.role));
		if (may) {
			size_t used = strlen(out);
			snprintf(out + used, n - used, " %s", keys[i].hint);
		}
	}
	size_t used = strlen(out);
	snprintf(out + used, n - used, " p打印 F10返回");
}

/* Opens a move's form when this operator may make it on this item now; says why not otherwise. */
static void try_move(struct ui *ui, int64_t id, const struct xf_fields *row, enum xf_move move)
{
	enum xf_move open[XF_MV_COUNT];
	int nopen = 0;
	struct xf_err err;
	if (case_moves_open(&ui->s, id, open, &nopen, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	bool allowed = false;
	for (int i = 0; i < nopen; i++)
		allowed = allowed || open[i] == move;
	if (move == XF_MV_DECIDE && !*fields_str(row, "extension"))
		allowed = false;
	if (!allowed) {
		bool role = ui->s.op.role == XF_ROLE_ADMIN || (xf_moves[move].roles & XF_MAY(ui->s.op.role));
		if (!role)
			ui_message(ui, UI_WARN, "%s不能%s：这一步由办公室主任办理", auth_role_label(ui->s.op.role),
			           xf_moves[move].label);
		else if (move == XF_MV_DECIDE)
			ui_message(ui, UI_WARN, "%s 没有等待审批的延期申请", fields_str(row, "number"));
		else
			ui_message(ui, UI_WARN, "%s 现在不能%s", fields_str(row, "number"), xf_moves[move].label);
		return;
	}
	screen_move(ui, id, move);
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
	char hints[256];
	queue_hints(ui, hints, sizeof hints);
	for (;;) {
		ui_set_screen(ui, "待批队列", hints);
		erase();
		ui_frame(ui);
		int rows = ui_content_rows() - DETAIL_ROWS;
		list_draw(ui, &l, ui_content_top(), rows);
		draw_details(ui, list_selected(&l), ui_content_top() + rows);
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
		if (list_key(&l, k, rows))
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
			try_move(ui, id, row, (enum xf_move)queue_move(k.ch));
			load(ui, &l);
		}
	}
	list_free(&l);
}

/* 督办: the head office's urged cases across its branches (branch, number, deadline, days left,
 * answered or not), a new urging typed here; for a branch, the urgings it must answer, with
 * the answer typed here. The core decides who may do what. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"
#include "list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/supervise.h"

/* Overdue in the error colour, unanswered in the warning colour. */
static int by_status(struct ui *ui, const struct xf_fields *row)
{
	const char *status = fields_str(row, "status");
	if (strcmp(status, "已逾期") == 0)
		return ui_attr_error(ui);
	return strcmp(status, "未答复") == 0 ? ui_attr_warn(ui) : (int)A_NORMAL;
}

/* Fills the list of urgings in reach. */
static void load_urgings(struct ui *ui, struct ui_list *l, void *ctx)
{
	(void)ctx;
	struct xf_rows rows;
	struct xf_err err;
	if (supervise_list(&ui->s, NULL, &rows, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	list_set_rows(l, &rows);
}

/* Opens a small form of the given keys; false (said) when it cannot be made. */
static bool open_small(struct ui *ui, struct fscreen *fs, const char *name, const char *title, const char *const *keys,
                       const char *const *labels, const enum xf_ftype *types, const bool *required, int n)
{
	const char *lists[8] = {NULL};
	char *text = fs_small_form(name, title, "编号", keys, labels, types, lists, required, n);
	bool opened = fs_open(ui, fs, NULL, text);
	free(text);
	return opened;
}

/* A new urging: the case's number, the deadline and what is asked; saved through the core. */
static void new_urging(struct ui *ui)
{
	static const char *const keys[] = {"case", "deadline", "request"};
	static const char *const labels[] = {"事项编号", "督办期限", "督办要求"};
	static const enum xf_ftype types[] = {XF_F_TEXT, XF_F_DATE, XF_F_LONGTEXT};
	static const bool required[] = {true, true, false};
	struct fscreen fs;
	if (!open_small(ui, &fs, "supervise", "督办", keys, labels, types, required, 3))
		return;
	fs_editable(&fs, "case deadline request");
	fs_set(&fs, "number", "下级机构的事项（如 BJ01-2026年第0001号）");
	snprintf(fs.hints, sizeof fs.hints, " F2 督办  Tab/回车 下一项  F10 返回");
	while (fs_run(ui, &fs) == FS_SAVE) {
		if (!fs_required_ok(ui, &fs))
			continue;
		struct xf_err err;
		int64_t id;
		const char *number = fields_str(&fs.values, "case");
		int rc = case_find(&ui->s, number, &id, &err);
		if (rc == XF_OK)
			rc = supervise_urge(&ui->s, id, fields_str(&fs.values, "deadline"), fields_str(&fs.values, "request"),
			                    &err);
		if (rc != XF_OK) {
			ui_message(ui, UI_ERROR, "%s", err.msg); /* the form keeps what was typed */
			continue;
		}
		ui_message(ui, UI_INFO, "已督办 %s：请于 %s 前报告办理情况", number, fields_str(&fs.values, "deadline"));
		break;
	}
	fs_free(&fs);
}

/* One urging shown whole; the branch's head (or the case's handler) types the answer while it
 * is open. */
static void open_urging(struct ui *ui, const struct xf_fields *row)
{
	static const char *const keys[] = {"branch", "deadline", "request", "status", "answer"};
	static const char *const labels[] = {"被督办机构", "督办期限", "督办要求", "状态", "办理情况"};
	static const enum xf_ftype types[] = {XF_F_TEXT, XF_F_TEXT, XF_F_LONGTEXT, XF_F_TEXT, XF_F_LONGTEXT};
	static const bool required[] = {false, false, false, false, true};
	bool open = *fields_str(row, "answered_at") == '\0';
	bool answers = open && (ui->s.op.role == XF_ROLE_HEAD || ui->s.op.role == XF_ROLE_HANDLER);
	struct fscreen fs;
	if (!open_small(ui, &fs, "supervision", "督办", keys, labels, types, required, 5))
		return;
	fs_editable(&fs, answers ? "answer" : "");
	char branch[200], status[64];
	snprintf(branch, sizeof branch, "%s %s", fields_str(row, "branch_code"), fields_str(row, "branch_name"));
	snprintf(status, sizeof status, "%s（剩余 %s 天）", fields_str(row, "status"), fields_str(row, "days_left"));
	fs_set(&fs, "number", fields_str(row, "number"));
	fs_set(&fs, "branch", branch);
	fs_set(&fs, "deadline", fields_str(row, "deadline"));
	fs_set(&fs, "request", fields_str(row, "request"));
	fs_set(&fs, "status", open ? status : fields_str(row, "status"));
	fs_set(&fs, "answer", fields_str(row, "answer"));
	snprintf(fs.hints, sizeof fs.hints, answers ? " F2 答复督办  F10 返回" : " F10 返回");
	fs.leaves_freely = !answers;
	while (fs_run(ui, &fs) == FS_SAVE && answers) {
		if (!fs_required_ok(ui, &fs))
			continue;
		struct xf_err err;
		int64_t id = atoll(fields_str(row, "case_id"));
		if (supervise_answer(&ui->s, id, fields_str(&fs.values, "answer"), &err) != XF_OK) {
			ui_message(ui, UI_ERROR, "%s", err.msg);
			continue;
		}
		ui_message(ui, UI_INFO, "已答复 %s 的督办", fields_str(row, "number"));
		break;
	}
	fs_free(&fs);
}

/* The urged cases in reach. */
void screen_supervise(struct ui *ui)
{
	static const struct ui_column cols[] = {
		{"branch_code", "机构", 6},   {"number", "编号", 14},        {"deadline", "督办期限", 10},
		{"days_left", "剩余天数", 8}, {"status", "状态", 8},         {"answer", "办理情况", 0},
	};
	bool urges = ui->s.op.role == XF_ROLE_SUPERVISOR || ui->s.op.role == XF_ROLE_ADMIN;
	struct ui_list l;
	memset(&l, 0, sizeof l);
	l.cols = cols;
	l.ncols = (int)(sizeof cols / sizeof cols[0]);
	l.row_attr = by_status;
	load_urgings(ui, &l, NULL);
	const char *hints = urges ? " ↑↓ 选择  回车 查看  n 新督办  F10 返回" : " ↑↓ 选择  回车 查看、答复  F10 返回";
	struct ui_key k;
	while (list_screen_turn(ui, &l, urges ? "督办清单（下级机构）" : "督办：待本机构答复", hints, load_urgings, NULL,
	                        &k)) {
		const struct xf_fields *row = list_selected(&l);
		if (urges && k.kind == UI_CHAR && k.ch == 'n') {
			new_urging(ui);
			load_urgings(ui, &l, NULL);
		} else if (row && ((k.kind == UI_CHAR && k.ch == '\r') || (k.kind == UI_FUNC && k.ch == KEY_ENTER))) {
			struct xf_fields copy;
			fields_init(&copy);
			for (size_t i = 0; i < row->n; i++)
				fields_set(&copy, row->v[i].key, row->v[i].val);
			open_urging(ui, &copy);
			fields_free(&copy);
			load_urgings(ui, &l, NULL);
		}
	}
	list_free(&l);
}

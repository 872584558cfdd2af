/* The ledger at the desk: an Excel ledger saved as CSV is checked first (every problem by line
 * and column), then brought in with a progress bar. Only core calls here. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_screen.h"
#include "xinfang/csv.h"
#include "xinfang/ledger.h"
#include "xinfang/text.h"

/* The screen's one-field form, as a form file would draw it. */
static const char import_form[] =
	"name = import\n"
	"title = 导入台账\n"
	"\n"
	"[layout]\n"
	"  把 Excel 台账另存为“CSV（逗号分隔）”或“CSV UTF-8”，填入文件路径，F2 先检查。\n"
	"┌──────────┬──────────────────────────────────────────────────┐\n"
	"│文    件  │{file                                            }│\n"
	"└──────────┴──────────────────────────────────────────────────┘\n"
	"[fields]\n"
	"file  文件  text  required max=400\n";

/* What the progress bar needs. */
struct progress {
	struct ui *ui;
	long total; /* rows found by the check */
};

/* Draws the bar in the middle of the screen: 导入台账 [████░░░░] 1200 / 5000 件. */
static void draw_progress(void *ctx, long done, long total)
{
	struct progress *p = ctx;
	long all = total > 0 ? total : p->total;
	int width = COLS - 34 < 10 ? 10 : COLS - 34;
	if (width > 50)
		width = 50;
	int filled = all > 0 ? (int)((double)done / (double)all * width) : 0;
	if (filled > width)
		filled = width;
	struct xf_buf bar;
	buf_init(&bar);
	buf_puts(&bar, "导入台账 [");
	for (int i = 0; i < width; i++)
		buf_puts(&bar, i < filled ? "█" : "░");
	buf_printf(&bar, "] %ld / %ld 件", done, all);
	int y = ui_content_top() + ui_content_rows() / 2;
	ui_put(y, 2, COLS - 4, bar.data, A_BOLD);
	buf_free(&bar);
	refresh();
}

/* Shows every problem the check found, one per line, as the command line prints them. */
static void show_problems(struct ui *ui, const struct xf_import_report *rep)
{
	struct xf_buf text;
	buf_init(&text);
	buf_printf(&text, "%ld 处问题，一件也没有导入；改正后再检查：\n\n", rep->problem_count);
	if (rep->notes && *rep->notes)
		buf_printf(&text, "提示：%s\n\n", rep->notes);
	for (size_t i = 0; i < rep->nproblems; i++) {
		const struct xf_import_problem *p = &rep->problems[i];
		if (p->column > 0) {
			char letter[8];
			csv_column_name((size_t)p->column - 1, letter);
			buf_printf(&text, "第 %ld 行 %s 列（%s）：%s\n", p->line, letter, p->header, p->msg);
		} else {
			buf_printf(&text, "第 %ld 行：%s\n", p->line, p->msg);
		}
	}
	ui_help(ui, text.data);
	buf_free(&text);
}

/* Shows what the check noted (columns not used, and the like) under the form, wrapped, so
 * that it is read before the question; the last row says when more did not fit. */
static void show_notes(struct ui *ui, const char *notes)
{
	if (notes == NULL || *notes == '\0')
		return;
	char *text = xasprintf("提示：%s", notes);
	char **lines;
	size_t n = ui_wrap_text(text, COLS - 4, &lines);
	free(text);
	int first = ui_content_top() + 6, last = ui_content_top() + ui_content_rows() - 2; /* the question may take two rows */
	for (size_t i = 0; i < n && first + (int)i <= last; i++) {
		bool cut = first + (int)i == last && i + 1 < n;
		ui_put(first + (int)i, 2, COLS - 4, cut ? "……（还有，未全部显示；命令行 xinfang import --dry-run 列出全部）" : lines[i],
		       ui_attr_warn(ui));
	}
	text_lines_free(lines, n);
	refresh();
}

/* The import screen: the file, the check, the question, the import. */
void screen_import(struct ui *ui)
{
	struct fscreen fs;
	if (!fs_open(ui, &fs, NULL, import_form))
		return;
	fs_editable(&fs, "file");
	snprintf(fs.hints, sizeof fs.hints, " 回车/F2 检查并导入  F10 返回");
	fs.enter_submits = true;
	for (;;) {
		if (fs_run(ui, &fs) != FS_SAVE)
			break;
		char *path = xstrdup(fields_str(&fs.values, "file"));
		struct xf_import_report rep;
		struct xf_err err;
		int rc = ledger_import(&ui->s, path, true, NULL, NULL, &rep, &err);
		if (rc != XF_OK) {
			if (rep.nproblems > 0)
				show_problems(ui, &rep);
			ui_message(ui, UI_ERROR, "%s", err.msg);
			import_report_free(&rep);
			free(path);
			continue;
		}
		char question[256];
		snprintf(question, sizeof question, "检查无误：%ld 件（%s 编码，编号 %s 至 %s）。现在导入？", rep.rows,
		         rep.encoding, rep.first_number, rep.last_number);
		struct progress progress = {ui, rep.rows};
		show_notes(ui, rep.notes);
		import_report_free(&rep);
		if (!ui_confirm(ui, question)) {
			ui_message(ui, UI_INFO, "没有导入");
			free(path);
			continue;
		}
		rc = ledger_import(&ui->s, path, false, draw_progress, &progress, &rep, &err);
		free(path);
		ui_refresh_status(ui); /* the desk's own write: the bar counts the new cases at once */
		if (rc != XF_OK)
			ui_message(ui, UI_ERROR, "%s", err.msg);
		else
			ui_message(ui, UI_INFO, "已导入 %ld 件（编号 %s 至 %s）", rep.imported, rep.first_number, rep.last_number);
		import_report_free(&rep);
		if (rc == XF_OK)
			break;
	}
	fs_free(&fs);
}

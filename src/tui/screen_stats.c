/* 统计: the figures of a month, quarter, year or any dates, with bar charts; printed through
 * the same printing as the slips, or exported as CSV. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"
#include "list.h"
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/print.h"
#include "xinfang/report.h"
#include "xinfang/slip.h"
#include "xinfang/text.h"

enum period_kind { PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR, PERIOD_DATES };

/* What the screen shows: a period, its figures and the page drawn from them. */
struct stats_view {
	enum period_kind kind;
	int y, m;                    /* the period's year and month (quarter: its first month) */
	char since[11], until[11];
	struct xf_stats st;
	bool loaded;
	bool jrt;                    /* the JR/T 0169 axes are shown too */
	char **lines;
	int nlines, top;
};

/* Sets since/until from the kind and y/m. */
static void period_dates(struct stats_view *v)
{
	char key[16], val[48];
	if (v->kind == PERIOD_DATES)
		return;
	if (v->kind == PERIOD_MONTH)
		snprintf(key, sizeof key, "month"), snprintf(val, sizeof val, "%04d-%02d", v->y, v->m);
	else if (v->kind == PERIOD_QUARTER)
		snprintf(key, sizeof key, "quarter"), snprintf(val, sizeof val, "%04d-Q%d", v->y, (v->m - 1) / 3 + 1);
	else
		snprintf(key, sizeof key, "year"), snprintf(val, sizeof val, "%04d", v->y);
	report_period(key, val, v->since, v->until, NULL);
}

/* Moves the period by step months, quarters or years. */
static void period_step(struct stats_view *v, int step)
{
	int months = v->kind == PERIOD_MONTH ? 1 : v->kind == PERIOD_QUARTER ? 3 : 12;
	int total = v->y * 12 + (v->m - 1) + step * months;
	v->y = total / 12;
	v->m = total % 12 + 1;
	period_dates(v);
}

/* Frees the drawn page. */
static void free_lines(struct stats_view *v)
{
	ui_lines_free(v->lines, v->nlines);
	v->lines = NULL;
	v->nlines = 0;
}

/* Computes the figures and draws the page for the screen's width. */
static void load(struct ui *ui, struct stats_view *v)
{
	if (v->loaded)
		report_free(&v->st);
	v->loaded = false;
	free_lines(v);
	struct xf_err err;
	if (report_stats(&ui->s, v->since, v->until, &v->st, &err) != XF_OK) {
		ui_message(ui, UI_ERROR, "%s", err.msg);
		return;
	}
	if (v->jrt && report_stats_jrt(&ui->s, &v->st, &err) != XF_OK)
		ui_message(ui, UI_ERROR, "%s", err.msg);
	v->loaded = true;
	struct xf_buf page;
	buf_init(&page);
	report_render(&v->st, 0, COLS < 100 ? COLS : 100, XF_RENDER_TERMINAL, &page);
	v->nlines = ui_text_lines(page.data, &v->lines);
	buf_free(&page);
}

/* The colour of a line: growth warnings in their level's colour, section titles bold. */
static int line_attr(struct ui *ui, const char *line)
{
	if (strstr(line, "红色预警"))
		return ui_attr_error(ui);
	if (strstr(line, "黄色预警"))
		return ui_attr_warn(ui);
	if (strstr(line, "蓝色预警"))
		return ui_attr_title(ui);
	if (line[0] != ' ' && strncmp(line, "─", strlen("─")) != 0)
		return A_BOLD;
	return A_NORMAL;
}

/* Asks for any dates; false when the operator went back. */
static bool ask_dates(struct ui *ui, struct stats_view *v)
{
	static const char form[] =
		"name = stats_dates\ntitle = 统计期间\n[layout]\n"
		"┌──────────┬────────────────────┬──────────┬────────────────────┐\n"
		"│收件日期自│{since             }│至        │{until             }│\n"
		"└──────────┴────────────────────┴──────────┴────────────────────┘\n"
		"[fields]\nsince 起始日期 date required\nuntil 截止日期 date required\n";
	struct fscreen fs;
	if (!fs_open(ui, &fs, NULL, form))
		return false;
	fs_set(&fs, "since", v->since);
	fs_set(&fs, "until", v->until);
	snprintf(fs.hints, sizeof fs.hints, " F2 统计  Tab/回车 下一项  F10 返回");
	fs.leaves_freely = true; /* only asks which dates */
	bool ok = false;
	while (!ok && fs_run(ui, &fs) == FS_SAVE) {
		if (!fs_required_ok(ui, &fs))
			continue;
		const char *a = fields_str(&fs.values, "since"), *b = fields_str(&fs.values, "until");
		if (strcmp(a, b) > 0) {
			ui_message(ui, UI_ERROR, "截止日期 %s 早于起始日期 %s：请改正", b, a);
			continue;
		}
		snprintf(v->since, sizeof v->since, "%s", a);
		snprintf(v->until, sizeof v->until, "%s", b);
		v->kind = PERIOD_DATES;
		ok = true;
	}
	fs_free(&fs);
	return ok;
}

/* A short name of the period for a file: 2026-03, 2026-Q1, 2026, or 20260301-20260315. */
static void period_name(const struct stats_view *v, char *out, size_t n)
{
	if (v->kind == PERIOD_MONTH)
		snprintf(out, n, "%04d-%02d", v->y, v->m);
	else if (v->kind == PERIOD_QUARTER)
		snprintf(out, n, "%04d-Q%d", v->y, (v->m - 1) / 3 + 1);
	else if (v->kind == PERIOD_YEAR)
		snprintf(out, n, "%04d", v->y);
	else
		snprintf(out, n, "%.4s%.2s%.2s-%.4s%.2s%.2s", v->since, v->since + 5, v->since + 8, v->until, v->until + 5,
		         v->until + 8);
}

/* The file the statistics go to by default, for the print dialog and the export alike: in the
 * folder the operator printed or exported to last (else home), named xinfang-统计-PERIOD.EXT. */
static void default_stats_file(struct ui *ui, const struct stats_view *v, const char *ext, char *out, size_t n)
{
	struct xf_print_prefs prefs;
	struct xf_err err;
	if (print_operator_prefs(&ui->s, &prefs, &err) != XF_OK)
		prefs.file[0] = '\0';
	char folder[512], name[40];
	ui_default_dir(prefs.file, folder, sizeof folder);
	period_name(v, name, sizeof name);
	snprintf(out, n, "%s/xinfang-统计-%s.%s", folder, name, ext);
}

/* Remembers the folder a file went to as the operator's, so the next dialog starts there. */
static void remember_folder(struct ui *ui, const char *full_path)
{
	struct xf_print_prefs prefs;
	struct xf_err err;
	if (print_operator_prefs(&ui->s, &prefs, &err) != XF_OK)
		return;
	const char *slash = strrchr(full_path, '/');
	snprintf(prefs.file, sizeof prefs.file, "%.*s", slash ? (int)(slash - full_path) : 0, full_path);
	if (*prefs.file)
		print_operator_remember(&ui->s, &prefs, &err);
}

/* Exports the figures on the screen as CSV to a file, in the encoding chosen. */
static void export_csv(struct ui *ui, struct stats_view *v)
{
	char path[700];
	default_stats_file(ui, v, "csv", path, sizeof path);
	static const char form[] =
		"name = stats_export\ntitle = 导出统计（CSV）\n[layout]\n"
		"┌──────────┬────────────────────────────────────────────────────┐\n"
		"│文    件  │{file                                              }│\n"
		"├──────────┼────────────────────────────────────────────────────┤\n"
		"│编    码  │{encoding                                          }│\n"
		"└──────────┴────────────────────────────────────────────────────┘\n"
		"[fields]\nfile 文件 text required\nencoding 编码 choice list=encodings required\n";
	struct fscreen fs;
	if (!fs_open(ui, &fs, NULL, form))
		return;
	char last_encoding[16];
	report_export_encoding(&ui->s, last_encoding, sizeof last_encoding);
	fs_set(&fs, "file", path);
	fs_set(&fs, "encoding", last_encoding); /* the operator's last, like the folder */
	snprintf(fs.hints, sizeof fs.hints, " F2 导出  空格/F3 选择  Tab/回车 下一项  F10 返回");
	fs.leaves_freely = true; /* only asks where to */
	while (fs_run(ui, &fs) == FS_SAVE) {
		const char *enc = fields_str(&fs.values, "encoding"), *file = fields_str(&fs.values, "file");
		struct xf_err err;
		/* the axes on the screen, JR/T ones when shown; a name like x.xlsx is refused */
		int rc = report_csv_file(&v->st, 0, enc, file, &err);
		if (rc != XF_OK) {
			ui_message(ui, UI_ERROR, "%s", err.msg);
			continue;
		}
		char full[1024];
		ui_full_path(file, full, sizeof full);
		remember_folder(ui, full);
		report_export_remember(&ui->s, enc, &err);
		ui_message(ui, UI_INFO, "统计已导出到 %s（CSV，%s）", full, enc);
		break;
	}
	fs_free(&fs);
}

/* The dialog's word for a destination, and back. */

/* Prints the report the way the command line does: to the office's printer in the format
 * chosen (the operator's last choice, else the office's: PDF unless it keeps text), to a file
 * (PDF for *.pdf, else text) or to the terminal's own printer (text). A refused print leaves
 * the dialog open with everything as typed. */
static void print_report(struct ui *ui, struct stats_view *v)
{
	bool terminal = ui_terminal_printer();
	const char *keys[] = {"dest", "queue", "file", "format", "encoding"};
	const char *labels[] = {"打印到", "打印机队列", "文件", "格式", "文本编码"};
	const char *lists[] = {terminal ? "print_dests_terminal" : "print_dests", NULL, NULL, "print_formats", "encodings"};
	enum xf_ftype types[] = {XF_F_CHOICE, XF_F_TEXT, XF_F_TEXT, XF_F_CHOICE, XF_F_CHOICE};
	bool required[] = {true, false, false, true, true};
	char *text = fs_small_form("stats_print", "打印统计", "统计期间", keys, labels, types, lists, required, 5);
	struct fscreen fs;
	bool opened = fs_open(ui, &fs, NULL, text);
	free(text);
	if (!opened)
		return;
	fs_editable(&fs, "dest queue file format encoding");
	struct xf_print_prefs prefs;
	struct xf_err err;
	const char *dest = ui_print_prefs(ui, &prefs, terminal);
	bool pdf = print_format_parse(prefs.format) != XF_FORMAT_TEXT;
	char period[32], path[700];
	snprintf(period, sizeof period, "%s 至 %s", v->since, v->until);
	default_stats_file(ui, v, pdf ? "pdf" : "txt", path, sizeof path);
	fs_set(&fs, "number", period);
	fs_set(&fs, "dest", dest);
	fs_set(&fs, "queue", prefs.queue); /* empty: the default, as the message line says */
	fs_set(&fs, "file", path);
	fs_set(&fs, "format", pdf ? "PDF" : "文本");
	fs_set(&fs, "encoding", prefs.encoding);
	snprintf(fs.hints, sizeof fs.hints, " F2 打印  空格/F3 选择  Tab/回车 下一项  F10 返回");
	fs.leaves_freely = true; /* only asks where to */
	fs.on_leave = ui_print_fields_apply;
	ui_print_queue_help(ui, &fs);
	ui_print_fields_apply(ui, &fs, "dest", NULL);
	while (fs_run(ui, &fs) == FS_SAVE) {
		const char *chosen = fields_str(&fs.values, "dest"), *enc = fields_str(&fs.values, "encoding");
		const char *file = fields_str(&fs.values, "file"), *queue = fields_str(&fs.values, "queue");
		enum xf_print_format format = strcmp(fields_str(&fs.values, "format"), "文本") == 0 ? XF_FORMAT_TEXT : XF_FORMAT_PDF;
		bool to_file = strcmp(chosen, "文件") == 0, to_terminal = strcmp(chosen, "终端打印机") == 0;
		if (to_file && *file == '\0') {
			ui_message(ui, UI_ERROR, "请填写要打印到的文件");
			fs_focus_key(&fs, "file");
			continue;
		}
		struct xf_print_report report;
		memset(&report, 0, sizeof report);
		/* A file named *.pdf or *.txt is that; any other name takes the format chosen. */
		struct xf_print_opts opts = {"stats", enc, to_terminal ? XF_PRINT_CALLER : to_file ? XF_PRINT_FILE : XF_PRINT_SPOOLER,
		                             to_file ? file : queue, slip_default_page(), NULL,
		                             to_terminal ? XF_FORMAT_TEXT : to_file ? print_format_named(file, format) : format,
		                             &report};
		struct xf_buf bytes;
		buf_init(&bytes);
		int rc = report_print(&ui->s, &v->st, 0, &opts, &bytes, &err);
		if (rc == XF_OK && to_terminal) {
			if (mcprint(bytes.data, (int)bytes.len) == ERR)
				rc = xf_err_set(&err, XF_EIO, "这台终端没有连接打印机（不支持打印直通）：请改为打印机或文件");
			clearok(curscr, TRUE);
			snprintf(report.where, sizeof report.where, "终端打印机");
			if (rc == XF_OK)
				rc = report_print_record(&ui->s, &v->st, &report, enc, &err);
		}
		buf_free(&bytes);
		if (rc != XF_OK) {
			ui_print_failed(ui, err.msg);
			continue;
		}
		if (!ui_remember_print(ui, &prefs, to_terminal ? "terminal" : to_file ? "file" : "printer", queue, format, enc,
		                       to_file ? file : NULL))
			break;
		char said[512];
		print_report_text(&report, said, sizeof said);
		ui_message(ui, UI_INFO, "统计%s（%s）", said, report.format == XF_FORMAT_PDF ? "PDF" : "文本");
		break;
	}
	fs_free(&fs);
}

/* The screen's title: 统计 and the period in words, short enough to leave the title bar room
 * for the operator and the date (the dates themselves head the page). */
static void period_title(const struct stats_view *v, char *out, size_t n)
{
	static const char *const quarters[] = {"一", "二", "三", "四"};
	if (v->kind == PERIOD_MONTH)
		snprintf(out, n, "统计 %04d年%d月", v->y, v->m);
	else if (v->kind == PERIOD_QUARTER)
		snprintf(out, n, "统计 %04d年第%s季度", v->y, quarters[(v->m - 1) / 3]);
	else if (v->kind == PERIOD_YEAR)
		snprintf(out, n, "统计 %04d年", v->y);
	else
		snprintf(out, n, "统计 自选日期");
}

/* The statistics screen. */
void screen_stats(struct ui *ui)
{
	struct stats_view v;
	memset(&v, 0, sizeof v);
	int d;
	date_to_ymd(clock_today(), &v.y, &v.m, &d);
	v.kind = PERIOD_MONTH;
	period_dates(&v);
	load(ui, &v);
	int cols = COLS;
	for (;;) {
		char title[64];
		period_title(&v, title, sizeof title);
		ui_set_screen(ui, title, v.jrt ? " m月 q季 y年 ←→上/下期 d日期 j收起JR/T p打印 e导出 ↑↓翻看 F10返回"
		                                 : " m月 q季 y年 ←→上/下期 d日期 j JR/T分类 p打印 e导出 ↑↓翻看 F10返回");
		erase();
		ui_frame(ui);
		int top = ui_content_top(), rows = ui_content_rows();
		if (v.jrt) { /* a line of its own above the page, wherever the page is scrolled to */
			ui_put(top, 0, COLS, " 含 JR/T 0169 分类：业务渠道、业务类型、投诉原因（j 收起）", ui_attr_title(ui) | A_BOLD);
			top++;
			rows--;
		}
		if (v.top > v.nlines - rows)
			v.top = v.nlines - rows;
		if (v.top < 0)
			v.top = 0;
		for (int i = 0; i < rows && v.top + i < v.nlines; i++)
			ui_put(top + i, 0, COLS, v.lines[v.top + i], line_attr(ui, v.lines[v.top + i]));
		move(LINES - 1, COLS - 1);
		refresh();
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_QUIT || ui_is_back(k))
			break;
		if (k.kind == UI_TICK) {
			if (ui->changed || cols != COLS) {
				load(ui, &v);
				ui->changed = false;
				cols = COLS;
			}
			continue;
		}
		if (k.kind == UI_FUNC && k.ch == KEY_RESIZE) {
			load(ui, &v);
			cols = COLS;
		} else if (k.kind == UI_FUNC && k.ch == KEY_DOWN) {
			v.top++;
		} else if (k.kind == UI_FUNC && k.ch == KEY_UP) {
			v.top--;
		} else if (k.kind == UI_FUNC && k.ch == KEY_NPAGE) {
			v.top += rows - 1;
		} else if (k.kind == UI_FUNC && k.ch == KEY_PPAGE) {
			v.top -= rows - 1;
		} else if (k.kind == UI_FUNC && k.ch == KEY_HOME) {
			v.top = 0;
		} else if (k.kind == UI_FUNC && k.ch == KEY_END) {
			v.top = v.nlines; /* drawn as the last screenful */
		} else if (k.kind == UI_CHAR && (k.ch == 'm' || k.ch == 'q' || k.ch == 'y')) {
			date_to_ymd(clock_today(), &v.y, &v.m, &d);
			v.kind = k.ch == 'm' ? PERIOD_MONTH : k.ch == 'q' ? PERIOD_QUARTER : PERIOD_YEAR;
			period_dates(&v);
			v.top = 0;
			load(ui, &v);
		} else if (k.kind == UI_FUNC && (k.ch == KEY_LEFT || k.ch == KEY_RIGHT) && v.kind != PERIOD_DATES) {
			period_step(&v, k.ch == KEY_LEFT ? -1 : 1);
			v.top = 0;
			load(ui, &v);
		} else if (k.kind == UI_FUNC && (k.ch == KEY_LEFT || k.ch == KEY_RIGHT)) {
			ui_message(ui, UI_INFO, "自选日期没有上一期、下一期：按 d 改日期，或按 m、q、y 回到月、季、年");
		} else if (k.kind == UI_CHAR && k.ch == 'j') {
			v.jrt = !v.jrt;
			load(ui, &v);
			v.top = 0;
			for (int i = 0; v.jrt && i < v.nlines; i++)
				if (strstr(v.lines[i], "JR/T")) {
					v.top = i > 0 ? i - 1 : 0; /* the first JR/T chart, its rule above it */
					break;
				}
			if (v.jrt)
				ui_message(ui, UI_INFO, "已加上 JR/T 0169 的业务渠道、业务类型、投诉原因三个分类；再按 j 收起");
			else
				ui_message(ui, UI_INFO, "已收起 JR/T 0169 分类");
		} else if (k.kind == UI_CHAR && k.ch == 'd') {
			if (ask_dates(ui, &v)) {
				v.top = 0;
				load(ui, &v);
			}
		} else if (k.kind == UI_CHAR && k.ch == 'p' && v.loaded) {
			print_report(ui, &v);
		} else if (k.kind == UI_CHAR && k.ch == 'e' && v.loaded) {
			export_csv(ui, &v);
		}
	}
	free_lines(&v);
	if (v.loaded)
		report_free(&v.st);
}

/* 统计: the figures of a month, quarter, year or any dates, with bar charts; printed through
 * the same printing as the slips, or exported as CSV. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"

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
	for (int i = 0; i < v->nlines; i++)
		free(v->lines[i]);
	free(v->lines);
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
	for (char *p = page.data; p && *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		v->lines = xrealloc(v->lines, (size_t)(v->nlines + 1) * sizeof *v->lines);
		v->lines[v->nlines++] = xstrndup(p, n);
		p = nl ? nl + 1 : p + n;
	}
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

/* Prints the page (to the terminal's printer, a spooler command or a file) or exports CSV. */
static void print_or_export(struct ui *ui, struct stats_view *v, bool csv)
{
	char path[256];
	snprintf(path, sizeof path, "统计_%s_%s.%s", v->since, v->until, csv ? "csv" : "txt");
	char *text = xasprintf(
	         "name = stats_print\ntitle = %s\n[layout]\n"
	         "┌──────────┬────────────────────────────────────────────────────┐\n"
	         "│%s│{dest                                              }│\n"
	         "├──────────┼────────────────────────────────────────────────────┤\n"
	         "│打印机队列│{command                                           }│\n"
	         "├──────────┼────────────────────────────────────────────────────┤\n"
	         "│文    件  │{file                                              }│\n"
	         "├──────────┼────────────────────────────────────────────────────┤\n"
	         "│编    码  │{encoding                                          }│\n"
	         "└──────────┴────────────────────────────────────────────────────┘\n"
	         "[fields]\ndest 打印到 choice list=print_dests required\ncommand 打印机队列 text\n"
	         "file 文件 text\nencoding 编码 choice list=encodings required\n",
	         csv ? "导出统计（CSV）" : "打印统计", csv ? "导出到    " : "打印到    ");
	struct fscreen fs;
	bool opened = fs_open(ui, &fs, NULL, text);
	free(text);
	if (!opened)
		return;
	char queue[128];
	struct xf_err qerr;
	if (print_queue(&ui->s, NULL, queue, sizeof queue, &qerr) != XF_OK)
		queue[0] = '\0';
	fs_set(&fs, "dest", "文件");
	fs_set(&fs, "command", queue); /* empty: the system's default printer */
	fs_set(&fs, "file", path);
	fs_set(&fs, "encoding", "GB18030");
	if (csv)
		fs_editable(&fs, "file encoding");
	snprintf(fs.hints, sizeof fs.hints, " F2 %s  空格/F3 选择  Tab/回车 下一项  F10 返回", csv ? "导出" : "打印");
	while (fs_run(ui, &fs) == FS_SAVE) {
		const char *dest = fields_str(&fs.values, "dest"), *enc = fields_str(&fs.values, "encoding");
		const char *file = fields_str(&fs.values, "file");
		struct xf_err err;
		int rc;
		if (csv) {
			struct xf_buf out;
			buf_init(&out);
			report_csv(&v->st, 0, &out); /* the axes on the screen, JR/T ones when shown */
			char *encoded = NULL;
			size_t len = 0;
			rc = text_convert(out.data, out.len, enc, &encoded, &len, NULL) == XF_OK
			         ? print_to_file(file, encoded, len, &err)
			         : xf_err_set(&err, XF_EINVAL, "统计中有 %s 无法表示的字：请改用 GB18030 或 UTF-8", enc);
			free(encoded);
			buf_free(&out);
		} else if (strcmp(dest, "终端打印机") == 0) {
			struct xf_print_opts opts = {"stats", enc, XF_PRINT_CALLER, NULL, slip_default_page(), NULL, XF_FORMAT_TEXT, NULL};
			struct xf_buf bytes;
			buf_init(&bytes);
			rc = report_print(&ui->s, &v->st, 0, &opts, &bytes, &err);
			if (rc == XF_OK && mcprint(bytes.data, (int)bytes.len) < 0)
				rc = xf_err_set(&err, XF_EIO, "这台终端没有连接打印机（不支持打印直通）：请改为打印机或文件");
			buf_free(&bytes);
		} else {
			bool to_file = strcmp(dest, "文件") == 0;
			struct xf_print_opts opts = {"stats", enc, to_file ? XF_PRINT_FILE : XF_PRINT_SPOOLER,
			                             to_file ? file : fields_str(&fs.values, "command"), slip_default_page(), NULL,
			                             XF_FORMAT_TEXT, NULL};
			rc = report_print(&ui->s, &v->st, 0, &opts, NULL, &err);
		}
		if (rc != XF_OK) {
			ui_message(ui, UI_ERROR, "%s", err.msg);
			continue;
		}
		ui_message(ui, UI_INFO, "统计已%s%s%s", csv ? "导出到" : "打印到", csv ? "" : dest,
		           csv || strcmp(dest, "文件") == 0 ? file : "");
		break;
	}
	fs_free(&fs);
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
		char title[96];
		snprintf(title, sizeof title, "统计 %s 至 %s", v.since, v.until);
		ui_set_screen(ui, title, " m月 q季 y年 ←→上/下期 d日期 j JR/T分类 p打印 e导出 ↑↓翻看 F10返回");
		erase();
		ui_frame(ui);
		int top = ui_content_top(), rows = ui_content_rows();
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
		} else if (k.kind == UI_CHAR && k.ch == 'j') {
			v.jrt = !v.jrt;
			load(ui, &v);
		} else if (k.kind == UI_CHAR && k.ch == 'd') {
			if (ask_dates(ui, &v)) {
				v.top = 0;
				load(ui, &v);
			}
		} else if (k.kind == UI_CHAR && (k.ch == 'p' || k.ch == 'e') && v.loaded) {
			print_or_export(ui, &v, k.ch == 'e');
		}
	}
	free_lines(&v);
	if (v.loaded)
		report_free(&v.st);
}

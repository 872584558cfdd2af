/* The statistics report as A4 PDF pages: tables of figures with bar charts drawn as filled
 * rectangles, laid out twice (once to count the pages, once to draw them with 第 n/m 页). */
#include "xinfang/pdf_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_private.h"

/* Page geometry, in points. */
static const double LEFT = 48.0;         /* left and right margin */
static const double TOP = 46.0;          /* above the first line */
static const double PAD = 4.0;           /* between a cell's edge and its text */
static const double GAP = 10.0;          /* more room after a column of figures */
static const double PAD_Y = 2.5;         /* above and below a row's text */
static const double ROW_MIN = 17.0;      /* the least height of a table row */
static const double SECTION_GAP = 12.0;  /* below a table */
static const double HEADING_GAP = 5.0;   /* between a section's heading and its table */
static const double RUNNING_HEIGHT = 22.0; /* the line atop a continued page */
static const double BAR_HEIGHT = 9.0;
static const double SWATCH_WIDTH = 16.0, SWATCH_HEIGHT = 9.0;
static const double HEADING_SIZE = 11.5;
static const double SMALL_SIZE = 8.0;    /* the rates' definitions */
static const double THIN = 0.4, HEAVY = 0.9;

/* What a column holds and how it is drawn. */
enum col_kind {
	COL_LEFT,  /* text from the left, wrapped */
	COL_RIGHT, /* figures against the right edge */
	COL_SMALL, /* text in the small font, wrapped */
	COL_BAR,   /* a bar as long as the row's share of the largest */
	COL_LEVEL, /* a warning level: a patterned mark and its name */
};

struct column {
	const char *head;
	double width; /* 0: what the others leave of the page's width */
	enum col_kind kind;
};

/* A table under a section heading; the heading and the column heads repeat on a new page. */
struct table {
	char title[160];
	struct column cols[6];
	int ncols;
};

/* One row: a text per column (the level's name for COL_LEVEL), a bar's length as a fraction. */
struct row {
	const char *text[6];
	double bar;  /* 0..1 of the bar column; < 0 none */
	bool strong; /* a total: bold, ruled above */
};

/* The report being laid out (drawing false: only measured, to count the pages). */
struct report {
	struct xf_pdf_doc doc;
	PangoFontDescription *heading, *small, *strong;
	bool drawing;
	int page, pages;
	double y;
	double width; /* between the margins */
	char *running; /* atop continued pages */
	char *footer;
};

/* The lowest a line of the page's content may reach. */
static double content_bottom(void)
{
	return XF_PDF_PAGE_HEIGHT - XF_PDF_MARGIN_BOTTOM - XF_PDF_FOOTER_HEIGHT - 4;
}

/* A layout of text in a font, wrapped at width (0: not wrapped), aligned right when asked. */
static PangoLayout *layout(struct report *r, const PangoFontDescription *font, const char *text, double width,
                           bool right)
{
	PangoLayout *l = pdf_layout(r->doc.pango, font, text, width);
	if (right)
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	return l;
}

/* Shows a layout in black at x, y when drawing (not when only measuring), frees it and
 * returns its height. */
static double show_layout(struct report *r, PangoLayout *l, double x, double y)
{
	double h = pdf_layout_height(l);
	if (r->drawing) {
		cairo_set_source_rgb(r->doc.cr, 0, 0, 0);
		cairo_move_to(r->doc.cr, x, y);
		pango_cairo_show_layout(r->doc.cr, l);
	}
	g_object_unref(l);
	return h;
}

/* Draws text with its top left corner at x, y (when drawing); returns its height. */
static double text_at(struct report *r, const PangoFontDescription *font, const char *text, double x, double y,
                      double width, bool right)
{
	return show_layout(r, layout(r, font, text, width, right), x, y);
}

/* Draws text centred across the page at y; returns its height. */
static double centred(struct report *r, const PangoFontDescription *font, const char *text, double y)
{
	PangoLayout *l = layout(r, font, text, r->width, false);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	return show_layout(r, l, LEFT, y);
}

/* A horizontal rule across the page's width (or from x for w) at y. */
static void rule(struct report *r, double x, double w, double y, double line, double grey)
{
	if (!r->drawing)
		return;
	cairo_set_source_rgb(r->doc.cr, grey, grey, grey);
	cairo_set_line_width(r->doc.cr, line);
	cairo_move_to(r->doc.cr, x, y);
	cairo_line_to(r->doc.cr, x + w, y);
	cairo_stroke(r->doc.cr);
}

/* Ends the page: its footer, then the page goes out. */
static void end_page(struct report *r)
{
	if (!r->drawing)
		return;
	pdf_draw_footer(&r->doc, LEFT, XF_PDF_PAGE_WIDTH - LEFT, r->footer, r->page, r->pages);
	cairo_show_page(r->doc.cr);
}

/* Starts the next page under the running line that names the report. */
static void new_page(struct report *r)
{
	end_page(r);
	r->page++;
	r->y = TOP;
	text_at(r, r->small, r->running, LEFT, r->y, r->width, false);
	rule(r, LEFT, r->width, r->y + RUNNING_HEIGHT - 8, THIN, 0.5);
	r->y += RUNNING_HEIGHT;
}

/* Fills a rectangle with an RGB colour given as 0xRRGGBB. */
static void fill_rect(struct report *r, double x, double y, double w, double h, unsigned rgb)
{
	if (!r->drawing || w <= 0 || h <= 0)
		return;
	cairo_set_source_rgb(r->doc.cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
	cairo_rectangle(r->doc.cr, x, y, w, h);
	cairo_fill(r->doc.cr);
}

/* How a warning level is marked: its colour, and hatching that tells the levels apart on a
 * monochrome printer (blue plain, yellow one way, red crossed; others dotted grey). */
struct level_look {
	unsigned rgb;
	bool rising, falling, dotted;
};

/* The look of a level by its name. */
static struct level_look level_look(const char *level)
{
	if (strstr(level, "红"))
		return (struct level_look){0xec6b6b, true, true, false};
	if (strstr(level, "黄"))
		return (struct level_look){0xf7d84a, true, false, false};
	if (strstr(level, "蓝"))
		return (struct level_look){0x9cc2f2, false, false, false};
	return (struct level_look){0xcccccc, false, false, true};
}

/* Draws a level's mark: a framed swatch in its colour with its hatching. */
static void swatch(struct report *r, const char *level, double x, double y)
{
	if (!r->drawing)
		return;
	struct level_look look = level_look(level);
	cairo_t *cr = r->doc.cr;
	fill_rect(r, x, y, SWATCH_WIDTH, SWATCH_HEIGHT, look.rgb);
	cairo_save(cr);
	cairo_rectangle(cr, x, y, SWATCH_WIDTH, SWATCH_HEIGHT);
	cairo_clip(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.6);
	for (double d = -SWATCH_HEIGHT; d < SWATCH_WIDTH + SWATCH_HEIGHT; d += 3.0) {
		if (look.rising) {
			cairo_move_to(cr, x + d, y + SWATCH_HEIGHT);
			cairo_line_to(cr, x + d + SWATCH_HEIGHT, y);
		}
		if (look.falling) {
			cairo_move_to(cr, x + d, y);
			cairo_line_to(cr, x + d + SWATCH_HEIGHT, y + SWATCH_HEIGHT);
		}
	}
	cairo_stroke(cr);
	if (look.dotted)
		for (double dx = 2; dx < SWATCH_WIDTH; dx += 4)
			for (double dy = 2; dy < SWATCH_HEIGHT; dy += 4)
				cairo_rectangle(cr, x + dx, y + dy, 1, 1);
	cairo_fill(cr);
	cairo_restore(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, x, y, SWATCH_WIDTH, SWATCH_HEIGHT);
	cairo_stroke(cr);
}

/* The width of column i, the last flexible one taking what the others leave. */
static double col_width(const struct report *r, const struct table *t, int i)
{
	if (t->cols[i].width > 0)
		return t->cols[i].width;
	double rest = r->width;
	for (int k = 0; k < t->ncols; k++)
		rest -= t->cols[k].width;
	return rest;
}

/* The room on the left of column i's content: wider after a column of figures, so a figure
 * set against its right edge does not run into the next column. */
static double lead(const struct table *t, int i)
{
	return i > 0 && t->cols[i - 1].kind == COL_RIGHT && t->cols[i].kind != COL_RIGHT ? GAP : PAD;
}

/* The font of a cell. */
static const PangoFontDescription *cell_font(struct report *r, const struct column *c, bool strong)
{
	if (c->kind == COL_SMALL)
		return r->small;
	return strong ? r->strong : r->doc.body;
}

/* The height a row needs: its tallest wrapped text and the padding. */
static double row_height(struct report *r, const struct table *t, const struct row *row)
{
	double h = ROW_MIN;
	for (int i = 0; i < t->ncols; i++) {
		const struct column *c = &t->cols[i];
		const char *text = row->text[i];
		if (c->kind == COL_BAR || text == NULL || *text == '\0')
			continue;
		double w = col_width(r, t, i) - lead(t, i) - PAD - (c->kind == COL_LEVEL ? SWATCH_WIDTH + 4 : 0);
		PangoLayout *l = layout(r, cell_font(r, c, row->strong), text, w, false);
		double need = pdf_layout_height(l) + 2 * PAD_Y;
		g_object_unref(l);
		if (need > h)
			h = need;
	}
	return h;
}

/* Draws a row at the current height and moves below it. */
static void draw_row(struct report *r, const struct table *t, const struct row *row, double h, bool head)
{
	double x = LEFT, y = r->y;
	if (head)
		fill_rect(r, LEFT, y, r->width, h, 0xe6e6e6);
	for (int i = 0; i < t->ncols; i++) {
		const struct column *c = &t->cols[i];
		double w = col_width(r, t, i);
		const char *text = row->text[i];
		double in = lead(t, i), room = w - in - PAD;
		if (head) {
			if (text && *text)
				text_at(r, r->strong, text, x + in, y + PAD_Y, room, c->kind == COL_RIGHT);
		} else if (c->kind == COL_BAR) {
			if (row->bar >= 0) {
				double len = row->bar * room;
				fill_rect(r, x + in, y + (h - BAR_HEIGHT) / 2, len > 0 && len < 1 ? 1 : len, BAR_HEIGHT,
				          XF_PDF_REPORT_BAR_RGB);
			}
		} else if (c->kind == COL_LEVEL) {
			if (text && *text) {
				swatch(r, text, x + in, y + PAD_Y + (r->doc.line - SWATCH_HEIGHT) / 2);
				char *named = xasprintf("%s预警", text);
				text_at(r, r->doc.body, named, x + in + SWATCH_WIDTH + 4, y + PAD_Y, room - SWATCH_WIDTH - 4, false);
				free(named);
			}
		} else if (text && *text) {
			text_at(r, cell_font(r, c, row->strong), text, x + in, y + PAD_Y, room, c->kind == COL_RIGHT);
		}
		x += w;
	}
	if (head || row->strong)
		rule(r, LEFT, r->width, y, HEAVY, 0);
	rule(r, LEFT, r->width, y + h, head ? HEAVY : THIN, head ? 0 : 0.55);
	r->y = y + h;
}

/* Draws a table's heading (with （续） on a continued page) and its column heads. */
static void table_head(struct report *r, const struct table *t, bool continued)
{
	char *title = xasprintf("%s%s", t->title, continued ? "（续）" : "");
	r->y += text_at(r, r->heading, title, LEFT, r->y, r->width, false) + HEADING_GAP;
	free(title);
	struct row head;
	memset(&head, 0, sizeof head);
	for (int i = 0; i < t->ncols; i++)
		head.text[i] = t->cols[i].head;
	draw_row(r, t, &head, row_height(r, t, &head), true);
}

/* The height of a table's heading and column heads. */
static double table_head_height(struct report *r, const struct table *t)
{
	PangoLayout *l = layout(r, r->heading, t->title, r->width, false);
	double h = pdf_layout_height(l) + HEADING_GAP;
	g_object_unref(l);
	struct row head;
	memset(&head, 0, sizeof head);
	for (int i = 0; i < t->ncols; i++)
		head.text[i] = t->cols[i].head;
	return h + row_height(r, t, &head);
}

/* Draws a table: the heading goes to the next page with its first row when they do not fit
 * together; a row that does not fit goes on the next page under the repeated heading. */
static void draw_table(struct report *r, const struct table *t, const struct row *rows, size_t n)
{
	double first = n > 0 ? row_height(r, t, &rows[0]) : 0;
	if (r->y + table_head_height(r, t) + first > content_bottom())
		new_page(r);
	table_head(r, t, false);
	for (size_t i = 0; i < n; i++) {
		double h = row_height(r, t, &rows[i]);
		if (r->y + h > content_bottom()) {
			new_page(r);
			table_head(r, t, true);
		}
		draw_row(r, t, &rows[i], h, false);
	}
	r->y += SECTION_GAP;
}

/* The section's number in Chinese: 一 … 二十. */
static const char *section_number(int n)
{
	static const char *const numbers[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
	                                      "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"};
	return n >= 1 && n <= 20 ? numbers[n - 1] : "";
}

/* The figures of a row written out, kept while the table is drawn. */
struct cells {
	char v[6][48];
};

/* The title block: the office, the period, the cases received. */
static void draw_title(struct report *r, const struct xf_stats *st, const struct xf_pdf_report_meta *meta)
{
	char *title = xasprintf("信访统计报表%s", meta->training ? "【演示/培训】" : "");
	r->y += centred(r, r->doc.bold, title, r->y) + 4;
	free(title);
	char *period = xasprintf("%s%s%s　　统计期间：%s 至 %s（按收到日期）",
	                         meta->office && *meta->office ? meta->office : "信访办", *st->scope ? "　分支机构：" : "",
	                         st->scope, st->since, st->until);
	r->y += centred(r, r->doc.body, period, r->y) + 2;
	free(period);
	char *received = xasprintf("期间内收到事项 %ld 件　　统计日期：%s", st->received, st->today);
	r->y += centred(r, r->doc.body, received, r->y) + 6;
	free(received);
	rule(r, LEFT, r->width, r->y, HEAVY, 0);
	r->y += SECTION_GAP;
}

/* The rates with numerator, denominator and definition, and the average working days. */
static void draw_rates(struct report *r, const struct xf_stats *st, int number)
{
	struct table t = {.ncols = 5,
	                  .cols = {{"指标", 96, COL_LEFT}, {"比率", 54, COL_RIGHT}, {"分子", 50, COL_RIGHT},
	                           {"分母", 50, COL_RIGHT}, {"口径", 0, COL_SMALL}}};
	snprintf(t.title, sizeof t.title, "%s、办理情况（比率 = 分子 ÷ 分母）", section_number(number));
	struct row rows[XF_RATE_COUNT + 1];
	struct cells cells[XF_RATE_COUNT + 1];
	memset(rows, 0, sizeof rows);
	for (int k = 0; k < XF_RATE_COUNT; k++) {
		report_rate_text(&st->rates[k], cells[k].v[1]);
		snprintf(cells[k].v[2], sizeof cells[k].v[2], "%ld", st->rates[k].num);
		snprintf(cells[k].v[3], sizeof cells[k].v[3], "%ld", st->rates[k].den);
		rows[k] = (struct row){{report_rate_label((enum xf_rate_kind)k), cells[k].v[1], cells[k].v[2], cells[k].v[3],
		                        report_rate_definition((enum xf_rate_kind)k)},
		                       -1, false};
	}
	struct cells *a = &cells[XF_RATE_COUNT];
	if (st->handling_cases > 0)
		snprintf(a->v[1], sizeof a->v[1], "%.1f 日", (double)st->handling_workdays / (double)st->handling_cases);
	else
		snprintf(a->v[1], sizeof a->v[1], "—");
	snprintf(a->v[2], sizeof a->v[2], "%ld 日", st->handling_workdays);
	snprintf(a->v[3], sizeof a->v[3], "%ld 件", st->handling_cases);
	rows[XF_RATE_COUNT] = (struct row){
		{"平均办理时间", a->v[1], a->v[2], a->v[3],
		 st->handling_estimated ? "已报结事项从收到到报结的工作日数之和 ÷ 已报结事项（收到当天不计，按办公室日历；"
		                          "部分日期不在日历内，只除去周末估算）"
		                        : "已报结事项从收到到报结的工作日数之和 ÷ 已报结事项（收到当天不计，按办公室日历）"},
		-1, false};
	draw_table(r, &t, rows, XF_RATE_COUNT + 1);
}

/* A table of counts with a bar each, scaled to the largest; a total row when total >= 0. */
static void draw_counts(struct report *r, const char *title, const char *item, const struct xf_stat_counts *c,
                        long total, bool shares)
{
	struct table t = {.ncols = shares ? 4 : 3};
	snprintf(t.title, sizeof t.title, "%s", title);
	t.cols[0] = (struct column){item, 128, COL_LEFT};
	t.cols[1] = (struct column){"件数", 48, COL_RIGHT};
	if (shares)
		t.cols[2] = (struct column){"占比", 52, COL_RIGHT};
	t.cols[t.ncols - 1] = (struct column){"图示", 0, COL_BAR};
	size_t n = c->n + (total >= 0 ? 1 : 0);
	struct row *rows = xcalloc(n ? n : 1, sizeof *rows);
	struct cells *cells = xcalloc(n ? n : 1, sizeof *cells);
	long max = 0;
	for (size_t i = 0; i < c->n; i++)
		max = c->v[i].n > max ? c->v[i].n : max;
	for (size_t i = 0; i < n; i++) {
		bool sum = i == c->n;
		long v = sum ? total : c->v[i].n;
		snprintf(cells[i].v[1], sizeof cells[i].v[1], "%ld", v);
		if (shares && total > 0)
			snprintf(cells[i].v[2], sizeof cells[i].v[2], "%.1f%%", 100.0 * (double)v / (double)total);
		rows[i].text[0] = sum ? "合计" : c->v[i].label;
		rows[i].text[1] = cells[i].v[1];
		rows[i].text[2] = shares ? cells[i].v[2] : NULL;
		rows[i].bar = sum || max == 0 ? -1 : (double)v / (double)max;
		rows[i].strong = sum;
	}
	if (c->n == 0) {
		struct row none = {{"（无）"}, -1, false};
		draw_table(r, &t, &none, 1);
	} else {
		draw_table(r, &t, rows, n);
	}
	free(rows);
	free(cells);
}

/* Writes a level's bounds as "≥10% <20%". */
static void level_bounds(const struct xf_warn_level *lv, char *out, size_t n)
{
	char hi[32] = "";
	if (lv->to >= 0)
		snprintf(hi, sizeof hi, " %s%g%%", lv->to_inclusive ? "≤" : "<", lv->to);
	snprintf(out, n, "%s%g%%%s", lv->from_strict ? ">" : "≥", lv->from, hi);
}

/* The legend of the warning marks under the growth table. */
static void draw_legend(struct report *r, const struct xf_pdf_report_meta *meta)
{
	if (meta->nlevels == 0)
		return;
	if (r->y + ROW_MIN > content_bottom())
		new_page(r);
	double x = LEFT + PAD;
	PangoLayout *l = layout(r, r->small, "预警等级（环比增长）：", 0, false);
	double lw = pdf_layout_width(l);
	g_object_unref(l);
	text_at(r, r->small, "预警等级（环比增长）：", x, r->y, 0, false);
	x += lw;
	for (size_t i = 0; i < meta->nlevels; i++) {
		char bounds[64], *label;
		level_bounds(&meta->levels[i], bounds, sizeof bounds);
		label = xasprintf("%s %s", meta->levels[i].name, bounds);
		swatch(r, meta->levels[i].name, x, r->y + 1);
		x += SWATCH_WIDTH + 3;
		l = layout(r, r->small, label, 0, false);
		double w = pdf_layout_width(l);
		g_object_unref(l);
		text_at(r, r->small, label, x, r->y, 0, false);
		x += w + 12;
		free(label);
	}
	r->y += ROW_MIN + SECTION_GAP / 2;
}

/* Week-over-week growth per category with its warning level. */
static void draw_growth(struct report *r, const struct xf_stats *st, const struct xf_pdf_report_meta *meta,
                        int number)
{
	if (*st->growth_none) { /* no weeks to compare: the heading and the reason, as on the page */
		char *title = xasprintf("%s、环比增长与预警", section_number(number));
		if (r->y + 3 * ROW_MIN > content_bottom())
			new_page(r);
		r->y += text_at(r, r->heading, title, LEFT, r->y, r->width, false) + HEADING_GAP;
		char *why = xasprintf("不计：%s", st->growth_none);
		r->y += text_at(r, r->doc.body, why, LEFT + PAD, r->y, r->width - PAD, false) + SECTION_GAP;
		free(why);
		free(title);
		return;
	}
	struct table t = {.ncols = 5,
	                  .cols = {{"类别", 128, COL_LEFT}, {"上周", 48, COL_RIGHT}, {"本周", 48, COL_RIGHT},
	                           {"环比", 64, COL_RIGHT}, {"预警", 0, COL_LEVEL}}};
	snprintf(t.title, sizeof t.title, "%s、环比增长与预警（本周 %s～%s，上周 %s～%s）", section_number(number),
	         st->week_from, st->week_to, st->prev_from, st->prev_to);
	size_t n = st->ngrowth;
	struct row *rows = xcalloc(n ? n : 1, sizeof *rows);
	struct cells *cells = xcalloc(n ? n : 1, sizeof *cells);
	for (size_t i = 0; i < n; i++) {
		const struct xf_growth *g = &st->growth[i];
		snprintf(cells[i].v[1], sizeof cells[i].v[1], "%ld", g->last_week);
		snprintf(cells[i].v[2], sizeof cells[i].v[2], "%ld", g->this_week);
		if (g->last_week > 0)
			snprintf(cells[i].v[3], sizeof cells[i].v[3], "%+.1f%%", g->pct);
		else
			snprintf(cells[i].v[3], sizeof cells[i].v[3], "—");
		rows[i] = (struct row){{g->category, cells[i].v[1], cells[i].v[2], cells[i].v[3], g->level}, -1, false};
	}
	if (n == 0) {
		struct row none = {{"（两周内无事项）"}, -1, false};
		draw_table(r, &t, &none, 1);
	} else {
		draw_table(r, &t, rows, n);
	}
	r->y -= SECTION_GAP / 2;
	draw_legend(r, meta);
	free(rows);
	free(cells);
}

/* Lays the whole report out once: measured only, or drawn. */
static void lay_out(struct report *r, const struct xf_stats *st, unsigned axes_mask,
                    const struct xf_pdf_report_meta *meta)
{
	r->page = 0;
	r->y = TOP;
	draw_title(r, st, meta);
	int number = 1;
	draw_rates(r, st, number++);
	for (int ax = 0; ax < XF_AXIS_COUNT; ax++) {
		if (!report_axis_shown(st, axes_mask, ax))
			continue;
		char title[160], item[64];
		snprintf(title, sizeof title, "%s、按%s", section_number(number++), report_axis_label((enum xf_stats_axis)ax));
		snprintf(item, sizeof item, "%s", report_axis_label((enum xf_stats_axis)ax));
		draw_counts(r, title, item, &st->axes[ax], st->received, true);
	}
	draw_growth(r, st, meta, number++);
	long overdue = 0;
	for (size_t i = 0; i < st->overdue_department.n; i++)
		overdue += st->overdue_department.v[i].n;
	char title[160];
	snprintf(title, sizeof title, "%s、超期事项（按承办部门，共 %ld 件）", section_number(number++), overdue);
	draw_counts(r, title, "承办部门", &st->overdue_department, -1, false);
	snprintf(title, sizeof title, "%s、超期事项（按经办人）", section_number(number++));
	draw_counts(r, title, "经办人", &st->overdue_handler, -1, false);
	end_page(r);
	r->pages = r->page + 1;
}

/* Renders the statistics as a PDF report. */
int pdf_report_render(const struct xf_stats *st, unsigned axes_mask, const struct xf_pdf_report_meta *meta,
                      struct xf_buf *out, struct xf_err *err)
{
	int loaded = pdf_libs_load(err);
	if (loaded != XF_OK)
		return loaded;
	struct report r;
	memset(&r, 0, sizeof r);
	const char *office = meta->office && *meta->office ? meta->office : "信访办";
	char *doc_title = xasprintf("%s信访统计 %s 至 %s", office, st->since, st->until);
	pdf_doc_open(&r.doc, doc_title, out);
	free(doc_title);
	r.width = XF_PDF_PAGE_WIDTH - 2 * LEFT;
	r.heading = pango_font_description_copy(r.doc.body);
	pango_font_description_set_weight(r.heading, PANGO_WEIGHT_BOLD);
	pango_font_description_set_size(r.heading, (int)(HEADING_SIZE * PANGO_SCALE));
	r.strong = pango_font_description_copy(r.doc.body);
	pango_font_description_set_weight(r.strong, PANGO_WEIGHT_BOLD);
	r.small = pango_font_description_copy(r.doc.body);
	pango_font_description_set_size(r.small, (int)(SMALL_SIZE * PANGO_SCALE));
	r.running = xasprintf("%s　信访统计报表　%s 至 %s（续）%s", office, st->since, st->until,
	                      meta->training ? "　【演示/培训】" : "");
	r.footer = xasprintf("信访统计 %s 至 %s　打印时间：%s　打印人：%s%s", st->since, st->until,
	                     meta->printed_at ? meta->printed_at : "", meta->printed_by ? meta->printed_by : "",
	                     meta->training ? "　【演示/培训】" : "");
	r.drawing = false;
	lay_out(&r, st, axes_mask, meta);
	r.drawing = true;
	lay_out(&r, st, axes_mask, meta);
	free(r.running);
	free(r.footer);
	pango_font_description_free(r.heading);
	pango_font_description_free(r.strong);
	pango_font_description_free(r.small);
	return pdf_doc_close(&r.doc, err);
}

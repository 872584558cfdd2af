/* 查找: any words of a case, a name fragment, the last digits of a phone or ID number, or a
 * case number, with filters; results newest first, a page at a time, the matched words
 * marked; Enter opens the case. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "form_screen.h"
#include "list.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/renumbered.h"
#include "xinfang/search.h"
#include "xinfang/text.h"

/* The search form: words and the filters, as a small paper-like form. */
static const char search_form[] =
	"name = search\ntitle = 查找\n[layout]\n"
	"┌──────────┬────────────────────────────────────────────────────┐\n"
	"│查找内容  │{words                                             }│\n"
	"├──────────┼────────────────────┬──────────┬────────────────────┤\n"
	"│收件日期自│{since             }│至        │{until             }│\n"
	"├──────────┼────────────────────┼──────────┼────────────────────┤\n"
	"│状    态  │{state             }│承办部门  │{dept              }│\n"
	"├──────────┼────────────────────┼──────────┼────────────────────┤\n"
	"│类    别  │{category          }│来源渠道  │{channel           }│\n"
	"├──────────┼────────────────────┼──────────┴────────────────────┤\n"
	"│重要程度  │{importance        }│                               │\n"
	"└──────────┴────────────────────┴───────────────────────────────┘\n"
	"\n"
	"  词语之间用空格分开，每个都要出现；可写一两个字（卡、盗刷）、姓名的一部分、\n"
	"  电话或证件号码的后四位以上，或一个编号（2026-0001）直接打开。条件可空着。\n"
	"[fields]\n"
	"words      查找内容  text    max=100\n"
	"since      起始日期  date\n"
	"until      截止日期  date\n"
	"state      状态      choice  list=states\n"
	"dept       承办部门  choice  list=departments\n"
	"category   类别      choice  list=categories\n"
	"channel    来源渠道  choice  list=channels\n"
	"importance 重要程度  choice  list=importance\n";

/* Results of one search, a page at a time. */
struct results {
	struct xf_search q;
	struct xf_rows rows;
	bool more;
	long total;   /* what the search finds in all, XF_SEARCH_COUNT_CAP + 1 for more than that,
	               * -1 when it could not be counted */
	bool counted; /* total holds for the present search: page turns do not count again */
	bool exact;   /* total was read off the last page: past the cap too */
	int sel, top;
};

/* Loads the current page; false when the core refused the search (the page left empty, the
 * reason in err). */
static bool fetch_page(struct ui *ui, struct results *r, struct xf_err *err)
{
	rows_free(&r->rows);
	bool ok = search_cases(&ui->s, &r->q, &r->rows, &r->more, err) == XF_OK;
	if (!ok)
		r->more = false;
	/* The last page says the total itself; before it, the core counts, once a search (a
	 * handler's count reads every candidate through the mask). A failed count leaves the
	 * page as found, without its total. */
	if (ok && (!r->more || !r->counted)) {
		struct xf_err count_err;
		r->counted = search_total(&ui->s, &r->q, r->rows.n, r->more, &r->total, &r->exact, &count_err) == XF_OK;
		if (!r->counted) {
			r->total = -1;
			ui_message(ui, UI_ERROR, "%s", count_err.msg);
		}
	}
	if (r->sel >= (int)r->rows.n)
		r->sel = r->rows.n ? (int)r->rows.n - 1 : 0;
	return ok;
}

/* Loads the current page; a failure is shown and leaves the page empty. */
static void load_page(struct ui *ui, struct results *r)
{
	struct xf_err err;
	if (!fetch_page(ui, r, &err))
		ui_message(ui, UI_ERROR, "%s", err.msg);
}

/* Draws a snippet in `width` columns: the text between 【 and 】 in bold (brackets kept, so
 * the marks show on a monochrome terminal too). */
static void draw_snippet(int y, int x, int width, const char *snip, int attr)
{
	int used = 0;
	bool marked = false;
	const char *p = snip;
	while (*p && used < width) {
		const char *open = strstr(p, "【"), *close = strstr(p, "】");
		const char *next = marked ? close : open;
		size_t n = next ? (size_t)(next - p) : strlen(p);
		bool is_mark = next == p;
		if (is_mark)
			n = strlen(marked ? "】" : "【");
		char *seg = xstrndup(p, n);
		int w = ui_width(seg);
		if (w > width - used)
			w = width - used;
		ui_put(y, x + used, w, seg, attr | (marked || is_mark ? A_BOLD : 0));
		used += w;
		free(seg);
		if (is_mark)
			marked = !marked;
		p += n;
	}
	if (used < width)
		ui_put(y, x + used, width - used, "", attr);
}

/* Where the columns of a page of results go: the number as wide as the widest number on the
 * page (never cut), the name at most NAME_COLS wide (longer ones end in …), a gap between. */
struct result_columns {
	int number, received, state, name, snippet; /* the x of each */
	int number_w, state_w, name_w;
};
enum { RESULT_GAP = 2, NAME_COLS = 10, STATE_COLS = 10 };

/* Lays the columns out for the rows on the page. */
static void lay_out_columns(const struct xf_rows *rows, struct result_columns *c)
{
	c->number_w = list_widest(rows, "number", ui_width("编号"));
	c->state_w = list_widest(rows, "state", ui_width("状态"));
	if (c->state_w > STATE_COLS)
		c->state_w = STATE_COLS;
	c->name_w = list_widest(rows, "name", ui_width("信访人"));
	if (c->name_w > NAME_COLS)
		c->name_w = NAME_COLS;
	c->number = 1;
	c->received = c->number + c->number_w + RESULT_GAP;
	c->state = c->received + ui_width("2026-01-01") + RESULT_GAP;
	c->name = c->state + c->state_w + RESULT_GAP;
	c->snippet = c->name + c->name_w + RESULT_GAP;
}

/* Draws the page of results: the headings over their columns, the page on the last line. */
static void draw_results(struct ui *ui, struct results *r)
{
	int y = ui_content_top(), rows = ui_content_rows() - 2;
	struct result_columns c;
	lay_out_columns(&r->rows, &c);
	ui_put(y, 0, COLS, "", A_BOLD);
	ui_put(y, c.number, c.number_w, "编号", A_BOLD);
	ui_put(y, c.received, c.state - c.received, "收件日期", A_BOLD);
	ui_put(y, c.state, c.name - c.state, "状态", A_BOLD);
	ui_put(y, c.name, c.snippet - c.name, "信访人", A_BOLD);
	ui_put(y, c.snippet, COLS - c.snippet, "内容", A_BOLD);
	if (r->rows.n == 0)
		ui_put(y + 1, 0, COLS, "  没有找到符合条件的事项：少写几个词、换个说法，或放宽条件再试", A_NORMAL);
	if (r->sel < r->top)
		r->top = r->sel;
	if (r->sel >= r->top + rows)
		r->top = r->sel - rows + 1;
	for (int i = 0; i < rows && r->top + i < (int)r->rows.n; i++) {
		const struct xf_fields *f = &r->rows.v[r->top + i];
		int attr = r->top + i == r->sel ? ui_attr_current(ui) : (int)A_NORMAL;
		int row = y + 1 + i;
		ui_put(row, 0, c.snippet, "", attr);
		ui_put(row, c.number, c.number_w, fields_str(f, "number"), attr);
		ui_put(row, c.received, ui_width("2026-01-01"), fields_str(f, "received"), attr);
		ui_put_clipped(row, c.state, c.state_w, fields_str(f, "state"), attr);
		ui_put_clipped(row, c.name, c.name_w, fields_str(f, "name"), attr);
		if (COLS > c.snippet)
			draw_snippet(row, c.snippet, COLS - c.snippet, fields_str(f, "snippet"), attr);
	}
	char page[160], total[48] = "";
	if (r->total > XF_SEARCH_COUNT_CAP && !r->exact)
		snprintf(total, sizeof total, " 共 %d 件以上，", XF_SEARCH_COUNT_CAP);
	else if (r->total >= 0)
		snprintf(total, sizeof total, " 共 %ld 件，", r->total);
	if (r->rows.n == 0)
		snprintf(page, sizeof page, " 第 %d 页：没有事项", r->q.page);
	else
		snprintf(page, sizeof page, "%s第 %d 页：第 %d 至 %d 件%s", *total ? total : " ", r->q.page,
		         (r->q.page - 1) * r->q.per_page + 1,
		         (r->q.page - 1) * r->q.per_page + (int)r->rows.n,
		         r->more ? "；还有下一页（PgDn 或 n）" : r->q.page > 1 ? "；这是最后一页" : "；全部在这一页");
	ui_put(y + ui_content_rows() - 1, 0, COLS, page, A_BOLD);
}

/* Shows the results, their first page loaded: ↑↓ choose, PgDn/PgUp (or n/p) page, Enter
 * opens, F10 back. */
static void show_results(struct ui *ui, struct results *r)
{
	for (;;) {
		ui_set_screen(ui, "查找结果", " ↑↓ 选择  回车 查看  PgDn/n 下一页  PgUp/p 上一页  F10 返回");
		erase();
		ui_frame(ui);
		draw_results(ui, r);
		move(LINES - 1, COLS - 1);
		refresh();
		struct ui_key k = ui_getkey(ui);
		if (k.kind == UI_QUIT || ui_is_back(k))
			return;
		if (k.kind == UI_TICK) {
			if (ui->changed) {
				r->counted = false; /* another desk changed cases: count again */
				load_page(ui, r);
				ui->changed = false;
			}
			continue;
		}
		bool down = k.kind == UI_FUNC && k.ch == KEY_DOWN, up = k.kind == UI_FUNC && k.ch == KEY_UP;
		bool next = (k.kind == UI_FUNC && k.ch == KEY_NPAGE) || (k.kind == UI_CHAR && k.ch == 'n');
		bool prev = (k.kind == UI_FUNC && k.ch == KEY_PPAGE) || (k.kind == UI_CHAR && k.ch == 'p');
		bool enter = (k.kind == UI_CHAR && k.ch == '\r') || (k.kind == UI_FUNC && k.ch == KEY_ENTER);
		if (down && r->sel + 1 < (int)r->rows.n)
			r->sel++;
		else if (up && r->sel > 0)
			r->sel--;
		else if (next && r->more) {
			r->q.page++;
			r->sel = r->top = 0;
			load_page(ui, r);
		} else if (prev && r->q.page > 1) {
			r->q.page--;
			r->sel = r->top = 0;
			load_page(ui, r);
		} else if (enter && r->sel < (int)r->rows.n) {
			int64_t id = atoll(fields_str(&r->rows.v[r->sel], "id"));
			screen_case(ui, id);
			r->counted = false; /* the case may have moved out of the search */
			load_page(ui, r);
		}
	}
}

/* True when the words are one case number (2026-0001, 2026年第0001号, BJ01-2026-0001). */
static bool is_number(const char *words)
{
	int y, n;
	char code[XF_BRANCH_CODE_MAX + 1]; /* a branch's number too: BJ01-2026-0001 */
	return words && strchr(words, ' ') == NULL && case_parse_branch_number(words, code, &y, &n, NULL) == XF_OK;
}

/* The search screen: the form, then its results. */
void screen_search(struct ui *ui)
{
	struct fscreen fs;
	if (!fs_open(ui, &fs, NULL, search_form))
		return;
	snprintf(fs.hints, sizeof fs.hints, " 回车/F2 查找  F3 选择  Ctrl-U 清空  Tab 下一项  F10 返回");
	fs.enter_submits = true; /* nothing is required: Enter in any field runs the search */
	fs.leaves_freely = true; /* a search writes nothing */
	for (;;) {
		enum fs_result res = fs_run(ui, &fs);
		if (res != FS_SAVE)
			break;
		struct xf_fields v;
		fs_values(&fs, &v);
		const char *words = fields_get(&v, "words");
		if (is_number(words)) {
			int64_t id;
			struct xf_err err;
			char said[128];
			if (case_lookup(&ui->s, words, &id, said, sizeof said, &err) == XF_OK) {
				if (*said) /* an earlier number of a case moved between branches */
					ui_message(ui, UI_INFO, "%s", said);
				screen_case(ui, id);
			} else
				ui_message(ui, UI_ERROR, "%s", err.msg);
			fields_free(&v);
			continue;
		}
		struct results r;
		memset(&r, 0, sizeof r);
		r.q.words = words;
		r.q.since = fields_get(&v, "since");
		r.q.until = fields_get(&v, "until");
		r.q.state = fields_get(&v, "state");
		r.q.department = fields_get(&v, "dept");
		r.q.category = fields_get(&v, "category");
		r.q.channel = fields_get(&v, "channel");
		r.q.importance = fields_get(&v, "importance");
		r.q.page = 1;
		r.q.per_page = ui_content_rows() - 2 > 5 ? ui_content_rows() - 2 : 5; /* a page is a screen */
		struct xf_err err;
		if (fetch_page(ui, &r, &err)) {
			show_results(ui, &r);
		} else {
			/* A search the core refuses (dates the wrong way round) stays on the form. */
			ui_message_about(ui, UI_ERROR, fs_focus_message(&fs, err.msg), "%s", err.msg);
		}
		rows_free(&r.rows);
		fields_free(&v);
	}
	fs_free(&fs);
}

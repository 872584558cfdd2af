/* The case view: every form of the case, its limits and its history; the moves open to this
 * operator in this state; printing; linked cases. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/audit.h"
#include "xinfang/casefile.h"
#include "xinfang/field.h"
#include "xinfang/text.h"
#include "xinfang/calendar.h"
#include "xinfang/clock.h"
#include "xinfang/print.h"
#include "xinfang/slip.h"

/* The key of each move on this screen. */
static const struct {
	enum xf_move move;
	wint_t key;
	const char *hint; /* short, so that every open move fits on the hint line */
} move_keys[] = {
	{XF_MV_TRANSFER, 't', "批转"}, {XF_MV_OUTCOME, 'o', "报结"},  {XF_MV_REPLY, 'y', "答复"},   {XF_MV_CLOSE, 'c', "结案"},
	{XF_MV_REJECT, 'r', "不受理"}, {XF_MV_SPOT, 's', "当场答复"}, {XF_MV_RETURN, 'b', "退回"},  {XF_MV_WITHDRAW, 'w', "撤诉"},
	{XF_MV_INSTRUCT, 'i', "批示"}, {XF_MV_EXTEND, 'x', "延期"},   {XF_MV_DECIDE, 'd', "审批"},  {XF_MV_URGE, 'u', "催办"},
	{XF_MV_MATERIAL, 'm', "材料"}, {XF_MV_LINK, 'l', "关联"},
};

/* Lines of text the case file shows, each with its attributes. */
struct lines {
	char **v;
	int *attr;
	size_t n;
	int width;            /* columns the text may take */
	struct xf_buf cur;    /* the line being filled with items */
	int used;             /* its columns */
	int indent;           /* columns every line of the current block starts with */
};

/* Appends a finished line. */
static void push(struct lines *l, const char *text, int attr)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->attr = xrealloc(l->attr, (l->n + 1) * sizeof *l->attr);
	l->v[l->n] = xstrdup(text);
	l->attr[l->n++] = attr;
}

/* Ends the line being filled with items. */
static void flush(struct lines *l)
{
	if (l->used > l->indent)
		push(l, l->cur.data, A_NORMAL);
	l->cur.len = 0;
	l->cur.data[0] = '\0';
	for (int i = 0; i < l->indent; i++)
		buf_puts(&l->cur, " ");
	l->used = l->indent;
}

/* Starts a block whose lines are indented. */
static void block(struct lines *l, int indent)
{
	flush(l);
	l->indent = indent;
	l->cur.len = 0;
	l->cur.data[0] = '\0';
	l->used = 0;
	flush(l);
}

/* A heading line of its own. */
static void heading(struct lines *l, const char *text, int attr)
{
	flush(l);
	push(l, text, attr);
}

/* Wraps text at the block's indent (identifiers whole, 避头尾). */
static void wrapped(struct lines *l, const char *text, int extra_indent)
{
	char **w;
	int indent = l->indent + extra_indent;
	size_t n = text_wrap(text, l->width - indent, tui_cp_width_ctx, NULL, &w);
	for (size_t i = 0; i < n; i++) {
		char *line = xasprintf("%*s%s", indent, "", w[i]);
		push(l, line, A_NORMAL);
		free(line);
	}
	text_lines_free(w, n);
}

/* One item "标签：值": short ones flow side by side and never break; long text gets its own
 * lines, wrapped. */
static void item(struct lines *l, const char *label, const char *value)
{
	if (str_empty(value))
		return;
	char *unit = xasprintf("%s：%s", label, value);
	int w = ui_width(unit);
	if (strchr(value, '\n') == NULL && w <= l->width - l->indent) {
		if (l->used > l->indent && l->used + 3 + w > l->width)
			flush(l);
		if (l->used > l->indent) {
			buf_puts(&l->cur, "   ");
			l->used += 3;
		}
		buf_puts(&l->cur, unit);
		l->used += w;
	} else {
		flush(l);
		char *head = xasprintf("%*s%s：", l->indent, "", label);
		push(l, head, A_BOLD);
		free(head);
		wrapped(l, value, 4);
	}
	free(unit);
}

/* The registration form's part of the case file. */
static void build_form(const struct xf_fields *v, struct lines *l)
{
	static const char *const keys[] = {"received", "channel", "category", "importance", "name", "gender", "age",
	                                   "id_type", "id_number", "phone", "people", "anonymous", "confidential", "subject",
	                                   "accused", "amount", "materials", "receiver", "first_asked", "address", "work_unit"};
	char received[40];
	snprintf(received, sizeof received, "%s%s%s", fields_str(v, "received"), *fields_str(v, "received_time") ? " " : "",
	         fields_str(v, "received_time"));
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct xf_fielddef *fd = field_def(keys[i]);
		const char *val = strcmp(keys[i], "received") == 0 ? received : fields_str(v, keys[i]);
		if (strcmp(keys[i], "materials") == 0 && strcmp(val, "0") == 0)
			continue;
		item(l, fd ? fd->label : keys[i], val);
	}
	flush(l);
	item(l, "基本事实和请求", fields_str(v, "summary"));
	flush(l);
	item(l, "当场答复", fields_str(v, "spot_answer"));
	flush(l);
	static const char *const jrt[] = {"jrt_channel", "jrt_type", "jrt_cause"};
	for (size_t i = 0; i < sizeof jrt / sizeof jrt[0]; i++)
		item(l, field_def(jrt[i])->label, fields_str(v, jrt[i]));
	flush(l);
	item(l, "批转时限", fields_str(v, "limit_transfer"));
	item(l, "周限", fields_str(v, "limit_handle"));
	item(l, "月限", fields_str(v, "limit_reply"));
	if (strcmp(fields_str(v, "due_estimated"), "是") == 0)
		item(l, "说明", "节假日日历缺年份，时限暂按周末推算");
	flush(l);
}

/* Builds the case file's lines from the core for the screen's width. */
static void build(struct ui *ui, int64_t id, const struct xf_fields *v, struct lines *l, struct xf_fields *linked)
{
	memset(l, 0, sizeof *l);
	buf_init(&l->cur);
	l->width = COLS - 2;
	const char *closure = fields_str(v, "closure");
	char head[256];
	snprintf(head, sizeof head, "卷宗  %s   %s%s%s%s   %s", fields_str(v, "number"), fields_str(v, "state"),
	         *closure ? "（" : "", closure, *closure ? "）" : "", fields_str(v, "importance"));
	heading(l, head, A_BOLD);
	heading(l, "──── 信访登记表 ────", A_BOLD);
	block(l, 2);
	build_form(v, l);
	block(l, 0);
	struct xf_rows recs;
	struct xf_err err;
	if (casefile_records(&ui->s, id, &recs, &err) == XF_OK) {
		heading(l, recs.n ? "──── 办理记录 ────" : "──── 办理记录：尚无 ────", A_BOLD);
		for (size_t i = 0; i < recs.n; i++) {
			const struct xf_fields *r = &recs.v[i];
			char line[256];
			snprintf(line, sizeof line, "%s  %s  %s", fields_str(r, "#title"), fields_str(r, "#at"),
			         fields_str(r, "#who"));
			heading(l, line, A_BOLD);
			block(l, 2);
			for (size_t j = 0; j < r->n; j++)
				if (r->v[j].key[0] != '#')
					item(l, r->v[j].key, r->v[j].val);
			if (*fields_str(r, "#number"))
				fields_set(linked, fields_str(r, "#number"), fields_str(r, "#number"));
			block(l, 0);
		}
		rows_free(&recs);
	} else {
		heading(l, err.msg, A_NORMAL);
	}
	struct xf_rows hist;
	if (casefile_history(&ui->s, id, &hist, &err) == XF_OK) {
		heading(l, "──── 办理经过（谁在何时做了什么，前后的值）────", A_BOLD);
		for (size_t i = 0; i < hist.n; i++) {
			const struct xf_fields *h = &hist.v[i];
			char line[256];
			snprintf(line, sizeof line, "%s  %s  %s", fields_str(h, "#at"), fields_str(h, "#who"),
			         fields_str(h, "#action"));
			heading(l, line, A_NORMAL);
			block(l, 4);
			for (size_t j = 0; j < h->n; j++)
				if (h->v[j].key[0] != '#')
					item(l, h->v[j].key, h->v[j].val);
			block(l, 0);
		}
		rows_free(&hist);
	}
	flush(l);
	buf_free(&l->cur);
}

/* Releases the lines. */
static void free_lines(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->attr);
	l->v = NULL;
	l->attr = NULL;
	l->n = 0;
}

/* Asks which form to print, offering only the ones this case has (no transfer slip before the
 * transfer, no outcome report before the outcome). */
static void print_menu(struct ui *ui, int64_t id)
{
	struct xf_fields forms;
	fields_init(&forms);
	for (int i = 0; xf_print_forms[i]; i++) {
		struct xf_fields values;
		if (print_slip_values(&ui->s, id, xf_print_forms[i], &values, NULL) == XF_OK)
			fields_set(&forms, print_form_title(xf_print_forms[i]), xf_print_forms[i]);
		fields_free(&values);
	}
	int pick = ui_pick(ui, "打印哪一张", &forms, 0);
	if (pick >= 0)
		screen_print(ui, id, forms.v[pick].val);
	fields_free(&forms);
}

/* Jumps to a linked case (either way). */
static void jump(struct ui *ui, struct xf_fields *linked)
{
	if (linked->n == 0) {
		ui_message(ui, UI_INFO, "这件事项没有关联的事项");
		return;
	}
	int pick = ui_pick(ui, "关联的事项", linked, 0);
	int64_t other;
	if (pick >= 0 && case_find(&ui->s, linked->v[pick].key, &other, NULL) == XF_OK)
		screen_case(ui, other);
}

/* The case view. */
void screen_case(struct ui *ui, int64_t id)
{
	int top = 0;
	bool moved = false; /* a move was just made here */
	for (;;) {
		struct xf_fields v;
		struct xf_err err;
		if (case_view(&ui->s, id, &v, &err) != XF_OK) {
			/* A move that took the case out of this operator's sight (a handler's 退回) went
			 * through: its message stays, not a refusal. */
			if (!moved)
				ui_message(ui, UI_ERROR, "%s", err.msg);
			return;
		}
		moved = false;
		enum xf_move open[XF_MV_COUNT];
		int nopen = 0;
		case_moves_open(&ui->s, id, open, &nopen, NULL);
		/* Deciding an extension only shows while one waits. */
		if (strcmp(fields_str(&v, "extension.decision"), "pending") != 0)
			for (int i = 0; i < nopen; i++)
				if (open[i] == XF_MV_DECIDE)
					open[i--] = open[--nopen];
		char hints[320] = "";
		for (size_t k = 0; k < sizeof move_keys / sizeof move_keys[0]; k++)
			for (int i = 0; i < nopen; i++)
				if (move_keys[k].move == open[i]) {
					size_t used = strlen(hints);
					snprintf(hints + used, sizeof hints - used, "%lc%s ", (wint_t)move_keys[k].key, move_keys[k].hint);
				}
		/* Moves between branches (交办, 提级办理, 上报) where the core opens them: one key, h. */
		enum xf_branch_move across[3];
		int nacross = 0;
		supervise_moves_open(&ui->s, id, across, &nacross);
		size_t used = strlen(hints);
		if (nacross > 0)
			snprintf(hints + used, sizeof hints - used, "h%s ",
			         nacross == 1 ? supervise_move_label(across[0]) : "机构间移交");
		used = strlen(hints);
		snprintf(hints + used, sizeof hints - used, "p打印 F10返回");
		char title[64];
		snprintf(title, sizeof title, "卷宗 %s", fields_str(&v, "number"));
		ui_set_screen(ui, title, hints);
		struct lines l;
		struct xf_fields linked;
		fields_init(&linked);
		build(ui, id, &v, &l, &linked);
		if (linked.n) {
			used = strlen(hints);
			snprintf(hints + used, sizeof hints - used, " g关联");
			ui_set_screen(ui, title, hints);
		}
		ui->changed = false;
		bool reload = false;
		while (!reload) {
			erase();
			ui_frame(ui);
			int rows = ui_content_rows();
			if (top > (int)l.n - rows)
				top = (int)l.n - rows;
			if (top < 0)
				top = 0;
			for (int i = 0; i < rows && top + i < (int)l.n; i++)
				ui_put(ui_content_top() + i, 1, COLS - 2, l.v[top + i], l.attr[top + i]);
			if (top > 0)
				ui_put(ui_content_top(), COLS - 2, 2, "↑", A_BOLD);
			if (top + rows < (int)l.n)
				ui_put(ui_content_top() + rows - 1, COLS - 2, 2, "↓", A_BOLD);
			move(LINES - 1, COLS - 1);
			refresh();
			struct ui_key k = ui_getkey(ui);
			if (ui_is_back(k)) {
				free_lines(&l);
				fields_free(&linked);
				fields_free(&v);
				return;
			}
			if (k.kind == UI_FUNC && k.ch == KEY_RESIZE) {
				reload = true;
				continue;
			}
			if (k.kind == UI_TICK) {
				reload = ui->changed;
				continue;
			}
			if (k.kind == UI_FUNC && (k.ch == KEY_DOWN || k.ch == KEY_NPAGE))
				top += k.ch == KEY_DOWN ? 1 : rows - 1;
			else if (k.kind == UI_FUNC && (k.ch == KEY_UP || k.ch == KEY_PPAGE))
				top -= k.ch == KEY_UP ? 1 : rows - 1;
			else if (k.kind == UI_FUNC && k.ch == KEY_HOME)
				top = 0;
			else if (k.kind == UI_FUNC && k.ch == KEY_END)
				top = (int)l.n;
			else if (k.kind == UI_CHAR && k.ch == 'p') {
				print_menu(ui, id);
				reload = true; /* the print dialog's title and keys give way to the case file's */
			}
			else if (k.kind == UI_CHAR && k.ch == 'h') {
				if (nacross > 0)
					moved = screen_branch_move(ui, id, across, nacross);
				else
					ui_message(ui, UI_WARN, "现在不能把这件事项移交给其他机构（交办、提级办理、上报）");
				reload = true;
			} else if (k.kind == UI_CHAR && k.ch == 'g') {
				jump(ui, &linked);
				reload = true;
			} else if (k.kind == UI_CHAR) {
				for (size_t m = 0; m < sizeof move_keys / sizeof move_keys[0]; m++) {
					if (move_keys[m].key != k.ch)
						continue;
					bool allowed = false;
					for (int i = 0; i < nopen; i++)
						allowed = allowed || open[i] == move_keys[m].move;
					if (allowed) {
						moved = screen_move(ui, id, move_keys[m].move);
						reload = true;
					} else {
						ui_message(ui, UI_WARN, "现在不能%s", xf_moves[move_keys[m].move].label);
					}
				}
			}
		}
		free_lines(&l);
		fields_free(&linked);
		fields_free(&v);
	}
}

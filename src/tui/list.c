/* The list widget: a heading, rows in columns, a selection that scrolls. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "list.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"

/* The widest text of one field over the rows, at least `least` columns. */
int list_widest(const struct xf_rows *rows, const char *key, int least)
{
	int w = least;
	for (size_t i = 0; i < rows->n; i++) {
		int cw = ui_width(fields_str(&rows->v[i], key));
		if (cw > w)
			w = cw;
	}
	return w;
}

/* Draws text cut to `width` columns on a character boundary, ending in … when cut. Control
 * and direction characters are left to ui_put, which shows each as one replacement mark. */
void ui_put_clipped(int y, int x, int width, const char *text, int attr)
{
	size_t len = text ? strlen(text) : 0;
	int total = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(text, len, &i);
		total += tui_cp_width(text_cp_unsafe(cp) ? 0xfffd : cp);
	}
	if (total <= width || width < 1) {
		ui_put(y, x, width, text, attr);
		return;
	}
	char *clipped = xmalloc(len + sizeof "…");
	size_t out = 0;
	int used = 0, ellipsis = tui_cp_width(0x2026);
	for (size_t i = 0; i < len;) {
		size_t at = i;
		uint32_t cp = utf8_next(text, len, &i);
		int w = tui_cp_width(text_cp_unsafe(cp) ? 0xfffd : cp);
		if (used + w + ellipsis > width)
			break;
		memcpy(clipped + out, text + at, i - at);
		out += i - at;
		used += w;
	}
	memcpy(clipped + out, "…", sizeof "…");
	ui_put(y, x, width, clipped, attr);
	free(clipped);
}

/* The width of a column on screen starting at x: a whole column as wide as its widest value,
 * the last (width 0) the rest of the line. */
static int column_width(const struct ui_list *l, int c, int x)
{
	int w = l->cols[c].width;
	if (strcmp(l->cols[c].key, "number") == 0)
		w = list_widest(&l->rows, l->cols[c].key, w);
	if (w == 0 || x + w > COLS - 1)
		w = COLS - x - 1;
	return w > 0 ? w : 0;
}

/* Draws the list. */
void list_draw(struct ui *ui, struct ui_list *l, int y, int height)
{
	int rows = height - 1;
	if (l->sel >= (int)l->rows.n)
		l->sel = (int)l->rows.n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	int x = 1, widths[16];
	for (int c = 0; c < l->ncols && c < 16; c++) {
		widths[c] = column_width(l, c, x);
		ui_put(y, x, widths[c], l->cols[c].header, A_BOLD | A_UNDERLINE);
		x += widths[c] + 1;
	}
	for (int i = 0; i < rows; i++) {
		int idx = l->top + i;
		if (idx >= (int)l->rows.n)
			break;
		const struct xf_fields *row = &l->rows.v[idx];
		int attr = l->row_attr ? l->row_attr(ui, row) : (int)A_NORMAL;
		if (idx == l->sel)
			attr = ui_attr_current(ui);
		x = 1;
		ui_put(y + 1 + i, 0, 1, idx == l->sel ? ">" : " ", attr);
		for (int c = 0; c < l->ncols && c < 16; c++) {
			ui_put_clipped(y + 1 + i, x, widths[c], fields_str(row, l->cols[c].key), attr);
			ui_put(y + 1 + i, x + widths[c], 1, "", attr); /* the gap, in the row's colour */
			x += widths[c] + 1;
		}
	}
	if (l->rows.n == 0)
		ui_put(y + 2, 2, COLS - 4, "（没有事项）", A_NORMAL);
}

/* Navigation keys. */
bool list_key(struct ui_list *l, struct ui_key k, int height)
{
	if (k.kind != UI_FUNC)
		return false;
	int page = height > 2 ? height - 2 : 1, n = (int)l->rows.n;
	switch (k.ch) {
	case KEY_UP: l->sel = l->sel > 0 ? l->sel - 1 : 0; return true;
	case KEY_DOWN: l->sel = l->sel + 1 < n ? l->sel + 1 : l->sel; return true;
	case KEY_PPAGE: l->sel = l->sel > page ? l->sel - page : 0; return true;
	case KEY_NPAGE: l->sel = l->sel + page < n ? l->sel + page : (n ? n - 1 : 0); return true;
	case KEY_HOME: l->sel = 0; return true;
	case KEY_END: l->sel = n ? n - 1 : 0; return true;
	default: return false;
	}
}

/* The selected row. */
const struct xf_fields *list_selected(const struct ui_list *l)
{
	return l->sel >= 0 && l->sel < (int)l->rows.n ? &l->rows.v[l->sel] : NULL;
}

/* New rows. */
void list_set_rows(struct ui_list *l, struct xf_rows *rows)
{
	rows_free(&l->rows);
	l->rows = *rows;
	rows->v = NULL;
	rows->n = 0;
	if (l->sel >= (int)l->rows.n)
		l->sel = l->rows.n ? (int)l->rows.n - 1 : 0;
}

/* Releases the rows. */
void list_free(struct ui_list *l)
{
	rows_free(&l->rows);
}

/* One turn of a list screen. */
bool list_screen_turn(struct ui *ui, struct ui_list *l, const char *title, const char *hints, list_reload_fn reload,
                      void *ctx, struct ui_key *k)
{
	ui_set_screen(ui, title, hints);
	erase();
	ui_frame(ui);
	list_draw(ui, l, ui_content_top(), ui_content_rows());
	move(LINES - 1, COLS - 1);
	refresh();
	*k = ui_getkey(ui);
	if (ui_is_back(*k))
		return false;
	if (k->kind == UI_TICK) {
		if (ui->changed) {
			reload(ui, l, ctx);
			ui->changed = false;
		}
		return true;
	}
	if (list_key(l, *k, ui_content_rows()))
		k->kind = UI_TICK;
	return true;
}

/* A page of text as its lines. */
int ui_text_lines(const char *text, char ***lines)
{
	int n = 0;
	*lines = NULL;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		*lines = xrealloc(*lines, (size_t)(n + 1) * sizeof **lines);
		(*lines)[n++] = xstrndup(p, len);
		p = nl ? nl + 1 : p + len;
	}
	return n;
}

/* Frees the lines of a page. */
void ui_lines_free(char **lines, int n)
{
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

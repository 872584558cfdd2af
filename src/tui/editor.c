/* The field editor model: an array of code points with widths, a cursor and scrolling. */
#include "editor.h"

#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"
#include "xinfang/util.h"

/* An empty editor for a box. */
void editor_init(struct xf_editor *ed, int width, int rows, bool multiline, int max_cols)
{
	memset(ed, 0, sizeof *ed);
	ed->width = width > 1 ? width : 2;
	ed->rows = rows > 0 ? rows : 1;
	ed->multiline = multiline;
	ed->max_cols = max_cols;
}

/* Releases the text. */
void editor_free(struct xf_editor *ed)
{
	free(ed->cp);
	free(ed->w);
	ed->cp = NULL;
	ed->w = NULL;
	ed->len = ed->cap = ed->cursor = 0;
}

/* Makes room for one more code point. */
static void grow(struct xf_editor *ed)
{
	if (ed->len < ed->cap)
		return;
	ed->cap = ed->cap ? ed->cap * 2 : 32;
	ed->cp = xrealloc(ed->cp, ed->cap * sizeof *ed->cp);
	ed->w = xrealloc(ed->w, ed->cap * sizeof *ed->w);
}

/* Display columns of the text. */
int editor_cols(const struct xf_editor *ed)
{
	int cols = 0;
	for (size_t i = 0; i < ed->len; i++)
		cols += ed->w[i];
	return cols;
}

/* Inserts without checks. */
static void put(struct xf_editor *ed, uint32_t cp)
{
	grow(ed);
	memmove(ed->cp + ed->cursor + 1, ed->cp + ed->cursor, (ed->len - ed->cursor) * sizeof *ed->cp);
	memmove(ed->w + ed->cursor + 1, ed->w + ed->cursor, (ed->len - ed->cursor) * sizeof *ed->w);
	ed->cp[ed->cursor] = cp;
	ed->w[ed->cursor] = (uint8_t)(cp == '\n' ? 0 : tui_cp_width(cp));
	ed->len++;
	ed->cursor++;
}

/* Inserts one code point if the field takes it. */
bool editor_insert(struct xf_editor *ed, uint32_t cp)
{
	if (cp == '\n' && !ed->multiline)
		return false;
	if ((cp < 0x20 && cp != '\n') || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	if (ed->max_cols > 0 && editor_cols(ed) + tui_cp_width(cp) > ed->max_cols)
		return false;
	put(ed, cp);
	return true;
}

/* Replaces the text. */
void editor_set_text(struct xf_editor *ed, const char *utf8)
{
	ed->len = ed->cursor = 0;
	ed->scroll = ed->top = 0;
	size_t len = utf8 ? strlen(utf8) : 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(utf8, len, &i);
		if (cp == '\r' || (cp == '\n' && !ed->multiline))
			cp = ' ';
		if (cp >= 0x20 || cp == '\n')
			put(ed, cp);
	}
}

/* The text as UTF-8. */
char *editor_text(const struct xf_editor *ed)
{
	char *out = xmalloc(ed->len * 4 + 1), *p = out;
	for (size_t i = 0; i < ed->len; i++)
		p += utf8_encode(ed->cp[i], p);
	*p = '\0';
	return out;
}

/* Deletes the code point before the cursor. */
void editor_backspace(struct xf_editor *ed)
{
	if (ed->cursor == 0)
		return;
	ed->cursor--;
	editor_delete(ed);
}

/* Deletes the code point at the cursor. */
void editor_delete(struct xf_editor *ed)
{
	if (ed->cursor >= ed->len)
		return;
	memmove(ed->cp + ed->cursor, ed->cp + ed->cursor + 1, (ed->len - ed->cursor - 1) * sizeof *ed->cp);
	memmove(ed->w + ed->cursor, ed->w + ed->cursor + 1, (ed->len - ed->cursor - 1) * sizeof *ed->w);
	ed->len--;
}

/* Cursor one code point left. */
void editor_left(struct xf_editor *ed)
{
	if (ed->cursor > 0)
		ed->cursor--;
}

/* Cursor one code point right. */
void editor_right(struct xf_editor *ed)
{
	if (ed->cursor < ed->len)
		ed->cursor++;
}

enum { MAX_LINES = 1024 };

/* Wraps into a buffer of MAX_LINES, returning how many lines it holds. */
static size_t wrap_lines(const struct xf_editor *ed, struct xf_edline *lines)
{
	size_t n = editor_wrap(ed, lines, MAX_LINES);
	return n > MAX_LINES ? MAX_LINES : n;
}

/* Wrapped line holding index i. */
static size_t line_of(const struct xf_edline *lines, size_t n, size_t i)
{
	for (size_t l = 0; l < n; l++)
		if (i < lines[l].end || (i == lines[l].end && (l + 1 == n || lines[l + 1].start > i)))
			return l;
	return n ? n - 1 : 0;
}

/* Cursor to the start of its line. */
void editor_home(struct xf_editor *ed)
{
	if (!ed->multiline) {
		ed->cursor = 0;
		return;
	}
	struct xf_edline lines[MAX_LINES];
	size_t n = wrap_lines(ed, lines);
	ed->cursor = lines[line_of(lines, n, ed->cursor)].start;
}

/* Cursor to the end of its line. */
void editor_end(struct xf_editor *ed)
{
	if (!ed->multiline) {
		ed->cursor = ed->len;
		return;
	}
	struct xf_edline lines[MAX_LINES];
	size_t n = wrap_lines(ed, lines);
	ed->cursor = lines[line_of(lines, n, ed->cursor)].end;
}

/* Index in line l nearest to column col. */
static size_t index_at(const struct xf_editor *ed, const struct xf_edline *line, int col)
{
	int c = 0;
	size_t i = line->start;
	while (i < line->end && ed->cp[i] != '\n' && c + ed->w[i] <= col) {
		c += ed->w[i];
		i++;
	}
	return i;
}

/* Column of index i within its line. */
static int col_in_line(const struct xf_editor *ed, const struct xf_edline *line, size_t i)
{
	int c = 0;
	for (size_t k = line->start; k < i && k < line->end; k++)
		c += ed->w[k];
	return c;
}

/* Moves one wrapped line up or down. */
static bool vertical(struct xf_editor *ed, int dir)
{
	if (!ed->multiline)
		return false;
	struct xf_edline lines[MAX_LINES];
	size_t n = wrap_lines(ed, lines);
	size_t l = line_of(lines, n, ed->cursor);
	if ((dir < 0 && l == 0) || (dir > 0 && l + 1 >= n))
		return false;
	int col = col_in_line(ed, &lines[l], ed->cursor);
	ed->cursor = index_at(ed, &lines[l + (size_t)dir], col);
	return true;
}

/* Up a line. */
bool editor_up(struct xf_editor *ed) { return vertical(ed, -1); }
/* Down a line. */
bool editor_down(struct xf_editor *ed) { return vertical(ed, 1); }

/* Empties the field. */
void editor_clear(struct xf_editor *ed)
{
	ed->len = ed->cursor = 0;
	ed->scroll = ed->top = 0;
}

/* Wraps at the box width; no line starts with closing punctuation. */
size_t editor_wrap(const struct xf_editor *ed, struct xf_edline *lines, size_t max)
{
	size_t n = 0, start = 0;
	int cols = 0;
	for (size_t i = 0; i <= ed->len; i++) {
		bool end = i == ed->len;
		bool nl = !end && ed->cp[i] == '\n';
		bool full = !end && !nl && cols + ed->w[i] > ed->width && i > start;
		if (full && i > start + 1 && text_no_line_start(ed->cp[i])) {
			/* 避头尾: the character before a closing mark goes down with it. */
			i--;
			cols -= ed->w[i];
		}
		if (end || nl || full) {
			if (n < max)
				lines[n] = (struct xf_edline){start, i, cols};
			n++;
			if (end)
				break;
			start = nl ? i + 1 : i;
			cols = 0;
			if (nl)
				continue;
		}
		cols += ed->w[i];
	}
	return n;
}

/* Keeps the cursor inside the box and reports where it is. */
void editor_cursor(struct xf_editor *ed, int *row, int *col)
{
	if (!ed->multiline) {
		int c = 0;
		for (size_t i = 0; i < ed->cursor; i++)
			c += ed->w[i];
		int here = ed->cursor < ed->len ? (ed->w[ed->cursor] ? ed->w[ed->cursor] : 1) : 1;
		if (c < ed->scroll)
			ed->scroll = c;
		if (c + here > ed->scroll + ed->width)
			ed->scroll = c + here - ed->width;
		if (ed->scroll < 0)
			ed->scroll = 0;
		*row = 0;
		*col = c - ed->scroll;
		return;
	}
	struct xf_edline lines[MAX_LINES];
	size_t n = wrap_lines(ed, lines);
	size_t l = line_of(lines, n, ed->cursor);
	int c = col_in_line(ed, &lines[l], ed->cursor);
	/* At the very end of a full line the cursor shows at the start of the next row. */
	if (c >= ed->width && l + 1 == n)
		c = ed->width - 1;
	if ((int)l < ed->top)
		ed->top = (int)l;
	if ((int)l >= ed->top + ed->rows)
		ed->top = (int)l - ed->rows + 1;
	*row = (int)l - ed->top;
	*col = c;
}

/* One box row as exactly `width` columns of UTF-8. */
char *editor_visible_row(struct xf_editor *ed, int row)
{
	int crow, ccol;
	editor_cursor(ed, &crow, &ccol);
	char *out = xmalloc((size_t)ed->width * 4 + 8), *p = out;
	int used = 0;
	if (!ed->multiline) {
		if (row == 0) {
			int c = 0;
			for (size_t i = 0; i < ed->len && used < ed->width; i++) {
				int w = ed->w[i];
				if (c < ed->scroll) {
					/* A wide character half behind the left edge shows as a space. */
					if (c + w > ed->scroll) {
						for (int k = 0; k < c + w - ed->scroll && used < ed->width; k++)
							*p++ = ' ', used++;
					}
				} else if (used + w > ed->width) {
					break;
				} else {
					p += utf8_encode(ed->cp[i], p);
					used += w;
				}
				c += w;
			}
		}
	} else {
		struct xf_edline lines[MAX_LINES];
		size_t n = wrap_lines(ed, lines);
		size_t l = (size_t)(ed->top + row);
		if (l < n)
			for (size_t i = lines[l].start; i < lines[l].end; i++) {
				if (ed->cp[i] == '\n')
					continue;
				p += utf8_encode(ed->cp[i], p);
				used += ed->w[i];
			}
	}
	while (used < ed->width)
		*p++ = ' ', used++;
	*p = '\0';
	return out;
}

/* The field editor as a pure model: code points with their display widths, a cursor, a
 * horizontal scroll for one-line fields and wrapped lines for boxes. No curses here. */
#ifndef XINFANG_TUI_EDITOR_H
#define XINFANG_TUI_EDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xf_editor {
	uint32_t *cp;   /* the text */
	uint8_t *w;     /* display width of each code point */
	size_t len, cap;
	size_t cursor;  /* insertion point, 0..len */
	int width;      /* columns of the box on screen */
	int rows;       /* rows of the box (1 for a one-line field) */
	bool multiline; /* wraps, and takes newlines */
	int max_cols;   /* longest text in display columns (0: no limit) */
	int scroll;     /* one-line: first visible column */
	int top;        /* box: first visible wrapped line */
};

/* A wrapped line: code points [start, end) taking cols columns. */
struct xf_edline {
	size_t start, end;
	int cols;
};

/* Columns a code point takes on the terminal: the C library's wcwidth (width.c). */
int tui_cp_width(uint32_t cp);
/* The same for text_wrap (ctx unused). */
int tui_cp_width_ctx(uint32_t cp, void *ctx);
/* Columns a UTF-8 text takes on the terminal. */
int tui_width(const char *text);

void editor_init(struct xf_editor *ed, int width, int rows, bool multiline, int max_cols);
void editor_free(struct xf_editor *ed);
/* Replaces the text (invalid UTF-8 bytes become U+FFFD); the cursor goes to the end. */
void editor_set_text(struct xf_editor *ed, const char *utf8);
/* The text as a new UTF-8 string. */
char *editor_text(const struct xf_editor *ed);
/* Display columns of the whole text. */
int editor_cols(const struct xf_editor *ed);
/* Inserts a code point at the cursor; false (nothing changed) when it would pass max_cols,
 * or for a newline in a one-line field or a control character. */
bool editor_insert(struct xf_editor *ed, uint32_t cp);
void editor_backspace(struct xf_editor *ed);
void editor_delete(struct xf_editor *ed);
void editor_left(struct xf_editor *ed);
void editor_right(struct xf_editor *ed);
void editor_home(struct xf_editor *ed);
void editor_end(struct xf_editor *ed);
/* Moves to the wrapped line above or below, keeping the column; false at the first/last line. */
bool editor_up(struct xf_editor *ed);
bool editor_down(struct xf_editor *ed);
/* Deletes everything. */
void editor_clear(struct xf_editor *ed);

/* Wraps the text at the box width: a wide character that does not fit starts the next line,
 * and takes the character before it along when it is closing punctuation (避头尾). Returns the number of lines (at least 1); fills at most max of them into lines. */
size_t editor_wrap(const struct xf_editor *ed, struct xf_edline *lines, size_t max);
/* Where the cursor shows inside the box, after scrolling. */
void editor_cursor(struct xf_editor *ed, int *row, int *col);
/* Visible text of box row `row` as UTF-8, exactly `width` columns (padded with spaces); a wide
 * character cut by the scroll edge shows as spaces, never as half a character. */
char *editor_visible_row(struct xf_editor *ed, int row);

#endif

/* A scrolling list of rows with columns: the queue, the limits list, search results. */
#ifndef XINFANG_TUI_LIST_H
#define XINFANG_TUI_LIST_H

#include <stdbool.h>
#include "tui.h"

/* One column: which field, its heading, its width in columns (0: the rest of the line). The
 * case number (key "number") is an identifier: its column is as wide as its widest value and
 * never cut. Other values longer than their column end in … cut between characters. */
struct ui_column {
	const char *key;
	const char *header;
	int width;
};

struct ui_list {
	struct xf_rows rows;
	const struct ui_column *cols;
	int ncols;
	int sel, top;
	/* Optional: attributes of a row (urgent rows in colour). */
	int (*row_attr)(struct ui *ui, const struct xf_fields *row);
};

/* The widest text of one field over the rows, at least `least` display columns. */
int list_widest(const struct xf_rows *rows, const char *key, int least);
/* Draws text cut to `width` columns on a character boundary, ending in … when cut. */
void ui_put_clipped(int y, int x, int width, const char *text, int attr);

/* Draws the heading and the rows in `height` lines from y. */
void list_draw(struct ui *ui, struct ui_list *l, int y, int height);
/* Moves the selection for arrow and page keys; true when the key was one of them. */
bool list_key(struct ui_list *l, struct ui_key k, int height);
/* The selected row, or NULL. */
const struct xf_fields *list_selected(const struct ui_list *l);
/* Replaces the rows, keeping the selection where it can. */
void list_set_rows(struct ui_list *l, struct xf_rows *rows);
void list_free(struct ui_list *l);

/* A page of text (a report drawn by the core) as its lines: new strings in *lines, their count
 * returned; ui_lines_free gives them back. */
int ui_text_lines(const char *text, char ***lines);
void ui_lines_free(char **lines, int n);

/* Fills a list from the core (ctx is the caller's). */
typedef void (*list_reload_fn)(struct ui *ui, struct ui_list *l, void *ctx);
/* One turn of a list screen: draws the title, hints and list, waits for a key and handles the
 * moving keys and other desks' changes (reload) itself. False when the operator leaves;
 * otherwise true with the key in *k (UI_TICK when there is nothing left to do). */
bool list_screen_turn(struct ui *ui, struct ui_list *l, const char *title, const char *hints, list_reload_fn reload,
                      void *ctx, struct ui_key *k);

#endif

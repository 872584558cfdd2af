/* Forms as data: forms/NAME.form shows the paper form as it looks, with named slots, and then
 * defines its fields. The same form drives the screen and the printed slip. */
#ifndef XINFANG_FORM_H
#define XINFANG_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xinfang/field.h"
#include "xinfang/util.h"

/* One field's definition from the [fields] section. */
struct xf_formfield {
	char key[48];
	char label[64];
	enum xf_ftype type;
	bool required;
	int max;          /* longest value in display columns (0: the slot's size) */
	char list[32];    /* data list for choices */
	char def[64];     /* default value ("today" for dates) */
	int rows;         /* layout rows its slot spans */
	int line;         /* line of the form file that defines it */
};

/* Where a field's value goes in the layout: a rectangle in the picture's display columns. */
struct xf_slot {
	char key[48];
	int row, col;     /* first row, first column (0-based) */
	int width, rows;  /* columns including the braces; rows spanned */
};

/* A parsed form. */
struct xf_form {
	char name[32];
	char title[128];
	char **rows;      /* the layout lines as written (UTF-8) */
	size_t nrows;
	int width;        /* widest layout line, in display columns */
	int layout_line;  /* line of the form file holding layout row 0 */
	struct xf_slot *slots;
	size_t nslots;
	struct xf_formfield *fields;
	size_t nfields;
};

/* Name of a field type ("text", "longtext", ...) and its parse; -1 when unknown. */
const char *form_type_name(enum xf_ftype type);
int form_type_parse(const char *s);

/* Parses a form file's text; errors give label, line and column and what was expected. */
int form_parse(const char *text, size_t len, const char *label, struct xf_form *out, struct xf_err *err);
/* Reads dir/NAME.form. */
int form_load(const char *dir, const char *name, struct xf_form *out, struct xf_err *err);
void form_free(struct xf_form *form);
/* The field of a key, or NULL. */
const struct xf_formfield *form_field(const struct xf_form *form, const char *key);
/* The slot of a key, or NULL. */
const struct xf_slot *form_slot(const struct xf_form *form, const char *key);
/* One character of a layout row: its code point, its column and width in the picture's display
 * columns, and the index of the slot it belongs to (-1: the picture's own). */
struct xf_cell {
	uint32_t cp;
	int col, width;
	int slot;
};
/* Decodes layout row r into *cells (a new array); returns how many. */
size_t form_row_cells(const struct xf_form *form, size_t r, struct xf_cell **cells);
/* The slot covering layout row `row`, column `col`, or NULL. */
const struct xf_slot *form_slot_at(const struct xf_form *form, int row, int col);
/* The forms directory (paths_formsdir). */
const char *form_dir(void);

#endif

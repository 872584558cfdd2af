/* A form's paper layout as PDF pages: box characters become ruled lines, labels sit where the
 * picture draws them, values wrap inside their boxes, pages continue under （续）. */
#include "xinfang/pdf.h"

#include "pdf_private.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"

/* Page geometry and type sizes, in points. */
static const double MARGIN_X = 42.0;      /* least left and right margin */
static const double MARGIN_TOP = 48.0;    /* above the first row */
static const double CONT_HEIGHT = 28.0;   /* the （续） line heading a continued page */
static const double ROW_HEIGHT = 21.0;    /* a row of the picture that holds text */
static const double TITLE_HEIGHT = 32.0;  /* the form's title row */
static const double BLANK_HEIGHT = 8.0;   /* an empty row of the picture */
static const double MAX_COLUMN = 8.0;     /* widest a picture column is drawn */
static const double PAD = 4.0;            /* between a box line and its text */
static const double LINE_WIDTH = 0.6;
static const double HEAVY_WIDTH = 1.2;
static const double EPS = 0.01;

/* What a row of the picture is. */
enum row_kind {
	ROW_BLANK, /* nothing on it */
	ROW_RULE,  /* only box characters, some with a horizontal arm: a ruled line, no height */
	ROW_TITLE, /* the first row of plain text: the form's title */
	ROW_TEXT,  /* labels, values and box verticals */
};

/* A decoded row with its kind and its place inside its band. */
struct prow {
	struct xf_cell *cells;
	size_t n;
	enum row_kind kind;
	bool boxed;         /* has box characters: its labels keep the picture's columns */
	double top, height; /* from the top of its band */
	size_t band;
};

/* Rows tied together by boxes several rows tall: they go onto a page together, or are split
 * between text lines when taller than a page. */
struct band {
	size_t first, last;
	double height;
};

/* A value wrapped to its box. */
struct filled {
	PangoLayout *layout; /* NULL when the value is empty */
	double top, left;    /* of the text, from the top of its band and the page's left edge */
};

/* A straight line on the page. */
struct segment {
	double x1, y1, x2, y2;
	double width;
};

/* A piece of a band on a page: virtual heights a..b of the band drawn from page height y. */
struct placement {
	size_t band;
	double a, b, y;
	int page;
};

/* Everything needed while laying out and drawing. */
struct pdf {
	const struct xf_form *form;
	struct xf_pdf_doc doc;
	double column; /* width of one picture column */
	double left;   /* x of picture column 0 */
	double line;   /* height of one line of body text */
	struct prow *rows;
	struct band *bands;
	size_t nbands;
	struct filled *fill;
	struct segment *segs;
	size_t nsegs, capsegs;
	struct placement *places;
	size_t nplaces, capplaces;
	int pages;
};

/* Which way a box character's lines leave its cell, and whether they are heavy. */
enum { ARM_U = 1, ARM_D = 2, ARM_L = 4, ARM_R = 8, ARM_HEAVY = 16 };

/* The arms of a box-drawing character, or 0 for a character drawn as a glyph. */
static int box_arms(uint32_t cp)
{
	static const struct {
		uint32_t cp;
		int arms;
	} table[] = {
		{0x2500, ARM_L | ARM_R}, {0x2501, ARM_L | ARM_R | ARM_HEAVY}, {0x2502, ARM_U | ARM_D},
		{0x2503, ARM_U | ARM_D | ARM_HEAVY}, {0x2504, ARM_L | ARM_R}, {0x2508, ARM_L | ARM_R},
		{0x250C, ARM_R | ARM_D}, {0x2510, ARM_L | ARM_D}, {0x2514, ARM_R | ARM_U},
		{0x2518, ARM_L | ARM_U}, {0x251C, ARM_U | ARM_D | ARM_R}, {0x2524, ARM_U | ARM_D | ARM_L},
		{0x252C, ARM_L | ARM_R | ARM_D}, {0x2534, ARM_L | ARM_R | ARM_U},
		{0x253C, ARM_U | ARM_D | ARM_L | ARM_R}, {0x2550, ARM_L | ARM_R | ARM_HEAVY},
		{0x2551, ARM_U | ARM_D | ARM_HEAVY}, {0x2554, ARM_R | ARM_D | ARM_HEAVY},
		{0x2557, ARM_L | ARM_D | ARM_HEAVY}, {0x255A, ARM_R | ARM_U | ARM_HEAVY},
		{0x255D, ARM_L | ARM_U | ARM_HEAVY}, {0x2560, ARM_U | ARM_D | ARM_R | ARM_HEAVY},
		{0x2563, ARM_U | ARM_D | ARM_L | ARM_HEAVY}, {0x2566, ARM_L | ARM_R | ARM_D | ARM_HEAVY},
		{0x2569, ARM_L | ARM_R | ARM_U | ARM_HEAVY}, {0x256C, ARM_U | ARM_D | ARM_L | ARM_R | ARM_HEAVY},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].cp == cp)
			return table[i].arms;
	return 0;
}

/* True for the spaces of the picture. */
static bool is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0x3000;
}


/* What kind of row this is; the first row of plain text (no box, no slot) is the title. */
static enum row_kind classify(const struct prow *row, bool title_seen)
{
	bool text = false, slot = false, box = false, horizontal = false;
	for (size_t i = 0; i < row->n; i++) {
		const struct xf_cell *c = &row->cells[i];
		if (c->slot >= 0) {
			slot = true;
			continue;
		}
		if (is_space(c->cp))
			continue;
		int arms = box_arms(c->cp);
		text = text || arms == 0;
		box = box || arms != 0;
		horizontal = horizontal || (arms & (ARM_L | ARM_R)) != 0;
	}
	if (!text && !slot)
		return horizontal ? ROW_RULE : box ? ROW_TEXT : ROW_BLANK;
	if (text && !slot && !box && !title_seen)
		return ROW_TITLE;
	return ROW_TEXT;
}

/* A new layout in a font, wrapping at width points (0: no wrapping). */
PangoLayout *pdf_layout(PangoContext *pango, const PangoFontDescription *font, const char *text, double width)
{
	PangoLayout *l = pango_layout_new(pango);
	pango_layout_set_font_description(l, font);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text, -1);
	return l;
}

/* A new layout on the slip's page. */
static PangoLayout *new_layout(struct pdf *p, const PangoFontDescription *font, const char *text, double width)
{
	return pdf_layout(p->doc.pango, font, text, width);
}

/* Height of a layout in points. */
double pdf_layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Width of a layout in points. */
double pdf_layout_width(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

/* Space above the first line of text in a row, so that one line sits in the middle. */
static double text_inset(const struct pdf *p)
{
	double inset = (ROW_HEIGHT - p->line) / 2;
	return inset < 2 ? 2 : inset;
}

/* Decodes and classifies the rows, wraps every value, and gives each row its height: a box
 * grows under its last row when its text needs more lines than it was drawn with. */
static void lay_out_rows(struct pdf *p, const struct xf_fields *values)
{
	const struct xf_form *form = p->form;
	p->rows = xcalloc(form->nrows ? form->nrows : 1, sizeof *p->rows);
	bool title_seen = false;
	for (size_t r = 0; r < form->nrows; r++) {
		p->rows[r].n = form_row_cells(form, r, &p->rows[r].cells);
		p->rows[r].kind = classify(&p->rows[r], title_seen);
		for (size_t i = 0; i < p->rows[r].n; i++)
			p->rows[r].boxed = p->rows[r].boxed || (p->rows[r].cells[i].slot < 0 && box_arms(p->rows[r].cells[i].cp));
		title_seen = title_seen || p->rows[r].kind == ROW_TITLE || p->rows[r].kind == ROW_RULE;
		switch (p->rows[r].kind) {
		case ROW_BLANK: p->rows[r].height = BLANK_HEIGHT; break;
		case ROW_RULE: p->rows[r].height = 0; break;
		case ROW_TITLE: p->rows[r].height = TITLE_HEIGHT; break;
		case ROW_TEXT: p->rows[r].height = ROW_HEIGHT; break;
		}
	}
	p->fill = xcalloc(form->nslots ? form->nslots : 1, sizeof *p->fill);
	for (size_t j = 0; j < form->nslots; j++) {
		const struct xf_slot *sl = &form->slots[j];
		const char *v = values ? fields_get(values, sl->key) : NULL;
		p->fill[j].left = p->left + sl->col * p->column + PAD;
		if (v && *v)
			p->fill[j].layout = new_layout(p, p->doc.body, v, sl->width * p->column - 2 * PAD);
	}
	/* Grow the last row of each box whose text needs more room, in row order. */
	for (size_t r = 0; r < form->nrows; r++)
		for (size_t j = 0; j < form->nslots; j++) {
			const struct xf_slot *sl = &form->slots[j];
			if (sl->row + sl->rows - 1 != (int)r || p->fill[j].layout == NULL)
				continue;
			double have = 0;
			for (int k = sl->row; k <= (int)r; k++)
				have += p->rows[k].height;
			double need = pdf_layout_height(p->fill[j].layout) + 2 * text_inset(p);
			if (need > have)
				p->rows[r].height += need - have;
		}
}

/* Groups rows into bands (rows joined by boxes several rows tall) and places rows in them. */
static void make_bands(struct pdf *p)
{
	const struct xf_form *form = p->form;
	p->bands = xcalloc(form->nrows ? form->nrows : 1, sizeof *p->bands);
	p->nbands = 0;
	for (size_t r = 0; r < form->nrows;) {
		size_t last = r;
		for (bool grew = true; grew;) {
			grew = false;
			for (size_t j = 0; j < form->nslots; j++) {
				const struct xf_slot *sl = &form->slots[j];
				size_t end = (size_t)(sl->row + sl->rows - 1);
				if ((size_t)sl->row >= r && (size_t)sl->row <= last && end > last) {
					last = end;
					grew = true;
				}
			}
		}
		struct band *b = &p->bands[p->nbands];
		b->first = r;
		b->last = last;
		b->height = 0;
		for (size_t k = r; k <= last; k++) {
			p->rows[k].top = b->height;
			p->rows[k].band = p->nbands;
			b->height += p->rows[k].height;
		}
		p->nbands++;
		r = last + 1;
	}
	/* Each value's text: one line centred in a one-row box, else from the top like a label. */
	for (size_t j = 0; j < form->nslots; j++) {
		const struct xf_slot *sl = &form->slots[j];
		struct filled *f = &p->fill[j];
		if (f->layout == NULL)
			continue;
		double top = p->rows[sl->row].top, height = 0;
		for (int k = sl->row; k < sl->row + sl->rows; k++)
			height += p->rows[k].height;
		double text = pdf_layout_height(f->layout);
		f->top = top + text_inset(p);
		if (sl->rows == 1 && height > text)
			f->top = top + (height - text) / 2;
	}
}

/* Records a placement. */
static void place(struct pdf *p, size_t band, double a, double b, double y, int page)
{
	if (p->nplaces == p->capplaces) {
		p->capplaces = p->capplaces ? 2 * p->capplaces : 32;
		p->places = xrealloc(p->places, p->capplaces * sizeof *p->places);
	}
	p->places[p->nplaces++] = (struct placement){band, a, b, y, page};
}

/* The lowest height at or below `want` where band can be cut without cutting a text line. */
static double cut_at(const struct pdf *p, size_t band, double a, double want)
{
	double cut = want;
	for (size_t j = 0; j < p->form->nslots; j++) {
		const struct filled *f = &p->fill[j];
		if (f->layout == NULL || p->rows[p->form->slots[j].row].band != band)
			continue;
		PangoLayoutIter *it = pango_layout_get_iter(f->layout);
		do {
			int y0, y1;
			pango_layout_iter_get_line_yrange(it, &y0, &y1);
			double top = f->top + (double)y0 / PANGO_SCALE, bottom = f->top + (double)y1 / PANGO_SCALE;
			if (top > a + EPS && top < cut && bottom > cut + EPS)
				cut = top;
		} while (pango_layout_iter_next_line(it));
		pango_layout_iter_free(it);
	}
	return cut;
}

/* Splits the bands into pages: a band that does not fit goes to the next page whole when a
 * page can hold it, else it is cut between text lines. A rule just before a page break is
 * drawn again on top of the next page so every box stays closed. */
static void paginate(struct pdf *p)
{
	double bottom = XF_PDF_PAGE_HEIGHT - XF_PDF_MARGIN_BOTTOM - XF_PDF_FOOTER_HEIGHT;
	double first_top = MARGIN_TOP, cont_top = MARGIN_TOP + CONT_HEIGHT;
	int page = 0;
	double y = first_top;
	bool at_top = true;
	for (size_t i = 0; i < p->nbands; i++) {
		const struct band *b = &p->bands[i];
		double a = 0;
		for (;;) {
			double room = bottom - y;
			if (b->height - a <= room + EPS) {
				place(p, i, a, b->height, y, page);
				y += b->height - a;
				at_top = at_top && b->height - a < EPS;
				break;
			}
			double cut = at_top || a > 0 || b->height > bottom - cont_top ? cut_at(p, i, a, a + room) : a;
			if (cut <= a + EPS && at_top)
				cut = a + room; /* a single line taller than a page: cut it anyway */
			if (cut > a + EPS) {
				place(p, i, a, cut, y, page);
				a = cut;
			}
			page++;
			y = cont_top;
			at_top = true;
			if (a == 0 && i > 0 && p->rows[p->bands[i - 1].first].kind == ROW_RULE)
				place(p, i - 1, 0, 0, y, page);
		}
	}
	p->pages = page + 1;
}

/* Adds a line to the page. */
static void add_segment(struct pdf *p, double x1, double y1, double x2, double y2, double width)
{
	if (p->nsegs == p->capsegs) {
		p->capsegs = p->capsegs ? 2 * p->capsegs : 256;
		p->segs = xrealloc(p->segs, p->capsegs * sizeof *p->segs);
	}
	p->segs[p->nsegs++] = (struct segment){x1, y1, x2, y2, width};
}

/* Adds the part of a line (in band heights) that falls inside a..b, moved to the page. */
static void add_clipped(struct pdf *p, double x1, double y1, double x2, double y2, double width, double a, double b,
                        double shift)
{
	if (fabs(y1 - y2) < EPS) {
		if (y1 >= a - EPS && y1 <= b + EPS)
			add_segment(p, x1, y1 + shift, x2, y2 + shift, width);
		return;
	}
	double top = y1 < a ? a : y1, bottom = y2 > b ? b : y2;
	if (bottom - top > EPS)
		add_segment(p, x1, top + shift, x2, bottom + shift, width);
}

/* Orders lines so that pieces of one straight line follow each other. */
static int segment_order(const void *pa, const void *pb)
{
	const struct segment *a = pa, *b = pb;
	bool ha = fabs(a->y1 - a->y2) < EPS, hb = fabs(b->y1 - b->y2) < EPS;
	if (ha != hb)
		return ha ? -1 : 1;
	double ka = ha ? a->y1 : a->x1, kb = hb ? b->y1 : b->x1;
	if (fabs(ka - kb) > EPS)
		return ka < kb ? -1 : 1;
	if (a->width != b->width)
		return a->width < b->width ? -1 : 1;
	double sa = ha ? a->x1 : a->y1, sb = hb ? b->x1 : b->y1;
	return sa < sb ? -1 : sa > sb;
}

/* Draws the page's lines, joining the pieces of each straight line into one stroke. */
static void stroke_segments(struct pdf *p)
{
	if (p->nsegs == 0)
		return;
	qsort(p->segs, p->nsegs, sizeof *p->segs, segment_order);
	cairo_set_line_cap(p->doc.cr, CAIRO_LINE_CAP_SQUARE);
	for (size_t i = 0; i < p->nsegs;) {
		struct segment s = p->segs[i];
		bool horizontal = fabs(s.y1 - s.y2) < EPS;
		size_t j = i + 1;
		for (; j < p->nsegs; j++) {
			const struct segment *t = &p->segs[j];
			bool th = fabs(t->y1 - t->y2) < EPS;
			if (th != horizontal || t->width != s.width)
				break;
			if (horizontal ? (fabs(t->y1 - s.y1) > EPS || t->x1 > s.x2 + EPS)
			               : (fabs(t->x1 - s.x1) > EPS || t->y1 > s.y2 + EPS))
				break;
			if (horizontal && t->x2 > s.x2)
				s.x2 = t->x2;
			if (!horizontal && t->y2 > s.y2)
				s.y2 = t->y2;
		}
		cairo_set_line_width(p->doc.cr, s.width);
		cairo_move_to(p->doc.cr, s.x1, s.y1);
		cairo_line_to(p->doc.cr, s.x2, s.y2);
		cairo_stroke(p->doc.cr);
		i = j;
	}
	p->nsegs = 0;
}

/* Draws text with its top left corner at x, y. */
static void show_text(struct pdf *p, const PangoFontDescription *font, const char *text, double x, double y)
{
	PangoLayout *l = new_layout(p, font, text, 0);
	cairo_move_to(p->doc.cr, x, y);
	pango_cairo_show_layout(p->doc.cr, l);
	g_object_unref(l);
}

/* Draws the title row centred over the form. */
static void draw_title(struct pdf *p, const struct prow *row, double y)
{
	struct xf_buf t;
	buf_init(&t);
	for (size_t i = 0; i < row->n; i++) {
		char enc[4];
		buf_add(&t, enc, utf8_encode(row->cells[i].cp, enc));
	}
	char *s = t.data;
	while (*s == ' ')
		s++;
	for (size_t n = strlen(s); n > 0 && s[n - 1] == ' '; n--)
		s[n - 1] = '\0';
	PangoLayout *l = new_layout(p, p->doc.bold, s, 0);
	double w = pdf_layout_width(l), h = pdf_layout_height(l);
	cairo_move_to(p->doc.cr, p->left + (p->form->width * p->column - w) / 2, y + (TITLE_HEIGHT - h) / 2);
	pango_cairo_show_layout(p->doc.cr, l);
	g_object_unref(l);
	buf_free(&t);
}

/* Draws one character of the picture's own text centred in its columns. */
static void draw_glyph(struct pdf *p, const struct xf_cell *c, double y)
{
	char enc[5];
	enc[utf8_encode(c->cp, enc)] = '\0';
	PangoLayout *l = new_layout(p, p->doc.body, enc, 0);
	double x = p->left + c->col * p->column + (c->width * p->column - pdf_layout_width(l)) / 2;
	cairo_move_to(p->doc.cr, x, y);
	pango_cairo_show_layout(p->doc.cr, l);
	g_object_unref(l);
}

/* Draws a run of plain text (a row without boxes) from cell i on, up to two spaces or a slot;
 * returns the index after it. */
static size_t draw_run(struct pdf *p, const struct prow *row, size_t i, double y)
{
	struct xf_buf t;
	buf_init(&t);
	size_t j = i;
	for (; j < row->n && row->cells[j].slot < 0; j++) {
		bool space = is_space(row->cells[j].cp);
		if (space && (j + 1 >= row->n || is_space(row->cells[j + 1].cp) || row->cells[j + 1].slot >= 0))
			break;
		char enc[4];
		buf_add(&t, enc, utf8_encode(row->cells[j].cp, enc));
	}
	show_text(p, p->doc.body, t.data, p->left + row->cells[i].col * p->column, y);
	buf_free(&t);
	return j;
}

/* Draws the piece a..b of a band with its top at page height y. */
static void draw_placement(struct pdf *p, const struct placement *pl)
{
	const struct band *b = &p->bands[pl->band];
	double shift = pl->y - pl->a;
	double xmin = 1e9, xmax = -1e9;
	bool single = b->first == b->last;
	for (size_t r = b->first; r <= b->last; r++) {
		const struct prow *row = &p->rows[r];
		double t = row->top, h = row->height;
		if (row->kind == ROW_TITLE && t >= pl->a - EPS && t < pl->b)
			draw_title(p, row, t + shift);
		double in_row = single ? (h - p->line) / 2 : text_inset(p);
		bool shown = t + in_row >= pl->a - EPS && t + in_row < pl->b - EPS;
		for (size_t i = 0; i < row->n; i++) {
			const struct xf_cell *c = &row->cells[i];
			if (c->slot >= 0 || is_space(c->cp) || row->kind == ROW_TITLE)
				continue;
			int arms = box_arms(c->cp);
			if (arms == 0 && !row->boxed && shown) {
				i = draw_run(p, row, i, t + in_row + shift) - 1;
				continue;
			}
			if (arms == 0) {
				if (shown)
					draw_glyph(p, c, t + in_row + shift);
				continue;
			}
			double x0 = p->left + c->col * p->column, x1 = x0 + c->width * p->column, xc = (x0 + x1) / 2;
			double yc = row->kind == ROW_RULE ? t : t + h / 2, w = arms & ARM_HEAVY ? HEAVY_WIDTH : LINE_WIDTH;
			if (arms & ARM_L)
				add_clipped(p, x0, yc, xc, yc, w, pl->a, pl->b, shift);
			if (arms & ARM_R)
				add_clipped(p, xc, yc, x1, yc, w, pl->a, pl->b, shift);
			if (arms & ARM_U)
				add_clipped(p, xc, t, xc, yc, w, pl->a, pl->b, shift);
			if (arms & ARM_D)
				add_clipped(p, xc, yc, xc, t + h, w, pl->a, pl->b, shift);
			if (arms & (ARM_U | ARM_D)) {
				xmin = xc < xmin ? xc : xmin;
				xmax = xc > xmax ? xc : xmax;
			}
		}
	}
	/* A band cut between pages is closed where it is cut. */
	if (xmax > xmin && pl->a > EPS)
		add_segment(p, xmin, pl->y, xmax, pl->y, LINE_WIDTH);
	if (xmax > xmin && pl->b < b->height - EPS)
		add_segment(p, xmin, pl->b + shift, xmax, pl->b + shift, LINE_WIDTH);
	/* The values: whole lines that start inside the piece. */
	for (size_t j = 0; j < p->form->nslots; j++) {
		const struct filled *f = &p->fill[j];
		if (f->layout == NULL || p->rows[p->form->slots[j].row].band != pl->band)
			continue;
		PangoLayoutIter *it = pango_layout_get_iter(f->layout);
		do {
			int y0, y1;
			pango_layout_iter_get_line_yrange(it, &y0, &y1);
			double top = f->top + (double)y0 / PANGO_SCALE;
			if (top < pl->a - EPS || top >= pl->b - EPS)
				continue;
			double baseline = f->top + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
			cairo_move_to(p->doc.cr, f->left, baseline + shift);
			pango_cairo_show_layout_line(p->doc.cr, pango_layout_iter_get_line_readonly(it));
		} while (pango_layout_iter_next_line(it));
		pango_layout_iter_free(it);
	}
}

/* Draws the footer of a page between x0 and x1. */
void pdf_draw_footer(struct xf_pdf_doc *d, double x0, double x1, const char *left, int page, int pages)
{
	char right[48];
	snprintf(right, sizeof right, "第 %d/%d 页", page + 1, pages);
	double y = XF_PDF_PAGE_HEIGHT - XF_PDF_MARGIN_BOTTOM - XF_PDF_FOOTER_HEIGHT / 2 - XF_PDF_FOOTER_SIZE;
	PangoLayout *r = pdf_layout(d->pango, d->footer, right, 0);
	double rw = pdf_layout_width(r);
	PangoLayout *l = pdf_layout(d->pango, d->footer, left, x1 - x0 - rw - 12);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	cairo_move_to(d->cr, x0, y);
	pango_cairo_show_layout(d->cr, l);
	cairo_move_to(d->cr, x1 - rw, y);
	pango_cairo_show_layout(d->cr, r);
	g_object_unref(l);
	g_object_unref(r);
}

/* Draws the footer of a slip's page inside it: who, when, which case, the page, reprint and
 * training marks. */
static void draw_footer(struct pdf *p, const struct xf_slip_meta *meta, int page)
{
	char *left = xasprintf("编号：%s　打印时间：%s　打印人：%s%s%s", meta->number ? meta->number : "",
	                       meta->printed_at ? meta->printed_at : "", meta->printed_by ? meta->printed_by : "",
	                       meta->reprint ? "　（补打）" : "", meta->training ? "　【演示/培训】" : "");
	double x0 = p->left, x1 = p->left + p->form->width * p->column;
	if (x0 > MARGIN_X)
		x0 = MARGIN_X, x1 = XF_PDF_PAGE_WIDTH - MARGIN_X;
	pdf_draw_footer(&p->doc, x0, x1, left, page, p->pages);
	free(left);
}

/* Gives back what fontconfig, pango and cairo keep for the life of the process (the font map,
 * the font caches), so a leak checker sees only what the program itself lost. */
static void release_fonts(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}

/* Appends the bytes cairo writes to the buffer. */
static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	buf_add(closure, (const char *)data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* Starts an A4 document with the fonts set up. */
void pdf_doc_open(struct xf_pdf_doc *d, const char *title, struct xf_buf *out)
{
	static bool release_registered;
	if (!release_registered)
		release_registered = atexit(release_fonts) == 0;
	memset(d, 0, sizeof *d);
	d->surface = cairo_pdf_surface_create_for_stream(write_out, out, XF_PDF_PAGE_WIDTH, XF_PDF_PAGE_HEIGHT);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "xinfang");
	d->cr = cairo_create(d->surface);
	d->pango = pango_cairo_create_context(d->cr);
	pango_cairo_context_set_resolution(d->pango, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(d->pango, fo);
	cairo_font_options_destroy(fo);
	d->body = pango_font_description_from_string(XF_PDF_FONT);
	pango_font_description_set_size(d->body, (int)(XF_PDF_BODY_SIZE * PANGO_SCALE));
	d->bold = pango_font_description_copy(d->body);
	pango_font_description_set_weight(d->bold, PANGO_WEIGHT_BOLD);
	pango_font_description_set_size(d->bold, (int)(XF_PDF_TITLE_SIZE * PANGO_SCALE));
	d->footer = pango_font_description_copy(d->body);
	pango_font_description_set_size(d->footer, (int)(XF_PDF_FOOTER_SIZE * PANGO_SCALE));
	PangoLayout *probe = pdf_layout(d->pango, d->body, "国", 0);
	d->line = pdf_layout_height(probe);
	g_object_unref(probe);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

/* Finishes the document. */
int pdf_doc_close(struct xf_pdf_doc *d, struct xf_err *err)
{
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	cairo_status_t status = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	pango_font_description_free(d->body);
	pango_font_description_free(d->bold);
	pango_font_description_free(d->footer);
	g_object_unref(d->pango);
	memset(d, 0, sizeof *d);
	if (status != CAIRO_STATUS_SUCCESS)
		return xf_err_set(err, XF_EIO, "生成 PDF 失败：%s", cairo_status_to_string(status));
	return XF_OK;
}

/* Renders a slip as PDF. */
int pdf_render(const struct xf_form *form, const struct xf_fields *values, const struct xf_slip_meta *meta,
               struct xf_buf *out, struct xf_err *err)
{
	if (form->width <= 0)
		return xf_err_set(err, XF_EINVAL, "表单 %s 没有版面，无法生成 PDF", form->name);
	int loaded = pdf_libs_load(err);
	if (loaded != XF_OK)
		return loaded;
	struct pdf p;
	memset(&p, 0, sizeof p);
	p.form = form;
	char *title = xasprintf("%s %s", form->title, meta->number ? meta->number : "");
	pdf_doc_open(&p.doc, title, out);
	free(title);
	p.line = p.doc.line;
	double usable = XF_PDF_PAGE_WIDTH - 2 * MARGIN_X;
	p.column = usable / form->width < MAX_COLUMN ? usable / form->width : MAX_COLUMN;
	p.left = (XF_PDF_PAGE_WIDTH - form->width * p.column) / 2;

	lay_out_rows(&p, values);
	make_bands(&p);
	paginate(&p);
	cairo_set_source_rgb(p.doc.cr, 0, 0, 0);
	size_t k = 0;
	for (int page = 0; page < p.pages; page++) {
		if (page > 0) {
			char *cont = xasprintf("%s（续）", form->title);
			show_text(&p, p.doc.bold, cont, p.left, MARGIN_TOP);
			free(cont);
		}
		for (; k < p.nplaces && p.places[k].page == page; k++)
			draw_placement(&p, &p.places[k]);
		stroke_segments(&p);
		draw_footer(&p, meta, page);
		cairo_show_page(p.doc.cr);
	}
	int rc = pdf_doc_close(&p.doc, err);
	for (size_t j = 0; j < form->nslots; j++)
		if (p.fill[j].layout)
			g_object_unref(p.fill[j].layout);
	for (size_t r = 0; r < form->nrows; r++)
		free(p.rows[r].cells);
	free(p.rows);
	free(p.fill);
	free(p.bands);
	free(p.segs);
	free(p.places);
	return rc;
}

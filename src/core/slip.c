/* Filling a form's paper layout with values, aligned for a UTF-8 file or a GB18030 printer. */
#include "xinfang/slip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xinfang/text.h"
#include "xinfang/config.h"

/* The device of an encoding. */
enum xf_device slip_device_for(const char *encoding)
{
	if (encoding != NULL && (strncasecmp(encoding, "GB", 2) == 0 || strcasecmp(encoding, "CP936") == 0))
		return XF_DEV_GB;
	return XF_DEV_UTF8;
}

/* Columns of a code point on a device. */
int slip_cp_width(enum xf_device dev, uint32_t cp)
{
	int w = text_cp_width(cp);
	if (dev == XF_DEV_GB && cp >= 0x80 && w > 0)
		return 2;
	return w;
}

/* The page size, from the environment or A4 defaults. */
struct xf_page slip_default_page(void)
{
	struct xf_page p = {66, 90};
	p.lines = (int)config_get_long("page_lines", 20, 500, p.lines);
	p.columns = (int)config_get_long("page_columns", 40, 400, p.columns);
	return p;
}

/* Horizontal rules: they stretch or shrink to fill their span on any device. */
static bool is_rule(uint32_t cp)
{
	return cp == 0x2500 || cp == 0x2501 || cp == 0x2550 || cp == 0x2504 || cp == 0x2508;
}

/* Box-drawing characters other than rules (corners, junctions, verticals). */
static bool is_box(uint32_t cp)
{
	return cp >= 0x2500 && cp <= 0x257f && !is_rule(cp);
}

/* slip_cp_width for text_wrap: ctx points at the device. */
static int device_width(uint32_t cp, void *ctx)
{
	return slip_cp_width(*(const enum xf_device *)ctx, cp);
}

/* Wraps text for a box: the core's line breaking with the device's widths. */
size_t slip_wrap(const char *text, int width, enum xf_device dev, char ***lines)
{
	return text_wrap(text, width, device_width, &dev, lines);
}

/* Frees wrapped lines. */
void slip_lines_free(char **lines, size_t n)
{
	text_lines_free(lines, n);
}

/* A decoded layout row. */
struct row {
	struct xf_cell *cells;
	size_t n;
};

/* Decodes a layout row, marking the columns that belong to slots. */
static void decode_row(const struct xf_form *form, size_t r, struct row *out)
{
	out->n = form_row_cells(form, r, &out->cells);
}

/* A row of output cells in device columns. */
struct canvas {
	uint32_t *cp; /* 0 marks the second column of a wide character */
	int width;
};

/* Starts a blank canvas row. */
static void canvas_init(struct canvas *cv, int width)
{
	cv->width = width;
	cv->cp = xmalloc(((size_t)width + 1) * sizeof *cv->cp);
	for (int i = 0; i < width; i++)
		cv->cp[i] = ' ';
}

/* Puts a character at a device column if it fits. */
static void canvas_put(struct canvas *cv, int at, uint32_t cp, int w)
{
	if (w <= 0 || at < 0 || at + w > cv->width)
		return;
	cv->cp[at] = cp;
	for (int i = 1; i < w; i++)
		cv->cp[at + i] = 0;
}

/* Puts a whole string at a device column, stopping before `limit`. */
static void canvas_text(struct canvas *cv, int at, int limit, const char *s, enum xf_device dev)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp = utf8_next(s, len, &i);
		int w = slip_cp_width(dev, cp);
		if (at + w > limit)
			break;
		canvas_put(cv, at, cp, w);
		at += w;
	}
}

/* Appends a canvas row as UTF-8 without trailing spaces. */
static void canvas_emit(struct canvas *cv, struct xf_buf *out)
{
	int end = cv->width;
	while (end > 0 && cv->cp[end - 1] == ' ')
		end--;
	for (int i = 0; i < end; i++) {
		if (cv->cp[i] == 0)
			continue;
		char enc[4];
		buf_add(out, enc, utf8_encode(cv->cp[i], enc));
	}
	buf_puts(out, "\n");
	free(cv->cp);
}

/* The layout's geometry on one device: where each picture column lands. */
struct geometry {
	int *out; /* out[c]: device column of picture column c, for c in 0..width */
	int width;
};

/* Picture columns holding a narrow non-ASCII character that the device shows two columns
 * wide (box verticals on a GB printer) push everything right of them one column further. */
static void geometry_init(const struct xf_form *form, struct row *rows, enum xf_device dev, struct geometry *g)
{
	int w = form->width;
	bool *grow = xcalloc((size_t)w + 1, sizeof *grow);
	for (size_t r = 0; r < form->nrows && dev == XF_DEV_GB; r++)
		for (size_t i = 0; i < rows[r].n; i++) {
			const struct xf_cell *c = &rows[r].cells[i];
			if (c->slot < 0 && c->cp >= 0x80 && c->width == 1 && !is_rule(c->cp))
				grow[c->col] = true;
		}
	g->out = xmalloc(((size_t)w + 2) * sizeof *g->out);
	int shift = 0;
	for (int c = 0; c <= w; c++) {
		g->out[c] = c + shift;
		if (c < w && grow[c])
			shift++;
	}
	g->width = g->out[w];
	free(grow);
}

/* Draws a row's own characters (not its slots): all of them, or only box lines when the row
 * is repeated to make room for a long value. */
static void draw_picture(struct canvas *cv, const struct row *row, const struct geometry *g, enum xf_device dev,
                         bool box_only)
{
	for (size_t i = 0; i < row->n;) {
		const struct xf_cell *c = &row->cells[i];
		if (c->slot >= 0 || c->cp == ' ') {
			i++;
			continue;
		}
		if (is_rule(c->cp)) {
			size_t j = i;
			while (j < row->n && is_rule(row->cells[j].cp) && row->cells[j].slot < 0)
				j++;
			if (!box_only) {
				int from = g->out[c->col], to = g->out[row->cells[j - 1].col + 1];
				int w = slip_cp_width(dev, c->cp);
				for (int at = from; at + w <= to; at += w)
					canvas_put(cv, at, c->cp, w);
			}
			i = j;
			continue;
		}
		if (!box_only || is_box(c->cp))
			canvas_put(cv, g->out[c->col], box_only && c->cp != 0x2502 ? 0x2502 : c->cp, slip_cp_width(dev, c->cp));
		i++;
	}
}

/* Wrapped values of every slot. */
struct filled {
	char **lines;
	size_t n;
};

/* True when a row draws part of the grid; rows of free text (title, notes) are not stretched. */
static bool row_has_box(const struct row *row)
{
	for (size_t i = 0; i < row->n; i++)
		if (row->cells[i].slot < 0 && row->cells[i].cp >= 0x2500 && row->cells[i].cp <= 0x257f)
			return true;
	return false;
}

/* Builds the body lines of the form (no footer). */
static void render_body(const struct xf_form *form, const struct xf_fields *values, enum xf_device dev,
                        struct row *rows, const struct geometry *grid, struct xf_buf *body)
{
	struct geometry plain;
	plain.width = grid->width;
	plain.out = xmalloc(((size_t)form->width + 2) * sizeof *plain.out);
	for (int c = 0; c <= form->width; c++)
		plain.out[c] = c;
	struct filled *fill = xcalloc(form->nslots ? form->nslots : 1, sizeof *fill);
	for (size_t j = 0; j < form->nslots; j++) {
		const struct xf_slot *sl = &form->slots[j];
		const char *v = values ? fields_get(values, sl->key) : NULL;
		const struct geometry *g = row_has_box(&rows[sl->row]) ? grid : &plain;
		int w = g->out[sl->col + sl->width] - g->out[sl->col];
		fill[j].n = slip_wrap(v ? v : "", w, dev, &fill[j].lines);
	}
	for (size_t r = 0; r < form->nrows; r++) {
		const struct geometry *g = row_has_box(&rows[r]) ? grid : &plain;
		int extra = 0;
		for (size_t j = 0; j < form->nslots; j++) {
			const struct xf_slot *sl = &form->slots[j];
			if (sl->row + sl->rows - 1 == (int)r && (int)fill[j].n - sl->rows > extra)
				extra = (int)fill[j].n - sl->rows;
		}
		for (int d = 0; d <= extra; d++) {
			struct canvas cv;
			canvas_init(&cv, g->width);
			draw_picture(&cv, &rows[r], g, dev, d > 0);
			for (size_t j = 0; j < form->nslots; j++) {
				const struct xf_slot *sl = &form->slots[j];
				if ((int)r < sl->row || (int)r >= sl->row + sl->rows)
					continue;
				size_t line = (size_t)((int)r - sl->row + d);
				bool last_row = sl->row + sl->rows - 1 == (int)r;
				if ((d > 0 && !last_row) || line >= fill[j].n)
					continue;
				canvas_text(&cv, g->out[sl->col], g->out[sl->col + sl->width], fill[j].lines[line], dev);
			}
			canvas_emit(&cv, body);
		}
	}
	for (size_t j = 0; j < form->nslots; j++)
		slip_lines_free(fill[j].lines, fill[j].n);
	free(fill);
	free(plain.out);
}

/* The footer of a page in lines no wider than the page (device columns): its parts joined by
 * two spaces, a part that would pass the edge starting the next line. */
static void footer_lines(const struct xf_slip_meta *meta, int page, int pages, enum xf_device dev, int columns,
                         struct xf_buf *out)
{
	char *parts[6];
	size_t n = 0;
	parts[n++] = xasprintf("编号：%s", meta->number ? meta->number : "");
	parts[n++] = xasprintf("打印时间：%s", meta->printed_at ? meta->printed_at : "");
	parts[n++] = xasprintf("打印人：%s", meta->printed_by ? meta->printed_by : "");
	parts[n++] = xasprintf("第 %d/%d 页", page, pages);
	if (meta->reprint)
		parts[n++] = xstrdup("（补打）");
	if (meta->training)
		parts[n++] = xstrdup("【演示/培训】");
	int col = 0;
	for (size_t i = 0; i < n; i++) {
		char **wrapped = NULL;
		/* A part longer than a whole line (a very long name) is wrapped on its own. */
		size_t k = slip_wrap(parts[i], columns - 2, dev, &wrapped);
		for (size_t j = 0; j < k; j++) {
			int w = 0;
			size_t len = strlen(wrapped[j]);
			for (size_t b = 0; b < len;)
				w += slip_cp_width(dev, utf8_next(wrapped[j], len, &b));
			if (col > 0 && col + 2 + w > columns) {
				buf_puts(out, "\n");
				col = 0;
			}
			buf_puts(out, "  ");
			buf_puts(out, wrapped[j]);
			col += 2 + w;
		}
		text_lines_free(wrapped, k);
		free(parts[i]);
	}
	buf_puts(out, "\n");
}

/* Lines the footer of page `page` takes. */
static int footer_count(const struct xf_slip_meta *meta, int page, int pages, enum xf_device dev, int columns)
{
	struct xf_buf b;
	buf_init(&b);
	footer_lines(meta, page, pages, dev, columns, &b);
	int n = 0;
	for (size_t i = 0; i < b.len; i++)
		n += b.data[i] == '\n';
	buf_free(&b);
	return n;
}

/* Renders a whole slip. */
int slip_render(const struct xf_form *form, const struct xf_fields *values, const struct xf_slip_meta *meta,
                enum xf_device dev, const struct xf_page *page, struct xf_buf *out, struct xf_err *err)
{
	struct row *rows = xcalloc(form->nrows ? form->nrows : 1, sizeof *rows);
	for (size_t r = 0; r < form->nrows; r++)
		decode_row(form, r, &rows[r]);
	struct geometry g;
	geometry_init(form, rows, dev, &g);
	int rc = XF_OK;
	if (g.width > page->columns)
		rc = xf_err_set(err, XF_EINVAL, "%s 在%s打印时宽 %d 列，超过纸宽 %d 列：请把纸宽（XINFANG_PAGE_COLUMNS）设大",
		                form->title, dev == XF_DEV_GB ? " GB18030 " : " UTF-8 ", g.width, page->columns);
	if (rc == XF_OK) {
		struct xf_buf body;
		buf_init(&body);
		render_body(form, values, dev, rows, &g, &body);
		/* Split the body into pages: a continuation line on later pages, and the footer's blank
		 * line and its lines. */
		size_t nlines = 0;
		for (size_t i = 0; i < body.len; i++)
			nlines += body.data[i] == '\n';
		/* The footer's lines with the widest page numbers this slip can have. */
		int foot = footer_count(meta, 99, 99, dev, page->columns);
		int per_page = page->lines - 2 - foot;
		if (per_page < 1)
			per_page = 1;
		int pages = (int)((nlines + (size_t)per_page - 1) / (size_t)per_page);
		if (pages < 1)
			pages = 1;
		const char *p = body.data;
		for (int pg = 1; pg <= pages; pg++) {
			if (pg > 1)
				buf_printf(out, "  %s（续）\n", form->title);
			for (int l = 0; l < per_page && *p; l++) {
				const char *nl = strchr(p, '\n');
				buf_add(out, p, (size_t)(nl - p) + 1);
				p = nl + 1;
			}
			buf_puts(out, "\n");
			footer_lines(meta, pg, pages, dev, page->columns, out);
			buf_puts(out, "\f");
		}
		buf_free(&body);
	}
	for (size_t r = 0; r < form->nrows; r++)
		free(rows[r].cells);
	free(rows);
	free(g.out);
	return rc;
}

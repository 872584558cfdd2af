/* What the PDF renderers (pdf.c for the slips, pdf_report.c for the statistics) share and
 * nothing else sees: an A4 document with the CJK fonts set up, text layouts, the footer. */
#ifndef XINFANG_PDF_PRIVATE_H
#define XINFANG_PDF_PRIVATE_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "xinfang/pdf.h"
#include "xinfang/util.h"
#include "pdf_libs.h"

/* The bottom of every page, in points: the footer band sits above the bottom margin. */
#define XF_PDF_MARGIN_BOTTOM 36.0
#define XF_PDF_FOOTER_HEIGHT 26.0
/* Type sizes: 五号字 for the body (the size of office forms), the title, the footer. */
#define XF_PDF_BODY_SIZE 10.5
#define XF_PDF_TITLE_SIZE 16.0
#define XF_PDF_FOOTER_SIZE 8.5

/* A PDF document being drawn: cairo's surface and context, pango's context and the fonts. */
struct xf_pdf_doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pango;
	PangoFontDescription *body;   /* XF_PDF_FONT at XF_PDF_BODY_SIZE */
	PangoFontDescription *bold;   /* bold at XF_PDF_TITLE_SIZE */
	PangoFontDescription *footer; /* XF_PDF_FOOTER_SIZE */
	double line;                  /* height of one line of body text */
};

/* Starts an A4 portrait document whose bytes are appended to out, with title as its metadata
 * title; unhinted metrics so text measures the same on every machine. */
void pdf_doc_open(struct xf_pdf_doc *d, const char *title, struct xf_buf *out);
/* Finishes the document and frees it; an error when cairo could not write it. */
int pdf_doc_close(struct xf_pdf_doc *d, struct xf_err *err);
/* A new layout of text in a font, wrapping at width points (0: no wrapping). */
PangoLayout *pdf_layout(PangoContext *pango, const PangoFontDescription *font, const char *text, double width);
/* Width and height of a layout in points. */
double pdf_layout_width(PangoLayout *l);
double pdf_layout_height(PangoLayout *l);
/* Draws the footer of a page between x0 and x1 inside the bottom band: the left text
 * (wrapped if it is long) and "第 n/m 页" at the right. */
void pdf_draw_footer(struct xf_pdf_doc *d, double x0, double x1, const char *left, int page, int pages);

#endif

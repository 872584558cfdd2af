/* The statistics as a printed report: A4 PDF pages in the slips' fonts, with tables, bar
 * charts drawn as filled rectangles, warning marks that survive a monochrome printer, and
 * page numbers in the footer. */
#ifndef XINFANG_PDF_REPORT_H
#define XINFANG_PDF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include "xinfang/report.h"
#include "xinfang/util.h"

/* The colour every bar is filled with (0xRRGGBB): a slate blue that prints as a mid grey. */
#define XF_PDF_REPORT_BAR_RGB 0x44668c

/* What the report says around the figures. */
struct xf_pdf_report_meta {
	const char *office;     /* named in the title; NULL: 信访办 */
	const char *printed_at; /* "YYYY-MM-DD HH:MM" */
	const char *printed_by;
	bool training;          /* a training store: 【演示/培训】 in the title and on every footer */
	const struct xf_warn_level *levels; /* the warning levels explained under the growth table */
	size_t nlevels;
};

/* Renders the statistics as a PDF document appended to out: A4 portrait; the title with the
 * office and the period; the six rates, each with numerator and denominator and its
 * definition, and the average working days; for each axis under axes_mask (as
 * report_render) a table of counts and shares with a bar per row; week-over-week growth with
 * the warning level as a coloured and patterned mark; the overdue cases by department and by
 * handler. A table longer than the page goes on under its heading and （续）; every page has
 * a footer with who printed it, when, and 第 n/m 页. */
int pdf_report_render(const struct xf_stats *st, unsigned axes_mask, const struct xf_pdf_report_meta *meta,
                      struct xf_buf *out, struct xf_err *err);

#endif

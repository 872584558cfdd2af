/* Slips as PDF pages: the same form layout the text slip fills, drawn with ruled lines and a
 * CJK font through pango and cairo, for printers behind a spooler and for files. */
#ifndef XINFANG_PDF_H
#define XINFANG_PDF_H

#include "xinfang/form.h"
#include "xinfang/slip.h"
#include "xinfang/util.h"

/* A4 portrait in PostScript points. */
#define XF_PDF_PAGE_WIDTH 595.276
#define XF_PDF_PAGE_HEIGHT 841.890

/* The font the slips are set in: a Song-style CJK face, then the faces that hold the rare
 * characters outside it (𠮷 and the other CJK extension B characters); fontconfig falls back
 * further for anything else. */
#define XF_PDF_FONT "Noto Serif CJK SC, HanaMinA, HanaMinB"

/* Renders the form filled with values (keys of the form's fields) as a PDF document appended
 * to out: A4 portrait, the layout's box lines as ruled lines, labels where the picture puts
 * them, long values wrapped inside their box (which grows), a form longer than a page
 * continued on the next under its title and （续）, and on every page a footer inside the
 * page with the number, the time printed, who printed, 补打 on a reprint and 演示/培训 on a
 * training store. */
int pdf_render(const struct xf_form *form, const struct xf_fields *values, const struct xf_slip_meta *meta,
               struct xf_buf *out, struct xf_err *err);

#endif

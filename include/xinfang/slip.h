/* Slips: a form's layout filled with a case's values, laid out for its printing device. */
#ifndef XINFANG_SLIP_H
#define XINFANG_SLIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xinfang/form.h"
#include "xinfang/util.h"

/* How wide characters are on the device that receives the page. */
enum xf_device {
	XF_DEV_UTF8, /* UTF-8 text: East Asian Wide/Fullwidth take two columns, box lines one */
	XF_DEV_GB,   /* a Chinese printer fed GB18030 or GBK: every non-ASCII character takes two */
};

/* The device that matches an encoding name. */
enum xf_device slip_device_for(const char *encoding);
/* Columns a code point takes on the device. */
int slip_cp_width(enum xf_device dev, uint32_t cp);

/* Paper: A4 portrait, lines and columns per page. */
struct xf_page {
	int lines;
	int columns;
};
/* The default page, or $XINFANG_PAGE_LINES / $XINFANG_PAGE_COLUMNS (66 x 90). */
struct xf_page slip_default_page(void);

/* What the footer says. */
struct xf_slip_meta {
	const char *number;
	const char *printed_at; /* "YYYY-MM-DD HH:MM" */
	const char *printed_by;
	bool reprint;
	bool training; /* a training store: every slip says 演示/培训 */
};

/* Wraps text into lines of at most `width` device columns, breaking at newlines and never
 * inside a character. Returns the number of lines; *lines is an array of new strings. */
size_t slip_wrap(const char *text, int width, enum xf_device dev, char ***lines);
void slip_lines_free(char **lines, size_t n);

/* Renders the form filled with values (keys of the form's fields) as UTF-8 text laid out for
 * dev: long values wrap inside their box, which grows; pages end with a form feed and carry a
 * footer with the number, the time printed, who printed, 补打 on a reprint and 演示/培训
 * from a training store. */
int slip_render(const struct xf_form *form, const struct xf_fields *values, const struct xf_slip_meta *meta,
                enum xf_device dev, const struct xf_page *page, struct xf_buf *out, struct xf_err *err);

#endif

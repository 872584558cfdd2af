/* libxlsxwriter, loaded only when a ledger is exported as XLSX (as Cairo and Pango are for
 * printing: see pdf_libs.h). Include after every other header. */
#ifndef XINFANG_XLSX_LIBS_H
#define XINFANG_XLSX_LIBS_H

#include <xlsxwriter.h>
#include "xinfang/util.h"

/* Every function of the libraries this code calls, found when first needed. */
#define XF_XLSX_LIBS_SYMBOLS(X) \
	X(format_set_bold) \
	X(format_set_num_format) \
	X(workbook_add_format) \
	X(workbook_add_worksheet) \
	X(workbook_close) \
	X(workbook_new_opt) \
	X(worksheet_freeze_panes) \
	X(worksheet_set_column) \
	X(worksheet_write_datetime) \
	X(worksheet_write_number) \
	X(worksheet_write_string) \

struct xf_xlsx_libs {
#define X(name) __typeof__(name) *name;
	XF_XLSX_LIBS_SYMBOLS(X)
#undef X
};
extern struct xf_xlsx_libs xf_xlsx_libs;

/* Loads the libraries and finds their functions, once; a clear message when they are missing. */
int xlsx_libs_load(struct xf_err *err);

/* From here on, every call goes through the table (not in the file that fills it). */
#ifndef XF_LIBS_LOADER
#define format_set_bold (xf_xlsx_libs.format_set_bold)
#define format_set_num_format (xf_xlsx_libs.format_set_num_format)
#define workbook_add_format (xf_xlsx_libs.workbook_add_format)
#define workbook_add_worksheet (xf_xlsx_libs.workbook_add_worksheet)
#define workbook_close (xf_xlsx_libs.workbook_close)
#define workbook_new_opt (xf_xlsx_libs.workbook_new_opt)
#define worksheet_freeze_panes (xf_xlsx_libs.worksheet_freeze_panes)
#define worksheet_set_column (xf_xlsx_libs.worksheet_set_column)
#define worksheet_write_datetime (xf_xlsx_libs.worksheet_write_datetime)
#define worksheet_write_number (xf_xlsx_libs.worksheet_write_number)
#define worksheet_write_string (xf_xlsx_libs.worksheet_write_string)
#endif

#endif

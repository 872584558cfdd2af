/* Printing a case's forms: values, encoding, destinations, and the record of every print. */
#ifndef XINFANG_PRINT_H
#define XINFANG_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xinfang/auth.h"
#include "xinfang/slip.h"
#include "xinfang/util.h"

/* Where the page goes. */
enum xf_print_dest {
	XF_PRINT_FILE,    /* a file (written whole, then renamed into place) */
	XF_PRINT_SPOOLER, /* a spooler queue: `lp -d QUEUE -t TITLE -`, run without a shell */
	XF_PRINT_CALLER,  /* the bytes are handed back (the screens send them to the terminal's printer) */
};

/* What the page is made of. */
enum xf_print_format {
	XF_FORMAT_AUTO = 0, /* PDF to a spooler (or the office's choice) and to a *.pdf file, else text */
	XF_FORMAT_PDF,      /* an A4 PDF page with ruled boxes and a CJK font */
	XF_FORMAT_TEXT,     /* the text page in the encoding, for dot-matrix printers on a raw queue */
};

/* What a print did, for the message that reports it. */
struct xf_print_report {
	char where[320]; /* "打印机 信访办", "文件 /tmp/a.pdf" */
	char job[128];   /* the spooler's job id ("信访办-12"), or "" */
	enum xf_print_format format;
};

struct xf_print_opts {
	const char *form;     /* "registration", "transfer" or "outcome" */
	const char *encoding; /* text: "GB18030", "UTF-8" or "GBK"; NULL the office's default (GB18030) */
	enum xf_print_dest dest;
	const char *target;   /* file path, or spooler queue (NULL or "": $XINFANG_PRINTER, else the office's
	                       * default queue, else the system's default printer) */
	struct xf_page page;
	const char *forms_dir; /* NULL: form_dir() */
	enum xf_print_format format;
	struct xf_print_report *report; /* filled when not NULL */
};

/* Printing preferences: the office's defaults (kept in the store), and each operator's last
 * choice at the desk. */
struct xf_print_prefs {
	char dest[16];     /* "printer", "terminal" or "file" */
	char queue[128];   /* spooler queue; "" the system's default printer */
	char format[8];    /* "pdf" or "text" */
	char encoding[16]; /* of text: "GB18030", "UTF-8" or "GBK" */
	char file[512];    /* the directory last printed to ("" none) */
	char line_end[8];  /* of text: "lf", or "crlf" for printers that want CR LF (PCL) */
};

/* The format named "pdf" or "text" (also PDF, 文本); XF_FORMAT_AUTO when unknown. */
enum xf_print_format print_format_parse(const char *name);
/* "pdf" or "text". */
const char *print_format_name(enum xf_print_format format);
/* The format a file gets from its name: PDF for *.pdf, else text. */
enum xf_print_format print_format_for_file(const char *path);
/* The format a file is written in at the desk: PDF for *.pdf, text for *.txt, else chosen. */
enum xf_print_format print_format_named(const char *path, enum xf_print_format chosen);
/* The defaults of the account's office (its branch, else the store's where the branch set
 * none): queue, format and encoding (dest "printer", no file). */
int print_office_prefs(struct xf_session *s, struct xf_print_prefs *out, struct xf_err *err);
/* The encoding (written into encoding) and format a print takes: the caller's, else the
 * office's for a spooler, the file name's for a file, text for the terminal, else PDF. */
int print_resolve(struct xf_session *s, const struct xf_print_opts *opts, char *encoding, size_t size,
                  enum xf_print_format *format, struct xf_err *err);
/* True when text pages end their lines in CR LF: $XINFANG_CRLF (1 or 0) when set, else the
 * office's line_end setting. */
bool print_wants_crlf(struct xf_session *s);
/* Turns every LF of encoded text (*bytes, *len; NUL-terminated) into CR LF. */
void print_crlf_apply(char **bytes, size_t *len);
/* The spooler's job title, ASCII so that queues naming files from it (cups-pdf) keep it whole:
 * "xinfang-<what>" (what: "2026-0001-registration", "stats-2026-01-01-2026-12-31"); a new
 * string. A number such as 2026年第0001号 is written 2026-0001. */
char *print_job_title(const char *number, const char *what);
/* Sets one default of the admin's office (their branch; the store's own branch's are the
 * defaults of every branch that set none): key "queue", "format", "encoding" or "line_end";
 * audited. */
int print_office_set(struct xf_session *s, const char *key, const char *value, struct xf_err *err);
/* The operator's last choice at the desk, else the office's defaults. */
int print_operator_prefs(struct xf_session *s, struct xf_print_prefs *out, struct xf_err *err);
/* Remembers the operator's choice for the next print. */
int print_operator_remember(struct xf_session *s, const struct xf_print_prefs *prefs, struct xf_err *err);
/* The queue a print goes to: the one asked for, else $XINFANG_PRINTER, else the office's
 * default; "" is the system's default printer. */
int print_queue(struct xf_session *s, const char *asked, char *out, size_t n, struct xf_err *err);
/* The printer queues of this host (lpstat -e; each a field whose key is the name) and the
 * system's default queue (lpstat -d; "" when none). */
int print_host_queues(struct xf_fields *queues, char *system_default, size_t n, struct xf_err *err);
/* What an empty queue means, as a phrase: "办公室默认打印机 信访办", "系统默认打印机 X". */
void print_default_queue_text(struct xf_session *s, char *out, size_t n);
/* One line that says where a print went: "已送打印机 信访办，作业 信访办-12". */
void print_report_text(const struct xf_print_report *report, char *out, size_t n);

/* The printable forms in order, ending with NULL: "registration", "transfer", "outcome". */
extern const char *const xf_print_forms[];
/* The paper name of a printable form ("信访转办单"), or the name itself when unknown. */
const char *print_form_title(const char *form);

/* The values a form prints for a case, by the form's keys. The transfer slip leaves the
 * petitioner's identity out when the case is confidential or the department is the one
 * complained about. */
int print_slip_values(struct xf_session *s, int64_t id, const char *form, struct xf_fields *out,
                      struct xf_err *err);
/* Lays the form out, encodes it, sends it to the destination and records the print (who,
 * when, which form, where, first print or 补打). With XF_PRINT_CALLER the encoded bytes are
 * returned in *bytes and the caller records the print once it has delivered it. */
int print_case(struct xf_session *s, int64_t id, const struct xf_print_opts *opts, struct xf_buf *bytes,
               struct xf_err *err);
/* Records a print that the caller delivered. */
int print_record(struct xf_session *s, int64_t id, const char *form, const char *destination,
                 const char *encoding, struct xf_err *err);
/* Sends bytes to a spooler queue with `lp` run without a shell (argv): `lp [-d QUEUE] -t TITLE
 * [-o raw] -`; raw for text, so a dot-matrix printer gets the bytes as they are. The job id lp
 * reports goes into job; a failure reports lp's exit status and what it wrote. */
int print_to_spooler(const char *queue, const char *title, bool raw, const char *bytes, size_t len, char *job,
                     size_t jobn, struct xf_err *err);
/* Writes the bytes to a file (a temporary beside it, then rename): a full disk leaves any
 * earlier file as it was. */
int print_to_file(const char *path, const char *bytes, size_t len, struct xf_err *err);
/* Refuses a file name that contradicts the page's format (fileperm_check_extension): a PDF
 * under .pdf (or no extension), text under .txt (or none); `what` names the page (" PDF 单据",
 * "文本单据"), text_advice what text is saved as. */
int print_check_file_name(const char *path, enum xf_print_format format, const char *what, const char *text_advice,
                          struct xf_err *err);

#endif

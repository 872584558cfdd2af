/* Printing a case's forms: values, encoding, destinations, and the record of every print. */
#ifndef XINFANG_PRINT_H
#define XINFANG_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include "xinfang/auth.h"
#include "xinfang/slip.h"
#include "xinfang/util.h"

/* Where the page goes. */
enum xf_print_dest {
	XF_PRINT_FILE,    /* a file (written whole, then renamed into place) */
	XF_PRINT_SPOOLER, /* a spooler command fed on its standard input, e.g. "lp -d 信访办" */
	XF_PRINT_CALLER,  /* the bytes are handed back (the screens send them to the terminal's printer) */
};

struct xf_print_opts {
	const char *form;     /* "registration", "transfer" or "outcome" */
	const char *encoding; /* "GB18030" (default), "UTF-8" or "GBK" */
	enum xf_print_dest dest;
	const char *target;   /* file path, or spooler command (default $XINFANG_PRINTER, else "lp") */
	struct xf_page page;
	const char *forms_dir; /* NULL: form_dir() */
};

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
/* Runs a spooler command with the bytes on its standard input; a failure reports its exit
 * status and what it wrote on stderr. */
int print_to_spooler(const char *command, const char *bytes, size_t len, struct xf_err *err);
/* Writes the bytes to a file (a temporary beside it, then rename): a full disk leaves any
 * earlier file as it was. */
int print_to_file(const char *path, const char *bytes, size_t len, struct xf_err *err);

#endif

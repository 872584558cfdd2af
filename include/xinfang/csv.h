/* CSV as Excel writes and reads it (RFC 4180): fields separated by commas, quoted when they hold
 * a comma, a quote or a line break, quotes doubled inside, records ended by CRLF (LF read too). */
#ifndef XINFANG_CSV_H
#define XINFANG_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include "xinfang/util.h"

/* A reader over text already in UTF-8. */
struct xf_csv {
	const char *p, *end;
	long line; /* the physical line the reader is on (1-based) */
};

/* One record: its fields NUL-terminated in buf, where they start, and its first line. */
struct xf_csv_record {
	char *buf;
	size_t len, cap;
	size_t *start;
	size_t n, ncap;
	long line;
};

/* Starts reading text (len bytes); a UTF-8 byte-order mark is skipped. */
void csv_init(struct xf_csv *c, const char *text, size_t len);
/* Reads the next record into r (reused between calls). Returns 1 for a record, 0 at the end,
 * or -1 with err naming the line where a quoted field was left open (r->line is that line,
 * r->n the field's number counting from 1). */
int csv_next(struct xf_csv *c, struct xf_csv_record *r, struct xf_err *err);
/* Field i of a record ("" past the last one). */
const char *csv_field(const struct xf_csv_record *r, size_t i);
/* True when every field of the record is empty (a blank line, or ",,,"). */
bool csv_record_blank(const struct xf_csv_record *r);
void csv_record_free(struct xf_csv_record *r);

/* Appends one field to a line being written, quoted when it must be. A field a spreadsheet
 * would run as a formula (it starts with = + - @ a tab or a CR, and is not a plain number such
 * as -12.5) is written after a single quote ' that keeps it text; so is one that already
 * starts with quotes before such a character, so that csv_unguard gives every field back. */
void csv_put_field(struct xf_buf *b, const char *s, bool first);
/* s without the guard: one leading ' taken off when the quotes lead to = + - @ a tab or a CR;
 * otherwise s itself. Returns a pointer into s. */
const char *csv_unguard(const char *s);
/* Ends a record with CRLF. */
void csv_end_record(struct xf_buf *b);
/* The spreadsheet's name of column i (0 = "A", 26 = "AA") into out[8]. */
void csv_column_name(size_t i, char out[8]);

#endif

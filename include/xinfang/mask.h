/* Confidentiality and recusal: the one rule deciding what a reader may see of a case and who
 * must stand aside from it. Every output that can reach a handler goes through it.
 *
 * A "case row" here is the cases table's row as fields (confidential, subject, accused,
 * summary, department ...), as store_get("cases") returns it. */
#ifndef XINFANG_MASK_H
#define XINFANG_MASK_H

#include <stdbool.h>
#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* What replaces a withheld value. */
#define XF_MASKED "（保密）"

/* A name made comparable: NFKC, every whitespace and invisible separator of every width
 * removed, letters case-folded, traditional characters folded to simplified (ICU's
 * Traditional-Simplified: 歐陽 reads as 欧阳). A new string ("" for invalid UTF-8, and when
 * ICU cannot be loaded). */
char *mask_normalize(const char *s);
/* True when the normalised text contains the normalised name; a name of fewer than two
 * characters after normalising never matches (one character names nobody). */
bool mask_text_names(const char *text, const char *name);
/* True when the case (subject, accused or summary) names `person`: a full name anywhere in
 * them, or an account or name that is one of the accused field's entries. */
bool mask_case_names(const struct xf_fields *case_row, const char *person);

/* True when the session's operator is named in the case by full name or account name: such
 * a person may make no move on it, whatever their role. */
bool mask_recused(const struct xf_session *s, const struct xf_fields *case_row);
/* Refuses (XF_EDENIED, naming the person) when the session's operator is recused from the
 * case, or when `person` (a name typed into a move, e.g. the 承办人; NULL or "" for none) is
 * named in it. `what` is the act refused ("批转"). */
int mask_check_recusal(const struct xf_session *s, const struct xf_fields *case_row, const char *person,
                       const char *what, struct xf_err *err);

/* True when the department is named in the case (the unit complained about). */
bool mask_names_department(const struct xf_fields *case_row, const char *department);
/* The department rule: false when the case is confidential or names one of `departments`
 * (one name, or several separated by 、 , ； / or spaces: a lead department and its
 * co-departments). Nobody in such a department may see the petitioner's identity. */
bool mask_department_may_see(const struct xf_fields *case_row, const char *departments);
/* True when this reader may see the petitioner's identity on this case: always, except for a
 * handler whose department may not see it (mask_department_may_see) or whom the case
 * names. */
bool mask_may_see_identity(const struct xf_session *s, const struct xf_fields *case_row);

/* Withholds from `out` what the reader may not see of the case described by case_row:
 * identity values (name, id_number, phone, address, work_unit), the document type and the
 * gender and age derived from the document become （保密）, and in every other value any words that name
 * the petitioner (the values of `petitioner`'s identity keys) are replaced by （保密）.
 * Nothing changes when mask_may_see_identity(). */
void mask_apply(const struct xf_session *s, const struct xf_fields *case_row, const struct xf_fields *petitioner,
                struct xf_fields *out);
/* Withholds from the values of a page that leaves the office for `departments` (the
 * transfer slip, the outcome report) what those departments may not see, whoever prints it:
 * when `withhold_anyway` (the transfer said so) or mask_department_may_see() is false, every
 * identity box present in `out` reads （保密）, even an empty one, and every word of every other
 * value that names the petitioner (name, phone, ID number, address, work unit, in either
 * script, however the digits are written) is replaced by （保密）. Reads the case and its
 * petitioner from the store. */
int mask_outgoing(struct xf_session *s, int64_t case_id, const char *departments, bool withhold_anyway,
                  struct xf_fields *out, struct xf_err *err);
/* The same for any fields about one case that carry its "id" (or its "number"): reads the
 * case and its petitioner from the store when masking is due. For list rows, search hits and
 * exports built outside case.c. A row naming no case is masked whole when the reader is a
 * handler. */
int mask_case_fields(struct xf_session *s, struct xf_fields *case_fields, struct xf_err *err);
/* Rows all about one case (its records, its history: keys need not be the registration's)
 * masked for this reader, the case read once. */
int mask_rows_of_case(struct xf_session *s, int64_t case_id, struct xf_rows *rows, struct xf_err *err);
/* mask_case_fields over every row. */
int mask_case_rows(struct xf_session *s, struct xf_rows *rows, struct xf_err *err);

#endif

/* The ledger's queries: every case of a period in one pass, and a writer that keeps its
 * prepared statements for a long import (src/core/store_ledger.c). */
#ifndef XINFANG_STORE_LEDGER_H
#define XINFANG_STORE_LEDGER_H

#include <stdint.h>
#include "xinfang/store.h"
#include "xinfang/util.h"

/* Called once per case with the column names and values (text, "" for none); a non-zero
 * return stops the scan and is returned. */
typedef int (*xf_ledger_row_fn)(void *ctx, int ncols, const char *const *names, const char *const *values);

/* Counts the cases in reach (NULL: the whole store) received in [since, until] (either NULL
 * for an open end), of one department (NULL: all). */
int store_ledger_count(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                       const char *department, long *count, struct xf_err *err);
/* Every case in reach received in [since, until], by receipt date then number, with its first petitioner,
 * its latest transfer, instruction, outcome, reply and closing record and the numbers it is
 * linked to. Columns: number received received_time channel name gender age id_number phone
 * id_type address work_unit people anonymous confidential subject accused category amount summary materials
 * first_asked receiver importance spot_answer jrt_channel jrt_type jrt_cause state closure
 * department co_departments transfer_handler instruction leader instructed_on opinion deadline
 * transferred_on findings accountability rectification satisfaction handled_on outcome_handler
 * dept_head contact_phone reported_on reply_method replied_on reply_content closed_on
 * closure_reason advice voluntary due_transfer due_handle due_reply orig_due_handle
 * orig_due_reply ruleset due_estimated links created_by created_at branch (its id). */
int store_ledger_scan(struct xf_store *st, const struct xf_reach *reach, const char *since, const char *until,
                      const char *department, xf_ledger_row_fn fn, void *ctx, struct xf_err *err);

/* A writer for many rows in the caller's transaction. */
struct xf_bulk;
int store_bulk_open(struct xf_store *st, struct xf_bulk **out, struct xf_err *err);
/* Inserts a row into a known table (columns checked against the table once per shape). */
int store_bulk_insert(struct xf_bulk *b, const char *table, const struct xf_fields *cols, int64_t *rowid,
                      struct xf_err *err);
/* The id of a branch's case year/seq, or 0 when there is none. */
int store_bulk_case_id(struct xf_bulk *b, int64_t branch, int year, int seq, int64_t *id, struct xf_err *err);
/* The last number a branch gave in a year (0 when none). */
int store_bulk_last_seq(struct xf_bulk *b, int64_t branch, int year, int *last, struct xf_err *err);
/* Raises a branch's number sequence of a year to at least seq (imported numbers are never
 * given again). */
int store_bulk_raise_seq(struct xf_bulk *b, int64_t branch, int year, int seq, struct xf_err *err);
/* Ends the writer after its transaction; fails only when the index could not be kept again. */
int store_bulk_close(struct xf_bulk *b, struct xf_err *err);
/* Before the writer's commit: what it set aside for the transaction counted and put back. */
int store_bulk_finish(struct xf_bulk *b, struct xf_err *err);

#endif

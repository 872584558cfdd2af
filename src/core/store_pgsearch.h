/* The store's searches and the keeping of its text index on PostgreSQL (store_pgsearch.c), and
 * the result columns both backends' searches return (store_search.c on SQLite). Private to the
 * store's files. */
#ifndef XINFANG_STORE_PGSEARCH_H
#define XINFANG_STORE_PGSEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "xinfang/store.h"

/* The columns every search returns, from cases c, the first petitioner p and the index row ROW. */
#define RESULT_COLUMNS(ROW)                                                                                             \
	"c.id, c.number, c.received, c.state, c.category, c.channel, c.department, c.importance, "                   \
	XF_LIST_NAME ", "                                                                                     \
	"c.confidential, c.subject, c.accused, c.summary, " ROW " AS search_row "
/* What the mask's rule reads of a row (mask_may_see_identity), and the index row. */
#define LEAN_COLUMNS(ROW) "c.id, c.confidential, c.subject, c.accused, c.summary, " ROW " AS search_row "

/* Keeps the index from now on when the database has the triggers that note changed cases
 * (version 16), cutting at once the cases already waiting (a write from outside the program,
 * a migration); *ready is set when it is kept. */
int store_pgsearch_attach(struct xf_store *st, bool *ready, struct xf_err *err);
/* Cuts again, in the open transaction, every case noted as changed: their old rows of the
 * index go, their texts are read through search_source and written as new rows and tokens. */
int store_pgsearch_flush(struct xf_store *st, struct xf_err *err);
/* The same, thousands of cases at a time with their tokens written in the token index's order
 * (a push leaves the index waiting, then cuts its cases at once by this). */
int store_pgsearch_flush_sorted(struct xf_store *st, struct xf_err *err);
/* store_search and store_search_count on PostgreSQL (the same rows in the same order). */
int store_pgsearch_cases(struct xf_store *st, const struct xf_search_sql *q, struct xf_rows *out, struct xf_err *err);
int store_pgsearch_count(struct xf_store *st, const struct xf_search_sql *q, long *count, struct xf_err *err);
/* Adds to the rows that have none their cases' indexed texts (texts, people, numbers) from
 * search_source, by one statement. */
int store_pgsearch_rows_source(struct xf_store *st, struct xf_fields *rows, size_t n, struct xf_err *err);

#endif

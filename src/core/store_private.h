/* What the store's files (store.c, store_search.c, store_report.c) share and nothing else sees. */
#ifndef XINFANG_STORE_PRIVATE_H
#define XINFANG_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stdbool.h>

#include "xinfang/store.h"

/* The SQLite connection of a store. */
sqlite3 *store_sqlite(struct xf_store *st);
/* Turns an SQLite failure into a message a clerk can act on. */
int store_sql_fail(struct xf_store *st, int rc, struct xf_err *err, const char *what);
/* Prepares a statement or reports why not. */
int store_sql_prepare(struct xf_store *st, const char *sql, sqlite3_stmt **stmt, struct xf_err *err);
/* Runs SQL with no results. */
int store_sql_exec(struct xf_store *st, const char *sql, struct xf_err *err, const char *what);
/* Steps a statement to its end, collecting every row as fields; finalizes it. */
int store_sql_collect(struct xf_store *st, sqlite3_stmt *stmt, struct xf_rows *out, struct xf_err *err);

/* The flag telling whether this connection keeps the text index. */
bool *store_search_ready(struct xf_store *st);
/* Registers the text index's tokenizer on a new connection, and attaches to the index. */
int store_search_open(struct xf_store *st, struct xf_err *err);
/* Once the index exists (schema 8): notes every change to a case's texts in this connection. */
int store_search_attach(struct xf_store *st, struct xf_err *err);
/* Re-indexes the cases changed in the open transaction (called by store_commit). */
int store_search_flush(struct xf_store *st, struct xf_err *err);

#endif

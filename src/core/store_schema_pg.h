/* The schema check of a PostgreSQL store (store_schema_pg.c), called by store_schema.c. */
#ifndef XINFANG_STORE_SCHEMA_PG_H
#define XINFANG_STORE_SCHEMA_PG_H

#include "xinfang/store.h"

/* Compares the store's tables (columns, constraints), indexes, views, triggers and their
 * functions with what data/schema/pg's migrations build: faults as store_schema_check's. */
int store_schema_check_pg(struct xf_store *st, struct xf_rows *faults, long *expected, struct xf_err *err);

#endif

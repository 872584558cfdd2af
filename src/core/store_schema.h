/* The schema the compiled-in migrations build (store_schema_build.c) and its copy made at
 * build time (tools/schema_expected_gen.c writes schema_expected.c): a start compares the store
 * with the copy instead of running every migration again. */
#ifndef XINFANG_STORE_SCHEMA_H
#define XINFANG_STORE_SCHEMA_H

#include <stddef.h>

#include "store_db.h"
#include "xinfang/store.h"

/* One object of the schema as SQLite records it: its type, name and SQL text. */
struct xf_schema_object {
	const char *type, *name, *sql;
};

/* The objects the migrations leave, by name, made at build time, and the SQLite version that
 * made them (SQLite may write an object's text differently in another version). */
extern const struct xf_schema_object xf_expected_schema[];
extern const size_t xf_expected_schema_count;
extern const char xf_expected_schema_sqlite[];

/* Reads type, name and SQL of every object of a connection's main database, by name (SQLite's
 * own autoindexes and statistics left out). */
int store_schema_read(struct xf_db *db, struct xf_rows *out, struct xf_err *err);
/* Runs every compiled-in migration, in order, into a scratch in-memory SQLite database and reads
 * the schema they leave (store_schema_read's rows). */
int store_schema_build(struct xf_rows *out, struct xf_err *err);
/* Adds one schema problem (type, name, problem: missing, changed or extra) to faults. */
void store_schema_add_fault(struct xf_rows *faults, const char *type, const char *name, const char *problem);
/* The SQLite version this program runs on. */
const char *store_schema_sqlite_version(void);

#endif

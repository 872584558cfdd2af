/* What the store's files (store.c, store_search.c, store_report.c, store_chain*.c) share and nothing else sees. */
#ifndef XINFANG_STORE_PRIVATE_H
#define XINFANG_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store_db.h"
#include "xinfang/store.h"

/* The SQLite connection of a store (its native handle, while files are moved onto the seam). */
sqlite3 *store_sqlite(struct xf_store *st);
/* The store's connection through the storage seam (store_db.h). */
struct xf_db *store_db(struct xf_store *st);
/* Turns an SQLite failure into a message a clerk can act on. */
int store_sql_fail(struct xf_store *st, int rc, struct xf_err *err, const char *what);
/* The text of an INSERT of cols into table, values bound as ?1, ?2 ... in order. */
void store_insert_sql(struct xf_buf *sql, const char *table, const struct xf_fields *cols);
/* One limit's recount for pending_counts as a SELECT of (kind, scope, department, due, n) over
 * the cases numbered after after_id (a new string). */
char *store_pending_recount_sql(int kind, int scope, bool all, long long after_id);

/* The same helpers on the storage seam (store_db.h), for the files moved onto it; the sqlite3_*
 * ones above go when no file uses them. Inline here, so a file can move before store.c does. */

/* Turns the connection's last failure into a message a clerk can act on (what: the task). */
static inline int store_db_fail(struct xf_store *st, struct xf_err *err, const char *what)
{
	return xf_db_fail(store_db(st), err, what);
}

/* Prepares a statement or reports why not ("数据库查询"). */
static inline int store_db_prepare(struct xf_store *st, const char *sql, struct xf_db_stmt **stmt, struct xf_err *err)
{
	return xf_db_prepare(store_db(st), sql, stmt, err);
}

/* Runs SQL with no parameters and no results. */
static inline int store_db_exec(struct xf_store *st, const char *sql, struct xf_err *err, const char *what)
{
	return xf_db_exec(store_db(st), sql, err, what);
}

/* Copies the current row of a statement into fields (NULL as ""). */
static inline void store_db_row_fields(struct xf_db_stmt *stmt, struct xf_fields *f)
{
	fields_init(f);
	int n = xf_db_column_count(stmt);
	for (int i = 0; i < n; i++) {
		const char *v = xf_db_column_text(stmt, i);
		fields_add(f, xf_db_column_name(stmt, i), v ? v : "");
	}
}

/* Steps a statement to its end, collecting every row as fields; finalizes it. */
static inline int store_db_collect(struct xf_store *st, struct xf_db_stmt *stmt, struct xf_rows *out,
                                   struct xf_err *err)
{
	size_t cap = 0;
	out->v = NULL;
	out->n = 0;
	enum xf_db_step step;
	while ((step = xf_db_step(stmt)) == XF_DB_ROW) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xrealloc(out->v, cap * sizeof *out->v);
		}
		store_db_row_fields(stmt, &out->v[out->n++]);
	}
	xf_db_finalize(stmt);
	if (step != XF_DB_DONE) {
		rows_free(out);
		return store_db_fail(st, err, "读取数据");
	}
	return XF_OK;
}

/* Steps a statement that returns no rows once and finalizes it; its failure said as what. */
static inline int store_db_run(struct xf_store *st, struct xf_db_stmt *stmt, struct xf_err *err, const char *what)
{
	enum xf_db_step step = xf_db_step(stmt);
	xf_db_finalize(stmt);
	return step == XF_DB_DONE ? XF_OK : store_db_fail(st, err, what);
}

/* The flag telling whether this connection keeps the text index. */
bool *store_search_ready(struct xf_store *st);
/* Room for the text index's prepared statements, finalized when the store closes. */
enum { XF_SEARCH_STMTS = 9 };
sqlite3_stmt **store_search_stmts(struct xf_store *st);
/* Registers the text index's tokenizer on a connection (also a scratch one). */
int store_search_tokenizers(sqlite3 *db, struct xf_err *err);
/* Registers the text index's tokenizer on a new connection, and attaches to the index. */
int store_search_open(struct xf_store *st, struct xf_err *err);
/* Once the index exists (schema 8): notes every change to a case's texts in this connection. */
int store_search_attach(struct xf_store *st, struct xf_err *err);
/* Re-indexes the cases changed in the open transaction (called by store_commit). */
int store_search_flush(struct xf_store *st, struct xf_err *err);
/* Bulk writing: the index's insert triggers dropped, cases noted by the writer, triggers back. */
int store_search_bulk_begin(struct xf_store *st, struct xf_err *err);
int store_search_note(struct xf_store *st, struct xf_db_stmt **stmt, int64_t case_id, struct xf_err *err);
int store_search_bulk_end(struct xf_store *st, struct xf_err *err);

/* A list's petitioner column: the first petitioner's name, or （匿名） for an anonymous item
 * (which has none), as cases c joined to their first petitioner p. */
#define XF_LIST_NAME "CASE WHEN c.anonymous <> 0 AND coalesce(p.name, '') = '' THEN '（匿名）' ELSE coalesce(p.name, '') END AS name"

/* Copying between backends (store_copy.c). */
/* Copies every record of from into the empty store to (brought to from's schema version), *rows
 * counting the rows copied; XF_EEXIST when to already holds records. */
int store_copy_into(struct xf_store *from, struct xf_store *to, long *rows, struct xf_err *err);
/* Binds column col of from's current row as parameter param of to, by the value's own type. */
void store_copy_bind_value(struct xf_db_stmt *to, int param, struct xf_db_stmt *from, int col);
/* Backs a PostgreSQL store up into a new SQLite file (never replacing one). */
int store_backup_rows(struct xf_store *st, const char *path, struct xf_err *err);
/* Restores an SQLite backup into the new, empty PostgreSQL database the locator names. */
int store_restore_rows(struct xf_store *backup, const char *locator, struct xf_err *err);

/* The audit chain (store_chain*.c, store_backup.c). */
/* The schema version that brings the audit chain (data/schema/005_audit_chain.sql). */
#define XF_CHAIN_SCHEMA 5

struct xf_chain;

/* Where the store keeps its audit chain state. */
struct xf_chain **store_chain_slot(struct xf_store *st);

/* Starts keeping the chain's state; a store that passed schema version 5 without it (made by a
 * build holding later migrations only) gets it now, sealed. */
int store_chain_attach(struct xf_store *st, struct xf_err *err);
/* Stops noting and frees the state. */
void store_chain_detach(struct xf_store *st);
/* Notes a row of table the write path just wrote (inserted, updated or deleted), so its
 * snapshot goes into the audit record that commits with it; a table kept whole is noted as
 * such whatever rowid says (number_seq, kept whole per branch: rowid is the branch, 0 branch
 * 1). Every write to a covered table calls it (no update hook). */
void store_chain_note(struct xf_store *st, const char *table, int64_t rowid);
/* Notes every row of each covered table a script (a migration) writes. */
int store_chain_note_script(struct xf_store *st, const char *sql, struct xf_err *err);
/* Whether a covered table's column is an INTEGER one (not its id), with its declared default
 * in *dflt (NULL: none): where a writer gives '' ("no value") the store writes that default. */
bool store_chain_blank_integer(struct xf_store *st, const char *table, const char *column, const char **dflt);
/* Forgets the rows noted so far (a transaction begins or was rolled back). */
void store_chain_forget(struct xf_store *st);
/* Holds the canonical JSON of the row just inserted and noted, built from the text values it was
 * inserted with (the import's rows), so its snapshot is not read back through SQL. */
void store_chain_hold_row(struct xf_store *st, const char *table, int64_t rowid, const struct xf_fields *cols);
/* Writes the rows noted since the last audit record into a record of their own ("write"),
 * inside the open transaction; nothing when no row is pending. */
int store_chain_flush(struct xf_store *st, struct xf_err *err);
/* Appends one chained audit record with the snapshots of the noted rows. */
int store_chain_append(struct xf_store *st, const char *op, const char *action, int64_t case_id,
                       const char *before_json, const char *after_json, struct xf_err *err);
/* Seals an upgraded store: hashes every earlier record into the chain and snapshots every row
 * (inside the migration's transaction). */
int store_chain_seal(struct xf_store *st, struct xf_err *err);
/* Takes the audit chain head's lock to the commit (PostgreSQL; nothing on SQLite): for a
 * migration, which no writer's commit and no other migration may overlap. */
int store_chain_lock_head(struct xf_store *st, struct xf_err *err);
/* A write outside any transaction gets one of its own, so its audit record commits with it:
 * *own says whether this call began it. */
int store_chain_auto_begin(struct xf_store *st, const char *table, bool *own, struct xf_err *err);
/* Ends what store_chain_auto_begin began: commits (with the audit record) when rc is XF_OK,
 * else rolls back; returns rc or the commit's failure. */
int store_chain_auto_end(struct xf_store *st, bool own, int rc, struct xf_err *err);

#endif

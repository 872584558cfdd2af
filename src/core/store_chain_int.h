/* What the audit chain's files (store_chain.c, store_chain_schema.c, store_chain_walk.c,
 * store_chain_json.c, store_chain_check.c, store_backup.c) share and nothing else sees: the
 * covered tables, the chain's state of a store, and the helpers more than one of them calls. */
#ifndef XINFANG_STORE_CHAIN_INT_H
#define XINFANG_STORE_CHAIN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store_db.h"
#include "store_private.h"
#include "xinfang/store_chain.h"
#include "xinfang/util.h"

/* A table the snapshots cover; a small reference table is snapshotted whole, in key order.
 * number_seq is kept whole per branch: every registration raises one branch's row, and a
 * snapshot of the whole table (one row per branch and year) would put every branch's rows
 * into every registration's record (about 250 kB at a head office of 1,000 branches), built
 * inside the write transaction; and on PostgreSQL a writer of one branch reading the whole
 * table can miss another branch's concurrent increment, so the newest snapshot could
 * disagree with the table. Per branch, a writer snapshots only the rows its own transaction
 * raised (its branch's row is locked by its own UPDATE), so the newest snapshot of each
 * branch is the branch's rows as committed. Noting such a table carries the branch as its
 * rowid (0: branch 1); its snapshot key is the table's name for branch 1 (a one-office store's
 * whole table is branch 1's rows: its records look as they always did) and "name@<branch>"
 * for the others, each the array of that branch's rows in key order. */
struct tracked {
	const char *table;
	const char *whole_order; /* NULL: one snapshot per row, keyed by id */
	bool per_branch;         /* kept whole per branch (its "branch" column; from schema 17) */
};

/* How many tables the snapshots cover (chain_tracked_tables' entries; checked where it is defined). */
enum { NTRACKED = 28 };

/* The tables the snapshots cover, in the order a snapshot lists their rows (store_chain.c). */
extern const struct tracked chain_tracked_tables[];

/* A row written since the last audit record (rowid 0 for a whole table), with its canonical
 * JSON when the writer built it from the values it wrote (NULL: read through SQL). */
struct touched {
	int table;
	int64_t rowid;
	char *json;
};

/* How a row's canonical JSON renders one column: its name, and the value of its declared
 * default (a column holding it is left out); for rows built from the text values they were
 * inserted with (store_chain_hold_row), whether it is the rowid, its affinity, and its default
 * as such a row would hold it. */
struct held_column {
	char *name;
	bool rowid;    /* INTEGER PRIMARY KEY */
	bool integer;  /* INTEGER affinity (else TEXT) */
	char *dflt;    /* NULL: no default */
	enum xf_db_type dtype; /* the default's value as SQL gives it (XF_DB_NULL: none) */
	char *dtext;           /* ... as text */
	int64_t dint;
	double dnum;
};

/* A table's columns; usable false (for held rows) when some column is neither INTEGER nor
 * TEXT or has a default that is not a plain literal (then those rows are read back). */
struct held_table {
	struct held_column *v;
	int n;
	bool usable;
	char *select; /* t."a", t."b" ... in table order, for reading rows of main."table" t */
	char *key;    /* the rowid's column, quoted ("rowid" when it has none) */
};

/* Statements every record uses, prepared once per schema. */
enum { S_COOKIE, S_LAST, S_INSERT, S_LOCK, S_ROW, S_COUNT = S_ROW + NTRACKED };

/* A record held for the commit on PostgreSQL (store_chain.c). */
struct deferred;

/* The chain's state of one store: the rows noted, the statements and column lists cached for
 * the schema, the records held for the commit. */
struct xf_chain {
	struct xf_db_stmt *stmts[S_COUNT];
	struct touched *v;
	size_t n, cap;
	char actor[64];          /* the operator of the latest record, for "write" records */
	int schema_cookie;       /* PRAGMA schema_version the cached SQL below was built for */
	uint64_t checked_epoch;  /* the transaction (xf_db_epoch) in which that was last checked, 0: none */
	bool has_chain_columns;  /* the audit table has wall, snapshot and hash */
	bool has_branch_column;  /* ... and branch (schema version 17) */
	int64_t branch;          /* the branch the next records belong to (0: the store's own, 1) */
	struct held_table held[NTRACKED]; /* each covered table's columns (n 0: not covered) */
	struct xf_fields *defaults[NTRACKED]; /* each column's declared default, read when first needed */
	struct deferred *later; /* PostgreSQL: the transaction's records, written at its commit */
	size_t nlater, caplater;
};

/* The fields of one audit record as the chain hashes them. */
struct record {
	int64_t id;
	const char *at, *wall, *op, *action, *case_id, *before, *after, *snapshot, *hash;
	int64_t branch; /* the branch the record belongs to (1: the store's own) */
};

/* The chain's state, rows noted, statements (store_chain.c). */
/* Index of a tracked table, -1 when the trail does not cover it. */
int chain_tracked_index(const char *table);
/* Empties the list of noted rows. */
void chain_forget_touched(struct xf_chain *c);
/* A statement of a slot, prepared on first use; NULL when it cannot be prepared. */
struct xf_db_stmt *chain_cached(struct xf_store *st, int slot, const char *sql);
/* Makes a cached statement ready for its next use (and lets go of its read lock). */
void chain_done(struct xf_db_stmt *stmt);
/* Prepares a statement of one use; NULL when it cannot be prepared. */
struct xf_db_stmt *chain_prepare(struct xf_store *st, const char *sql);
/* Reports a failure of the chain's own statements. */
int chain_fail(struct xf_store *st, const char *what, struct xf_err *err);
/* Text of a column, "" for NULL. */
const char *chain_col_text(struct xf_db_stmt *stmt, int i);

/* The covered tables' columns (store_chain_schema.c). */
/* Drops the cached column lists and the statements built on them (from `from` on). */
void chain_forget_exprs(struct xf_chain *c, int from);
/* Whether a text is an integer as SQLite writes one back (no sign but -, no leading zero, at
 * most 18 digits): stored in an INTEGER column it reads back as the same digits. */
bool chain_canonical_integer(const char *v);
/* The schema a table is read from in the chain's SQL: SQLite's main (never a TEMP table of
 * the same name), PostgreSQL's current schema. */
const char *chain_main_schema(struct xf_store *st);
/* The declared default of the current row of a chain_table_info_sql statement (column 1), as
 * SQLite's catalogue writes it; NULL when there is none. A new string. */
char *chain_info_default(struct xf_store *st, struct xf_db_stmt *stmt);
/* Rebuilds the cached column lists when the schema changed (a migration, here or in another
 * process), from the backend's catalogue (chain_table_info_sql). */
int chain_refresh_schema(struct xf_store *st, struct xf_err *err);
/* A column's declared default as the text a row would hold ('' -> empty, 0 -> "0"). */
char *chain_default_text(const char *dflt);
/* A table's columns as SQLite's pragma_table_info gives them (name, declared default, type, place
 * in the primary key), on either backend: one statement per dialect, ?1 the table. */
extern const char *const chain_table_info_sql[];

/* The record hash and its walk (store_chain_walk.c). */
/* SHA-256 over the previous hash and the record's content, as 64 lowercase hex digits. */
void chain_record_hash(const char *prev, const struct record *r, char out[65]);
/* Prepares a reading of the records with ?1 bound to the last one to believe. */
int chain_prepare_upto(struct xf_store *st, const char *sql, int64_t upto, struct xf_db_stmt **stmt, struct xf_err *err);

/* Canonical row JSON and the snapshots (store_chain_json.c). */
/* Appends the canonical JSON of the current row of stmt, whose columns from `first` on are the
 * table's in table order: an object of the columns in table order, each one NULL or holding
 * its declared default left out, integers and floats as SQLite writes them, texts escaped as
 * SQLite escapes them. The same bytes as SQLite's json_patch('{}', json_object('a',
 * NULLIF("a", default) ...)) that built the snapshots before, so older stores still verify. */
void chain_stmt_row_json(struct xf_db *db, struct xf_db_stmt *stmt, int first, const struct held_table *h, struct xf_buf *b);
/* Whether a table kept whole per branch has its branch column (schema version 17 on): before
 * it, its whole table is branch 1's. */
bool chain_split_by_branch(const struct xf_chain *c, int t);
/* The snapshot key of a table kept whole (per branch: "number_seq" for branch 1, else
 * "number_seq@<branch>"). */
void chain_whole_key(int t, int64_t branch, char *out, size_t size);
/* Appends the JSON array of a whole table's rows (of one branch, for a table kept whole per
 * branch), in key order. */
int chain_whole_table_json(struct xf_store *st, int t, int64_t branch, struct xf_buf *b, struct xf_err *err);
/* Appends one row's canonical JSON, or null when the row is gone. */
int chain_one_row_json(struct xf_store *st, int t, int64_t rowid, struct xf_buf *b, struct xf_err *err);
/* The snapshot object of the noted rows ({"cases:12":{...},"settings":[...],"number_seq@3":[...]});
 * empties the list. */
int chain_snapshot_json(struct xf_store *st, char **out, struct xf_err *err);

#endif

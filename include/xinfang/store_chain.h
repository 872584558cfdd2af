/* The store's side of the tamper-evident audit trail: reading the chain, replaying the row
 * snapshots against the tables, the triggers and integrity, and online backup and restore. */
#ifndef XINFANG_STORE_CHAIN_H
#define XINFANG_STORE_CHAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "xinfang/store.h"
#include "xinfang/util.h"

/* The newest record of the chain: its id and hash (64 hex digits). */
struct xf_chain_head {
	int64_t id;
	char hash[65];
};

enum xf_chain_fault {
	XF_CHAIN_OK,
	XF_CHAIN_GAP,     /* a record is missing: ids jump (a record was deleted) */
	XF_CHAIN_NOHASH,  /* a record without a hash after the chain began (not written by xinfang) */
	XF_CHAIN_BADHASH, /* the hash does not match the record's content and its predecessor */
};

/* What walking the chain found. */
struct xf_chain_walk {
	int64_t records;           /* records read */
	struct xf_chain_head head; /* the last record read */
	enum xf_chain_fault fault;
	int64_t fault_id;    /* the first bad record */
	int64_t missing_id;  /* XF_CHAIN_GAP: the first id that is missing */
	int64_t outside;     /* records numbered below 1: no chain reaches them (whatever the walk's start) */
	int64_t outside_id;  /* the highest of them */
	int64_t skewed;      /* records read whose business time is not their wall time (a set date) */
	int64_t skewed_id;   /* the first of them, with its two times */
	char skewed_at[24], skewed_wall[40];
};

/* The branch the records appended from now on belong to (1, the store's own, at first). */
void store_chain_set_branch(struct xf_store *st, int64_t branch);
int64_t store_chain_branch(struct xf_store *st);
/* Walks the audit records from from_id (1: all) in order, recomputing each hash; stops at the
 * first fault. From a later id the walk starts from the stored hash of the record before.
 * Records numbered below 1 are counted apart: no chain reaches them. */
int store_chain_walk(struct xf_store *st, int64_t from_id, struct xf_chain_walk *out, struct xf_err *err);
/* The newest record (id 0 when there are none). */
int store_chain_last(struct xf_store *st, struct xf_chain_head *head, struct xf_err *err);
/* One record's stored hash and the hash its content gives over the stored hash of the record
 * before it; *found false when there is no record of that id. */
int store_chain_record(struct xf_store *st, int64_t id, char stored[65], char computed[65], bool *found,
                       struct xf_err *err);

/* The kind of store (production or training) as its own trail fixed it. */
struct xf_chain_kind {
	int64_t fixed_id;   /* the record that fixed it: the init record, else the first record with a
	                       snapshot of the training setting; 0 when none says (a store from before
	                       training stores: production) */
	bool training;
	int64_t changed_id; /* the first record whose snapshot of the setting says otherwise; 0 none */
	char changed_value[16];
};
/* Reads the kind of store from the records 1 to upto; with whole false only from the init
 * record (cheap: the desk's start), leaving changed_id 0. */
int store_chain_kind(struct xf_store *st, int64_t upto, bool whole, struct xf_chain_kind *out, struct xf_err *err);

/* A row that does not equal the replay of the audit trail. */
struct xf_row_fault {
	const char *table;
	const char *key;      /* "cases:12", or the table name for a small table kept whole */
	int64_t audit_id;     /* the newest audit record with a snapshot of it; 0 when none has one */
	const char *current;  /* the row now as JSON (a JSON array for a whole table); NULL when gone */
	const char *recorded; /* the row as recorded; NULL when none, or recorded as deleted */
	struct xf_fields was; /* the columns that differ: their recorded values ... */
	struct xf_fields now; /* ... and their values now (whole tables: rows under the key "行") */
};
/* Called for each row that differs; return false to stop. */
typedef bool (*xf_row_fault_fn)(void *ctx, const struct xf_row_fault *f);
/* Compares every row of the tables the trail covers with its newest snapshot in the records 1
 * to upto (the ones the chain walk proved; a record outside them is never believed); *rows
 * counts the rows compared. */
int store_chain_rows_check(struct xf_store *st, int64_t upto, xf_row_fault_fn fn, void *ctx, long *rows,
                           struct xf_err *err);
/* The tables the snapshots cover, NULL-terminated. */
const char *const *store_chain_tables(void);
/* The canonical JSON of one row of a covered table as its next snapshot would hold it (for a
 * table kept whole, the array of all its rows; rowid is then unused; for number_seq, kept
 * whole per branch, the array of branch rowid's rows, 0 meaning branch 1); "null" when the
 * row is gone. A new string. */
int store_chain_row_json(struct xf_store *st, const char *table, int64_t rowid, char **out, struct xf_err *err);

/* Tables, indexes, views and triggers that differ from the ones the compiled-in migrations
 * create (run into a scratch in-memory database, once per process): rows of type (table,
 * index, view, trigger), name and problem (missing, changed, extra); *expected counts the
 * objects the migrations create. SQLite's own objects (sqlite_*) are left out. */
int store_schema_check(struct xf_store *st, struct xf_rows *faults, long *expected, struct xf_err *err);
/* PRAGMA integrity_check: *problem NULL when the file is sound, else its first complaint. */
int store_integrity(struct xf_store *st, char **problem, struct xf_err *err);
/* Starts and ends one read transaction, so every check sees the same moment while desks write. */
int store_read_begin(struct xf_store *st, struct xf_err *err);
void store_read_end(struct xf_store *st);

/* Copies the store into a new file at path (created 0600, never overwritten) with SQLite's
 * online backup, while other desks keep working. */
int store_backup(struct xf_store *st, const char *path, struct xf_err *err);
/* Replaces the store's contents with the file at path (online backup into the open store). */
int store_restore(struct xf_store *st, const char *path, struct xf_err *err);

#endif

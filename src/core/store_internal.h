/* What the store's files share among themselves (never included outside src/core/store*.c). */
#ifndef XINFANG_STORE_INTERNAL_H
#define XINFANG_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "xinfang/store.h"

/* The schema version that brings the audit chain (data/schema/005_audit_chain.sql). */
#define XF_CHAIN_SCHEMA 5

struct xf_chain;

/* The SQLite connection of a store. */
sqlite3 *store_sqlite(struct xf_store *st);
/* Where the store keeps its audit chain state. */
struct xf_chain **store_chain_slot(struct xf_store *st);

/* Starts noting the rows each write touches (an SQLite update hook). */
void store_chain_attach(struct xf_store *st);
/* Stops noting and frees the state. */
void store_chain_detach(struct xf_store *st);
/* Forgets the rows noted so far (a transaction begins or was rolled back). */
void store_chain_forget(struct xf_store *st);
/* Writes the rows noted since the last audit record into a record of their own ("write"),
 * inside the open transaction; nothing when no row is pending. */
int store_chain_flush(struct xf_store *st, struct xf_err *err);
/* Appends one chained audit record with the snapshots of the noted rows. */
int store_chain_append(struct xf_store *st, const char *op, const char *action, int64_t case_id,
                       const char *before_json, const char *after_json, struct xf_err *err);
/* Seals an upgraded store: hashes every earlier record into the chain and snapshots every row
 * (inside the migration's transaction). */
int store_chain_seal(struct xf_store *st, struct xf_err *err);
/* A write outside any transaction gets one of its own, so its audit record commits with it:
 * *own says whether this call began it. */
int store_chain_auto_begin(struct xf_store *st, const char *table, bool *own, struct xf_err *err);
/* Ends what store_chain_auto_begin began: commits (with the audit record) when rc is XF_OK,
 * else rolls back; returns rc or the commit's failure. */
int store_chain_auto_end(struct xf_store *st, bool own, int rc, struct xf_err *err);

#endif

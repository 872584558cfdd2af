/* The store's side of a branch's push to the head office (push.c decides; this reads and
 * writes): how far the head office holds a branch's chain, one batch of the branch's records
 * and the rows they snapshotted copied across under the head office's own ids, and the mark
 * that a file moved onto the server for good. */
#ifndef XINFANG_STORE_PUSH_H
#define XINFANG_STORE_PUSH_H

#include <stdbool.h>
#include <stdint.h>

#include "xinfang/store.h"
#include "xinfang/store_chain.h"
#include "xinfang/util.h"

/* The setting that marks a file moved onto the server (its value: where to, password-free). */
#define XF_MOVED_SETTING "moved_to"
/* The action of the file's last record, the one that marks it moved. */
#define XF_PUSH_MOVE_ACTION "push_move"

/* The newest of the branch's records the head office holds (pushed_audit): id 0 when none. */
int store_push_held(struct xf_store *hq, int64_t branch, struct xf_chain_head *held, struct xf_err *err);
/* Copies the branch file's records from..to (the source in a read transaction) into the head
 * office's pushed_audit as branch, and every row their snapshots name of the case tables (and
 * the channels, categories and departments those need) into the head office's tables: a row
 * pushed before is updated where the map (pushed_rows) says, a new one gets the head office's
 * id and a line of the map; case references follow the map, a case's branch becomes branch.
 * Runs inside the head office's open write transaction; each row written is noted for its
 * chain. *rows counts the rows written. */
int store_push_batch(struct xf_store *src, struct xf_store *hq, int64_t branch, int64_t from, int64_t to, long *rows,
                     struct xf_err *err);
/* Gives the head office the branch's numbering (number_seq) as branch, so its desks go on with
 * the next numbers after a move (inside the head office's write transaction). */
int store_push_numbering(struct xf_store *src, struct xf_store *hq, int64_t branch, struct xf_err *err);
/* How many rows of table the head office holds for branch through pushes (the map's lines). */
int store_push_count(struct xf_store *hq, int64_t branch, const char *table, long *n, struct xf_err *err);
/* XF_EDENIED, saying where to, when the file was moved onto a server (its setting moved_to):
 * every write on it is refused. Only SQLite files are ever marked; XF_OK elsewhere. */
int store_push_moved_check(struct xf_store *st, struct xf_err *err);

#endif

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

/* The newest of the branch's records the head office holds (pushed_audit): id 0 when none;
 * *count how many it holds (held->id when they are a whole prefix), by one statement. */
int store_push_held(struct xf_store *hq, int64_t branch, struct xf_chain_head *held, int64_t *count,
                    struct xf_err *err);
/* The branch file's newest record and how many records it has, by one statement: a push with
 * nothing new stops at these when the head office holds the same newest record. */
int store_push_file_head(struct xf_store *src, struct xf_chain_head *head, int64_t *count, struct xf_err *err);
/* A push under way (store_push_open .. store_push_close): both stores, the branch at the head
 * office, and the map of ids as far as the push knows it, so that no id is asked for twice and
 * a row the push wrote already (from the same moment of the file) is not written again. */
struct xf_push;
/* Starts a push of the branch file src (in a read transaction until the push ends) into hq as
 * branch; held is the newest record the head office held of it (0: none, nor any row). */
struct xf_push *store_push_open(struct xf_store *src, struct xf_store *hq, int64_t branch, int64_t held);
/* Copies the branch file's records from..to into the head office's pushed_audit as the
 * push's branch, and every row their snapshots name of the case tables (and the channels,
 * categories and departments those need) into the head office's tables: a row pushed before is
 * updated where the map (pushed_rows) says, a new one gets the head office's id and a line of
 * the map; case references follow the map, a case's branch becomes the branch. Rows go a few
 * hundred by each statement. Runs inside the head office's open write transaction; each row
 * written is noted for its chain (with its JSON, so the record's snapshot is not read back).
 * *rows counts the rows the records name. */
int store_push_batch(struct xf_push *p, int64_t from, int64_t to, long *rows, struct xf_err *err);
/* Cuts the head office's text index of the cases the batches wrote, all at once with their
 * tokens in the index's order (on PostgreSQL the batches leave them waiting in search_dirty,
 * which the next push or desk cuts when this one does not come to it); in a transaction of its
 * own. */
int store_push_index(struct xf_push *p, struct xf_err *err);
/* Ends a push. */
void store_push_close(struct xf_push *p);
/* Requests the head office's connection has sent so far (0 for a file): a push's cost. */
uint64_t store_push_round_trips(struct xf_store *hq);
/* Gives the head office the branch's numbering (number_seq) as branch, so its desks go on with
 * the next numbers after a move (inside the head office's write transaction). */
int store_push_numbering(struct xf_store *src, struct xf_store *hq, int64_t branch, struct xf_err *err);
/* How many rows of table the head office holds for branch through pushes (the map's lines). */
int store_push_count(struct xf_store *hq, int64_t branch, const char *table, long *n, struct xf_err *err);
/* XF_EDENIED, saying where to, when the file was moved onto a server (its setting moved_to):
 * every write on it is refused. Only SQLite files are ever marked; XF_OK elsewhere. */
int store_push_moved_check(struct xf_store *st, struct xf_err *err);

#endif

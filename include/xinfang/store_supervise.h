/* The store's queries for the head office's supervision (supervise.c): the urgings across
 * branches, filtered by the reach in SQL. */
#ifndef XINFANG_STORE_SUPERVISE_H
#define XINFANG_STORE_SUPERVISE_H

#include <stdint.h>
#include "xinfang/store.h"

/* Urgings of cases whose branch is in reach, of one branch (0: any) and of one case (0: any):
 * rows id case_id number branch_code branch_name deadline request at actor answered_at answer
 * answered_by. Unanswered first by deadline, then answered, for a list; oldest first for a
 * case. */
int store_supervision_list(struct xf_store *st, const struct xf_reach *reach, int64_t branch, int64_t case_id,
                           struct xf_rows *out, struct xf_err *err);

#endif

/* Earlier numbers of a case moved between branches (hand-over, take-over, hand-up): the number
 * it had before is kept in branch_moves, and looking a case up by it reaches the case (within
 * the reader's reach) and says it was renumbered. */
#ifndef XINFANG_RENUMBERED_H
#define XINFANG_RENUMBERED_H

#include <stddef.h>
#include <stdint.h>
#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* Finds the case that had number (any way a number is written) before a move between
 * branches; its current number into now[32]. The case must be in the session's reach now (its
 * earlier branch need not be); otherwise XF_ENOTFOUND, with the same message as none. */
int case_find_renumbered(struct xf_session *s, const char *number, int64_t *id, char now[32], struct xf_err *err);
/* case_find that also says, into said (n bytes), "原编号 X → 现编号 Y" when number is an
 * earlier one of the case ("" when it is its current number). */
int case_lookup(struct xf_session *s, const char *number, int64_t *id, char *said, size_t n, struct xf_err *err);
/* The current number of the case whose earlier number (as stored, e.g. "2026年第0001号" or
 * "HQ-2026年第0001号") it was, into now[32]; false when no case had it. The reach is the
 * caller's to apply (search applies it in its query). */
bool case_renumbered_to(struct xf_store *st, const char *old, char now[32]);

#endif

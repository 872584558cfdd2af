/* The head office's moves across branches and its urging (督办): the hotline hands an item to a
 * branch under it, the head office takes a branch's case over, a branch hands a case up to its
 * parent; the head office urges a branch's case to report by a deadline and the branch answers.
 * Every move across branches is audited on both sides (one record in each branch's chain). */
#ifndef XINFANG_SUPERVISE_H
#define XINFANG_SUPERVISE_H

#include <stdint.h>
#include "xinfang/auth.h"
#include "xinfang/branch.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* The three moves of a case between branches. */
enum xf_branch_move {
	XF_BM_HAND_OVER, /* 交办: the head office (hotline) gives a case to a branch under it */
	XF_BM_TAKE_OVER, /* 提级办理: the head office takes a branch's case as its own */
	XF_BM_HAND_UP,   /* 上报: a branch hands a case up to the branch above it */
};
/* Key ("hand_over") and Chinese name ("交办") of a move between branches. */
const char *supervise_move_key(enum xf_branch_move kind);
const char *supervise_move_label(enum xf_branch_move kind);

/* Moves case id to another branch: hand-over to the branch coded to_code (supervisors and
 * admins, both branches in their reach), take-over into the session's own branch (the same),
 * hand-up to the parent of the case's branch (its head, 主任, or an admin of it; to_code
 * ignored). Open cases only (待批 or 已转办: a case with a department of the old branch comes
 * back to the new one's queue); cases of a pushed branch are read-only. The case takes the next
 * number of the receiving branch into new_number[32] (may be NULL); its earlier one is kept in
 * branch_moves. A case out of reach is not found. expect_version > 0 refuses a case changed
 * meanwhile. */
int supervise_move(struct xf_session *s, int64_t id, enum xf_branch_move kind, const char *to_code,
                   const char *note, int64_t expect_version, char *new_number, struct xf_err *err);

/* The moves between branches the session may make on case id now (supervise_open.c), for the
 * desk to offer: its role, reach, the case's state, recusal, a pushed branch and a branch to
 * go to all considered; *n 0 when none. */
int supervise_moves_open(struct xf_session *s, int64_t id, enum xf_branch_move open[3], int *n);
/* The branches a move of case id would take it to: for a hand-over every branch in reach but
 * the case's own (not pushed), in path order; for a take-over or a hand-up the one branch.
 * Caller frees *out. */
int supervise_move_targets(struct xf_session *s, int64_t id, enum xf_branch_move kind, struct xf_branch **out,
                           size_t *n, struct xf_err *err);

/* Urges (督办) a case of a branch under the session's own to report by deadline (YYYY-MM-DD,
 * today or later) with a note ("请于…前报告办理情况"). Supervisors and admins; open cases of
 * another branch in reach. */
int supervise_urge(struct xf_session *s, int64_t id, const char *deadline, const char *note, struct xf_err *err);
/* The branch answers its case's open urging (the oldest unanswered) with text: the head
 * (主任) of the case's branch, or the handler of its department. An answer after the deadline
 * is taken and shown as late. */
int supervise_answer(struct xf_session *s, int64_t id, const char *text, struct xf_err *err);

/* The urgings in reach (of one branch when branch_code is given, checked against the reach),
 * unanswered first by deadline, then answered: rows id case_id number branch_code branch_name
 * deadline request at actor answered_at answer answered_by, plus days_left (calendar days to the
 * deadline, negative when past) and status (未答复 / 已逾期 / 已答复 / 逾期答复). */
int supervise_list(struct xf_session *s, const char *branch_code, struct xf_rows *out, struct xf_err *err);
/* The urgings of one case (in reach), oldest first, with days_left and status as above. */
int supervise_case(struct xf_session *s, int64_t id, struct xf_rows *out, struct xf_err *err);
/* The case's moves between branches (rows of branch_moves, with from_code and to_code),
 * oldest first. */
int supervise_case_moves(struct xf_session *s, int64_t id, struct xf_rows *out, struct xf_err *err);

#endif

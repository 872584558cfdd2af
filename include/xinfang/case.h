/* The case (信访事项): numbering, registration, states and the allowed moves between them. */
#ifndef XINFANG_CASE_H
#define XINFANG_CASE_H

#include <stdbool.h>
#include <stdint.h>
#include "xinfang/auth.h"
#include "xinfang/branch.h"
#include "xinfang/field.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* States of SPEC.md. Registration (登记) files an item straight into the queue, or closes it
 * when it was answered on the spot: no case rests in a separate "registered" state. */
enum xf_state {
	XF_ST_QUEUED,      /* 待批 */
	XF_ST_TRANSFERRED, /* 已转办 */
	XF_ST_REPORTED,    /* 已报结 */
	XF_ST_REPLIED,     /* 已答复 */
	XF_ST_CLOSED,      /* 已结案 (办结, 不予受理, 当场答复 or 撤诉: see closure) */
	XF_ST_COUNT
};
#define XF_IN(state) (1u << (state))
#define XF_OPEN_STATES                                                                             \
	(XF_IN(XF_ST_QUEUED) | XF_IN(XF_ST_TRANSFERRED) | XF_IN(XF_ST_REPORTED) | XF_IN(XF_ST_REPLIED))

/* Key ("queued") and Chinese name ("待批") of a state; parse accepts both (-1 unknown). */
const char *case_state_key(enum xf_state state);
const char *case_state_label(enum xf_state state);
int case_state_parse(const char *s);

/* Everything that can be done to a registered case. */
enum xf_move {
	XF_MV_SPOT,     /* answered on the spot -> closed */
	XF_MV_REJECT,   /* not accepted (reason, advice) -> closed */
	XF_MV_TRANSFER, /* 批转 to a department -> 已转办 */
	XF_MV_RETURN,   /* returned by the department -> 待批 */
	XF_MV_OUTCOME,  /* outcome report -> 已报结 */
	XF_MV_REPLY,    /* petitioner answered -> 已答复 */
	XF_MV_CLOSE,    /* 结案 */
	XF_MV_WITHDRAW, /* 撤诉 -> closed */
	XF_MV_INSTRUCT, /* leader's instruction recorded (side action) */
	XF_MV_EXTEND,   /* extension asked */
	XF_MV_DECIDE,   /* extension approved or refused by the head */
	XF_MV_URGE,     /* 催办/督办 */
	XF_MV_MATERIAL, /* more material received */
	XF_MV_LINK,     /* linked to an earlier case (repeat petition) */
	XF_MV_COUNT
};

/* One row of the workflow table: where a move may start, where it leads, who may do it,
 * which keys it takes and which of them are required. */
struct xf_move_def {
	enum xf_move move;
	const char *key;      /* command-line name: "transfer" */
	const char *label;    /* Chinese: "批转" */
	unsigned from;        /* XF_IN() mask of states */
	int to;               /* resulting state, or -1 when the state stays */
	const char *closure;  /* closure kind when `to` is closed */
	unsigned roles;       /* XF_MAY() mask; the admin may always */
	const char *keys;     /* space-separated keys accepted */
	const char *required; /* space-separated keys that must be given */
};
/* The workflow table, XF_MV_COUNT rows. */
extern const struct xf_move_def xf_moves[];
/* Looks a move up by key; NULL when unknown. */
const struct xf_move_def *case_move_def(const char *key);

/* A key a move takes: its label and type, for messages and the screens' small forms. */
struct xf_move_field {
	int move;          /* the move it belongs to, or -1 for every move that takes the key */
	const char *key;
	const char *label;
	enum xf_ftype type;
	const char *list;  /* choices: a desk_choices() list */
	int max;           /* display columns (text) */
};
/* The field of a move's key (a move's own entry before the shared one); NULL when unknown. */
const struct xf_move_field *case_move_field(enum xf_move move, const char *key);

/* Parses "2026年第0001号", "2026-0001" or "2026-1". */
int case_parse_number(const char *s, int *year, int *seq, struct xf_err *err);
/* Formats "YYYY年第NNNN号" into out[32]. */
void case_format_number(int year, int seq, char out[32]);
/* The number of a branch's case: its code, a dash and the number ("" code: the number alone). */
void case_format_branch_number(const char *code, int year, int seq, char out[32]);
/* Parses a number that may begin with a branch's code and a dash; code "" when none. */
int case_parse_branch_number(const char *s, char code[XF_BRANCH_CODE_MAX + 1], int *year, int *seq,
                             struct xf_err *err);
/* Finds a case's id by its number: the current one, or one it had before a move between
 * branches (renumbered.h: case_lookup also says so). */
int case_find(struct xf_session *s, const char *number, int64_t *id, struct xf_err *err);
/* Finds a case's id by its current number only. */
int case_find_current(struct xf_session *s, const char *number, int64_t *id, struct xf_err *err);
/* Checks a value against a reference list ("channels", "categories", "departments", those no
 * longer in use included); refused with the label and the choices in the message. */
int case_check_choice(struct xf_session *s, const char *table, const char *label, const char *value,
                      struct xf_err *err);

/* Checks a receipt date as registration takes it ("YYYY-MM-DD" or "YYYY-MM-DD HH:MM", already
 * in that shape): not after today, not before the first year of the office's calendar. For the
 * desk, so that the date is refused as its field is left; case_register checks it again. */
int case_check_received(struct xf_session *s, const char *value, struct xf_err *err);

/* Registers a case from registration fields (keys of xf_registration_fields, plus repeat_of
 * with numbers to link). Puts it in the queue, or closes it when spot_answer is given.
 * number_out receives the number; warn receives notes for the operator (estimated limits,
 * earlier cases of the same petitioner) with code XF_OK. */
int case_register(struct xf_session *s, const struct xf_fields *in, char number_out[32], struct xf_err *warn,
                  struct xf_err *err);
/* The case's version now (it grows with every change saved to it), for a screen to tell whether
 * what it shows is still current. */
int case_version(struct xf_session *s, int64_t id, int64_t *version, struct xf_err *err);
/* Does a move with its fields; expect_version > 0 refuses when the case changed meanwhile. */
int case_move(struct xf_session *s, int64_t id, enum xf_move move, const struct xf_fields *in,
              int64_t expect_version, struct xf_err *err);
/* Corrects registration fields: a new audit record keeps the old values. */
int case_edit(struct xf_session *s, int64_t id, const struct xf_fields *in, int64_t expect_version,
              struct xf_err *err);
/* Everything about a case as fields (state as Chinese name; limits as ISO dates), with the
 * petitioner's identity left out where this operator must not see it. */
int case_view(struct xf_session *s, int64_t id, struct xf_fields *out, struct xf_err *err);
/* The 办理期限 a transfer gives is the case's 周限 (due_handle): from the transfer date to the
 * latest handle limit the rules allow (case_handle_ceiling), or that limit alone once it has
 * passed. case_transfer_deadline gives both ends for the form (ISO dates; the form prefills
 * `latest`); case_check_deadline checks a typed date (empty: `latest`) into out, refusing
 * others with the reason and the dates allowed. */
int case_transfer_deadline(struct xf_session *s, int64_t id, char earliest[11], char latest[11], struct xf_err *err);
int case_check_deadline(struct xf_session *s, int64_t id, const struct xf_fields *row, const char *typed,
                        char out[11], struct xf_err *err);
/* Every extension request of a case in reach (rows of the extensions table), oldest first. */
int case_extensions(struct xf_session *s, int64_t id, struct xf_rows *rows, struct xf_err *err);
/* The latest handle limit the rules allow a case (row as stored): its first 周限
 * (orig_due_handle), or the date an approved extension moved it to (*extended). */
int case_handle_ceiling(struct xf_session *s, int64_t id, const struct xf_fields *row, int *day, bool *extended,
                        struct xf_err *err);
/* Moves open to this operator for a case in its present state. */
int case_moves_open(struct xf_session *s, int64_t id, enum xf_move *moves, int *n, struct xf_err *err);
/* Earlier cases of a petitioner with the same ID number, phone or name as in `in`: rows
 * id number state received name match (which field matched). */
int case_repeat_matches(struct xf_session *s, const struct xf_fields *in, int64_t exclude_id,
                        struct xf_rows *out, struct xf_err *err);

/* Lists cases by state, department and registering operator (each NULL = any) in the order
 * asked; rows as store_case_briefs with state as its Chinese name. Handlers see only their own
 * department's cases, whatever they ask for. */
int case_list(struct xf_session *s, const char *state, const char *department, const char *created_by,
              enum xf_list_order order, int limit, struct xf_rows *out, struct xf_err *err);
/* case_list of one branch (its code; NULL or "": every branch in reach), a code unknown or out
 * of reach refused alike (branch_filter). */
int case_list_in(struct xf_session *s, const char *branch, const char *state, const char *department,
                 const char *created_by, enum xf_list_order order, int limit, struct xf_rows *out,
                 struct xf_err *err);

/* The status bar's counts. */
struct xf_status_counts {
	long nearing[3];
	long overdue[3];
	long pending_transfer;
};
int case_status_counts(struct xf_session *s, struct xf_status_counts *c, struct xf_err *err);
/* The status bar's text: 周限 临近N 超期N │ 月限 临近N 超期N │ 待批转 N 超期N. */
void case_status_text(const struct xf_status_counts *c, char *out, size_t n);
/* Open cases nearing or past each limit: rows limit number state due days_left name
 * department, by limit then due date; a handler's only those of their department. */
int case_due_list(struct xf_session *s, struct xf_rows *out, struct xf_err *err);
/* case_due_list of one branch (its code; NULL or "": every branch in reach), checked as
 * case_list_in's. */
int case_due_list_in(struct xf_session *s, const char *branch, struct xf_rows *out, struct xf_err *err);
/* Recomputes the limits of cases registered while the calendar lacked a year. */
int case_recompute_estimated(struct xf_session *s, int *updated, struct xf_err *err);

#endif

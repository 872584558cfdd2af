/* Branches: the offices of a bank that keep petitions (a branch's own office, the head office
 * over them). Every case, account, department and audit record belongs to one; id 1 is the
 * store's own branch. Who may see and act on which branch (the reach) is decided here, below
 * the screens and the command line. */
#ifndef XINFANG_BRANCH_H
#define XINFANG_BRANCH_H

#include <stdbool.h>
#include <stdint.h>
#include "xinfang/util.h"

struct xf_store;
struct xf_session;

/* The store's own branch. */
#define XF_BRANCH_OWN 1

/* Longest branch code: up to 10 ASCII letters or digits (it leads every case number). */
#define XF_BRANCH_CODE_MAX 10

/* One branch. */
struct xf_branch {
	int64_t id;
	char code[XF_BRANCH_CODE_MAX + 1]; /* "" only for the own branch of a store upgraded from one office */
	char name[128];
	int64_t parent;                    /* 0: none (the top of the store) */
	char path[256];                    /* the ids from the top down: "/1/7/" */
	bool pushed;                       /* its records arrive by push from its own file: read-only here */
	char push_login[64];               /* the server login its push must come as ("": any) */
};

/* XF_OK when code may name a branch: 1 to 10 ASCII letters or digits. */
int branch_check_code(const char *code, struct xf_err *err);
/* Reads a branch by id; XF_ENOTFOUND when there is none. */
int branch_get(struct xf_store *st, int64_t id, struct xf_branch *out, struct xf_err *err);
/* Reads a branch by its code; XF_ENOTFOUND (saying so) when there is none. */
int branch_find(struct xf_store *st, const char *code, struct xf_branch *out, struct xf_err *err);
/* Gives the store's own branch (id 1) its code and name (init --branch CODE --branch-name
 * NAME); a code once given is kept: it is on every number already issued. */
int branch_set_own(struct xf_store *st, const char *actor, const char *code, const char *name, struct xf_err *err);
/* Adds a branch under parent_code (NULL: under the session's own branch). Admins only, and
 * only under a branch in their reach. */
int branch_add(struct xf_session *s, const char *code, const char *name, const char *parent_code, int64_t *id,
               struct xf_err *err);
/* XF_OK when login may be named as a push login on this store: letters, digits and _, at most
 * 63, and only on a server ("" always passes: no login named). */
int branch_check_push_login(struct xf_store *st, const char *login, struct xf_err *err);
/* Admin: names the server login a branch's push must come as (login "" clears it: any login
 * the server lets in). Audited; the branch must be in reach and not the store's own. */
int branch_set_push_login(struct xf_session *s, const char *code, const char *login, struct xf_err *err);
/* The branches in the session's reach, in path order (caller frees *out). */
int branch_list(struct xf_session *s, struct xf_branch **out, size_t *n, struct xf_err *err);

/* True when the session's account reaches over the branches under its own (督办 supervisors
 * and admins); other accounts reach their own branch only. */
bool branch_reach_spans(const struct xf_session *s);
/* True when the session's reach holds more than its own branch (a spanning account with
 * branches under its own): what decides wording and columns across branches (时限清单, due),
 * never the reach itself. Reads the branches; a one-office store's admin gets false. */
bool branch_reach_several(struct xf_session *s);
/* True when the session may see and act on a record of branch id. */
bool branch_in_reach(struct xf_session *s, int64_t branch);
/* The branch a filter names (its code), checked against the session's reach: *id 0 for no
 * filter (NULL or ""); XF_ENOTFOUND for a code unknown or out of reach (the same message). */
int branch_filter(struct xf_session *s, const char *code, int64_t *id, struct xf_err *err);
/* The session's reach as the store's queries take it (struct xf_reach, store.h): its own
 * branch, or every branch under its own for a spanning account; valid while s is. */
struct xf_reach;
void branch_reach(const struct xf_session *s, struct xf_reach *out);
/* The path prefix of the session's reach (its branch's path; a spanning account matches every
 * branch whose path starts with it, another only its own branch id). */
const char *branch_reach_path(const struct xf_session *s);

/* The reach enforced on a case (branch_reach.c). A row's branch (a case's, a department's; 1
 * when it has none). */
struct xf_fields;
int64_t branch_of_row(const struct xf_fields *row);
/* XF_OK when the session may see the case row; XF_ENOTFOUND with the message of no case at all
 * when its branch is out of reach (never "denied": that would tell it exists). */
int branch_case_visible(struct xf_session *s, const struct xf_fields *case_row, struct xf_err *err);
/* The same for case id (read here): XF_ENOTFOUND alike for no such case and one out of reach. */
int branch_case_id_visible(struct xf_session *s, int64_t id, struct xf_err *err);
/* XF_OK when the case row may be moved in this store; XF_EDENIED, saying so, when its branch is
 * pushed (its records arrive from the branch's own file: read-only here). */
int branch_case_writable(struct xf_session *s, const struct xf_fields *case_row, struct xf_err *err);
/* The reach of a list, search or count: the session's, or only the branch a filter code names
 * (NULL or "": no filter), checked by branch_filter. */
int branch_list_reach(struct xf_session *s, const char *code, struct xf_reach *out, struct xf_err *err);
/* XF_OK when the session's account is of the store's own branch (its reach the whole store);
 * XF_EDENIED, naming what was asked, for an account of a branch: what touches every branch's
 * cases at once (backup, restore, verify, the calendar, the rule set) is not theirs. */
int branch_require_whole(struct xf_session *s, const char *what, struct xf_err *err);
/* Whether branch has a department called name (*found); with names not NULL, also the names of
 * the branch's departments joined with 、 (a new string, for a message). */
int branch_department(struct xf_store *st, int64_t branch, const char *name, bool *found, char **names,
                      struct xf_err *err);

#endif

/* Operators, roles, passwords and the logged-in session every core call acts under. */
#ifndef XINFANG_AUTH_H
#define XINFANG_AUTH_H

#include <stdbool.h>
#include <stdint.h>
#include "xinfang/calendar.h"
#include "xinfang/limits.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* Roles of SPEC.md; the admin may act in every role. */
enum xf_role {
	XF_ROLE_OPERATOR, /* 接待员 */
	XF_ROLE_HEAD,     /* 办公室主任 */
	XF_ROLE_HANDLER,  /* 经办人 */
	XF_ROLE_ADMIN,    /* 管理员 */
	XF_ROLE_SUPERVISOR, /* 督办员: the head office's supervision of the branches under it */
};
#define XF_ROLE_COUNT (XF_ROLE_SUPERVISOR + 1)
#define XF_MAY(role) (1u << (role))

/* Key ("operator", ...) and Chinese name of a role. */
const char *auth_role_key(enum xf_role role);
const char *auth_role_label(enum xf_role role);
/* Parses a role from its key or Chinese name; -1 when unknown. */
int auth_role_parse(const char *s);

/* A logged-in operator. */
struct xf_operator {
	int64_t id;
	char name[64];
	char full_name[64];
	enum xf_role role;
	char department[64]; /* handlers: their department */
	int64_t branch;        /* the branch the account belongs to (branch.h) */
	char branch_path[256]; /* ... its path: the account's reach (branch_reach_path) */
};

/* Who is acting, on which store, with the calendar and rules loaded once. */
struct xf_session {
	struct xf_store *st;
	struct xf_operator op;
	bool ref_loaded;
	struct xf_calendar cal;
	struct xf_rules rules;
};

/* Hashes a password with yescrypt; the password must have at least 6 characters. */
int auth_hash_password(const char *password, char **hash, struct xf_err *err);
/* True when password matches a crypt(3) hash. */
bool auth_check_password(const char *password, const char *hash);
/* XF_OK when password may become the new password of account name, else XF_EINVAL with the
 * reason: fewer than 6 characters, control characters, only blanks, only digits, one to three
 * characters repeated, consecutive characters, a common password, the account's name, or prev
 * (the password it replaces; NULL when not known). */
int auth_password_policy(const char *name, const char *password, const char *prev, struct xf_err *err);
/* Logs in. Tries are counted per name typed (an account or not: an unknown name gets the same
 * answer, the same count and a password check of the same cost); only a wrong password, or any
 * try on a disabled account, counts. While locked every try is refused without being checked.
 * A check takes a place first (in a write transaction) and only while running checks and
 * counted failures stay under the limit, else it waits its turn, so parallel wrong guesses
 * cannot pass the limit and parallel right passwords never lock; a store that cannot record
 * the try refuses the login. After 5 wrong passwords in a row the name is locked for 1 minute,
 * then 2, 4, 8 and at most 15 minutes after each further wrong one; once the wait has passed
 * the right password logs in and clears the count. An admin unlocks at once
 * (auth_user_unlock). Failures and locks are audited (login_failed, login_locked).
 * XF_EAUTH for a wrong password or a disabled account alike (one message), XF_EBUSY when no
 * place came free in time. */
int auth_login(struct xf_store *st, const char *name, const char *password, struct xf_session *out,
               struct xf_err *err);
/* auth_login, with beside(arg) run on the calling thread while the password is checked on a
 * second one (two cores: the desk's start does its other work in the hash's time). beside runs
 * only once the attempt is recorded (not while the name is locked), whatever the password; it
 * must show nothing, only prepare what is shown after a successful login. */
int auth_login_beside(struct xf_store *st, const char *name, const char *password, void (*beside)(void *),
                      void *arg, struct xf_session *out, struct xf_err *err);
/* auth_login_beside in two halves, for a password known before anything is shown (the
 * desk's XINFANG_PASSWORD): auth_login_start records the attempt (as auth_login_beside does
 * before beside) and starts the check on a second thread, so the caller's start (the terminal,
 * the screen) runs in the hash's time; auth_login_finish runs beside(arg) (may be NULL), waits
 * for the check and settles it, and frees l. Every login started must be finished: the
 * attempt counts either way. Name and password are copied. */
struct auth_login;
int auth_login_start(struct xf_store *st, const char *name, const char *password, struct auth_login **l,
                     struct xf_err *err);
int auth_login_finish(struct auth_login *l, void (*beside)(void *), void *arg, struct xf_session *out,
                      struct xf_err *err);
/* A session for the very first admin created by init (no password check), inside init's
 * transaction. */
int auth_create_admin(struct xf_store *st, const char *name, const char *password, struct xf_session *out,
                      struct xf_err *err);
/* Checks a new account's fields as auth_user_add will (admin only): the account name, that it
 * is free, the role, the full name, a handler's department. For the desk, so that a missing
 * department is said before the password is asked. */
int auth_user_check_new(struct xf_session *s, const char *name, const char *role, const char *full_name,
                        const char *department, struct xf_err *err);
/* Adds an operator account (admin only). department is required for handlers. */
/* Admin: the same, the account in the branch of code branch_code (NULL or "": the admin's own),
 * which must be in the admin's reach. */
int auth_user_add_in(struct xf_session *s, const char *name, const char *role, const char *full_name,
                     const char *department, const char *branch_code, const char *password, struct xf_err *err);
int auth_user_add(struct xf_session *s, const char *name, const char *role, const char *full_name,
                  const char *department, const char *password, struct xf_err *err);
/* Changes the logged-in operator's own password (old one checked). */
int auth_password_change(struct xf_session *s, const char *old_pw, const char *new_pw, struct xf_err *err);
/* Admin: sets a new password for an account (and unlocks it). */
int auth_user_reset(struct xf_session *s, const char *name, const char *new_pw, struct xf_err *err);
/* Admin: clears a lock after repeated failures. */
int auth_user_unlock(struct xf_session *s, const char *name, struct xf_err *err);
/* Admin: disables (true) or re-enables (false) an account; a disabled account cannot log in. */
int auth_user_disable(struct xf_session *s, const char *name, bool disabled, struct xf_err *err);
/* Admin: changes an account's role and department (department required for handlers). */
int auth_user_set_role(struct xf_session *s, const char *name, const char *role, const char *department,
                       struct xf_err *err);
/* Admin: every account as fields name full_name role (key) role_label department last_login
 * (YYYY-MM-DD HH:MM or empty) locked (是/否) disabled (是/否) failures (count). */
int auth_user_list(struct xf_session *s, struct xf_rows *out, struct xf_err *err);
/* XF_OK when the session's account is still active with the role and department it logged in
 * with; else XF_EAUTH with what changed (the session must log in again). Inside a move's
 * transaction (session_begin), or alone for a desk that checks whether to go on. */
int auth_session_current(const struct xf_session *s, struct xf_err *err);
/* Starts a move's write transaction and re-reads the session's account inside it
 * (auth_session_current): every move of a session disabled, or given another role or
 * department, since its login is refused and nothing is written. */
int session_begin(struct xf_session *s, struct xf_err *err);
/* The same for a case's move (move true): on PostgreSQL it overlaps other moves. */
int session_begin_as(struct xf_session *s, bool move, struct xf_err *err);
/* True when the session's role is in mask (admin always is); else fills err. */
bool auth_require(const struct xf_session *s, unsigned mask, const char *what, struct xf_err *err);
/* Loads the calendar and limit rules into the session (once). */
int session_load_reference(struct xf_session *s, struct xf_err *err);
/* Forgets the loaded calendar and rules (after an import). */
void session_reload_reference(struct xf_session *s);
void session_close(struct xf_session *s);

#endif

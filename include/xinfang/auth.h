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
};
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
/* Logs in: checks the password, enforces the wait after repeated failures (3 tries free, then
 * 30 s doubling up to 15 min), records failures in the audit trail. */
int auth_login(struct xf_store *st, const char *name, const char *password, struct xf_session *out,
               struct xf_err *err);
/* A session for the very first admin created by init (no password check). */
int auth_create_admin(struct xf_store *st, const char *name, const char *password, struct xf_session *out,
                      struct xf_err *err);
/* Adds an operator account (admin only). department is required for handlers. */
int auth_user_add(struct xf_session *s, const char *name, const char *role, const char *full_name,
                  const char *department, const char *password, struct xf_err *err);
/* True when the session's role is in mask (admin always is); else fills err. */
bool auth_require(const struct xf_session *s, unsigned mask, const char *what, struct xf_err *err);
/* Loads the calendar and limit rules into the session (once). */
int session_load_reference(struct xf_session *s, struct xf_err *err);
/* Forgets the loaded calendar and rules (after an import). */
void session_reload_reference(struct xf_session *s);
void session_close(struct xf_session *s);

#endif

/* Setting a store up from data/: reference lists, limit rules, holiday calendars, the admin. */
#ifndef XINFANG_SETUP_H
#define XINFANG_SETUP_H

#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* Initialises a new store: schema, departments, channels, categories, limit rules and every
 * data/holidays/YYYY.txt from datadir, then the admin account; *out is the admin's session.
 * XF_EEXIST when the store already has operators. */
int setup_init(struct xf_store *st, const char *datadir, const char *admin, const char *password,
               struct xf_session *out, struct xf_err *err);
/* Opens a store that init has set up: migrates it to the newest schema, or explains that
 * `xinfang init` is needed. */
int setup_open(const char *path, struct xf_store **out, struct xf_err *err);
/* Loads (or replaces) one year of the holiday calendar from a file (admin only) and
 * recomputes limits that were estimated for lack of it. */
int setup_calendar_load(struct xf_session *s, const char *file, int *year, int *recomputed, struct xf_err *err);
/* Switches the rule set in force for new registrations (admin only). */
int setup_ruleset_use(struct xf_session *s, const char *name, struct xf_err *err);

#endif

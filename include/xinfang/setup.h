/* Setting a store up from data/: reference lists, limit rules, holiday calendars, the admin. */
#ifndef XINFANG_SETUP_H
#define XINFANG_SETUP_H

#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* How init makes a store: a training store (for demos and courses) accepts --today and says
 * 演示/培训 on every screen and slip; an unfinished one is marked done by setup_finish. */
enum {
	XF_INIT_TRAINING = 1,
	XF_INIT_UNFINISHED = 2,
};

/* Initialises a new production store: schema, departments, channels, categories, limit rules and every
 * data/holidays/YYYY.txt from datadir, then the admin account; *out is the admin's session.
 * XF_EEXIST when the store already has operators. */
int setup_init(struct xf_store *st, const char *datadir, const char *admin, const char *password,
               struct xf_session *out, struct xf_err *err);
/* The same with mode bits XF_INIT_*, in one transaction. A production store (no
 * XF_INIT_TRAINING) is refused while the date is overridden. */
int setup_init_mode(struct xf_store *st, const char *datadir, const char *admin, const char *password,
                    unsigned mode, struct xf_session *out, struct xf_err *err);
/* Opens (creating) the file at path and initialises it with setup_init_mode; a file left by an
 * interrupted init (never marked done) is removed and made again (*restarted true). */
int setup_create(const char *path, const char *datadir, const char *admin, const char *password, unsigned mode,
                 struct xf_store **st_out, struct xf_session *out, bool *restarted, struct xf_err *err);
/* Marks a store made with XF_INIT_UNFINISHED as ready for use. */
int setup_finish(struct xf_store *st, const char *actor, struct xf_err *err);
/* True on a training store (its date may be set; screens and slips say 演示/培训). */
bool setup_is_training(struct xf_store *st);
/* Refuses, with what to do, a backup that is not of the live store: a training store's backup
 * over a production store (or the reverse), or another store's (its trail starts with another
 * first record; every store's first record is unique, its init holding a random store_id). */
int setup_restore_same(struct xf_store *live, struct xf_store *backup, const char *file, struct xf_err *err);
/* Opens a store that init has set up: migrates it to the newest schema, or explains that
 * `xinfang init` is needed (also when an init was interrupted). Refuses with XF_EINVAL a date
 * override (--today, XINFANG_TODAY) on a production store. */
int setup_open(const char *path, struct xf_store **out, struct xf_err *err);
/* Loads (or replaces) one year of the holiday calendar from a file (admin only) and
 * recomputes limits that were estimated for lack of it. */
int setup_calendar_load(struct xf_session *s, const char *file, int *year, int *recomputed, struct xf_err *err);
/* Switches the rule set in force for new registrations (admin only). */
int setup_ruleset_use(struct xf_session *s, const char *name, struct xf_err *err);

#endif

/* xinfang verify: proves the store equals the replay of its audit trail (integrity, the hash
 * chain, every covered row against its newest snapshot, the triggers, the calendar), checks the
 * chain against the anchor kept beside the store, and backs the store up and restores it. */
#ifndef XINFANG_VERIFY_H
#define XINFANG_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/store_chain.h"
#include "xinfang/util.h"

enum {
	XF_VERIFY_QUICK = 1,       /* the desk's start: triggers, the chain's tail, the anchor */
	XF_VERIFY_NO_ANCHOR = 2,   /* a backup file being restored: its own anchor, never the live one */
	XF_VERIFY_KEEP_ANCHOR = 4, /* do not move the anchor forward */
	XF_VERIFY_NEW_ANCHOR = 8,  /* a missing anchor is made anew (verify --new-anchor) instead of failing */
};

/* Anchors the chain head of a freshly initialised store beside it; false when it could not. */
bool verify_anchor_init(struct xf_store *st);

/* What a verify run found. */
struct xf_verify {
	int failures;
	int warnings;
	struct xf_buf text;        /* the report, one line per finding (✗ failure, ! warning, ✓ held) */
	char first[768];           /* the first failure in one line, "" when all hold */
	struct xf_chain_head head; /* the chain's newest record */
	long rows;                 /* rows compared with the trail */
	bool anchor_written;       /* the anchor file holds the head */
	bool anchor_logged;        /* ... and the system log took it (its socket answered) */
};

/* Checks the store (flags XF_VERIFY_*); anchor_path NULL means "<store>.anchor". On success
 * (no failure) the anchor moves to the chain's head and the head goes to syslog. */
int verify_store(struct xf_store *st, unsigned flags, const char *anchor_path, struct xf_verify *out,
                 struct xf_err *err);
/* verify_store for a logged-in office head or admin. */
int verify_session(struct xf_session *s, unsigned flags, struct xf_verify *out, struct xf_err *err);
void verify_free(struct xf_verify *v);
/* The desk's start check: false with a one-line message when something does not hold. */
bool verify_desk_check(struct xf_store *st, char *msg, size_t size);

/* The anchor file beside a store ("<db>.anchor"); for a PostgreSQL database the
 * configuration's `anchor`. The caller frees it. */
char *verify_anchor_path(const char *db_path);
/* True when the system log takes messages (its socket /dev/log answers). */
bool verify_syslog_reachable(void);
/* Writes the chain head to an anchor file (the office's mode and group, replaced atomically) and
 * to syslog. */
int verify_anchor_write(const char *anchor_path, const char *db_path, const struct xf_chain_head *head,
                        const char *why, struct xf_err *err);
/* Reads an anchor file; *found false when there is none. */
int verify_anchor_read(const char *anchor_path, struct xf_chain_head *head, bool *found, struct xf_err *err);

/* Backs the store up into a new file (0600) while desks keep working, and writes the head to
 * the store's anchor, the backup's own "<file>.anchor" and syslog. Office head or admin. */
int verify_backup(struct xf_session *s, const char *file, struct xf_chain_head *head, struct xf_err *err);
/* verify_backup without the role check: for the host's nightly service (nightly.h), whose
 * right to the file is the file system's. */
int verify_backup_store(struct xf_store *st, const char *file, struct xf_chain_head *head, struct xf_err *err);
/* Restores a backup (admin only): refuses one that fails verify (its report in *report), keeps the
 * current store aside in *aside, copies the backup into the store's place and records it. */
int verify_restore(struct xf_session *s, const char *file, struct xf_verify *report, char **aside,
                   struct xf_err *err);
/* Restores a backup where no store is yet (a new machine): the verified backup becomes the
 * store at path; user and password must be an admin account of the backup, and the restore is
 * recorded in its trail. Nothing is left at path when it fails. */
int verify_restore_new(const char *path, const char *file, const char *user, const char *password,
                       struct xf_verify *report, struct xf_err *err);

#endif

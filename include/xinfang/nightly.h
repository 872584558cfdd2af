/* The nightly verify and backup of the office store (xinfang-backup.service). */
#ifndef XINFANG_NIGHTLY_H
#define XINFANG_NIGHTLY_H

#include <stddef.h>

#include "xinfang/util.h"

/* What a night's run did. */
struct xf_nightly {
	char backup[4096];  /* the new backup file */
	long long head_id;  /* the chain's newest record in it */
	int removed;        /* older backups removed beyond keep */
	int failures;       /* verify's failures (none: the backup was made) */
	struct xf_buf text; /* verify's report */
};

/* Verifies the store at db; when all holds, backs it up into dir as xinfang-YYYY-MM-DD.db
 * (anchored), checks the copy, and removes the oldest xinfang-*.db beyond keep. A failed verify
 * makes no backup and returns XF_EINVAL with the first failure. */
int nightly_run(const char *db, const char *dir, long keep, struct xf_nightly *out, struct xf_err *err);
void nightly_free(struct xf_nightly *n);

#endif

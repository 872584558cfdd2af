/* Repeat petitions: how many earlier cases share the petitioner's ID number, phone or name,
 * and the latest few of them, so that a common name warns in one line, not seven hundred. */
#ifndef XINFANG_REPEAT_H
#define XINFANG_REPEAT_H

#include <stddef.h>
#include <stdint.h>
#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

struct xf_repeat {
	size_t total;                 /* earlier cases in all */
	size_t by_id, by_phone, by_name; /* of them, matched first by ID number, phone, name */
	struct xf_rows latest;        /* the newest `keep`, newest first (rows as case_repeat_matches) */
};

/* Earlier cases of the petitioner in `in` (id_number, phone, name), other than exclude_id. */
int repeat_find(struct xf_session *s, const struct xf_fields *in, int64_t exclude_id, size_t keep,
                struct xf_repeat *out, struct xf_err *err);
void repeat_free(struct xf_repeat *r);
/* The counts as people say them: "身份证号相同 1 件、同名 712 件". */
void repeat_counts_text(const struct xf_repeat *r, char *out, size_t n);

#endif

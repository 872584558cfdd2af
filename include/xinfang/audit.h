/* The audit trail: who did what to which case, with the values before and after. */
#ifndef XINFANG_AUDIT_H
#define XINFANG_AUDIT_H

#include <stdint.h>
#include "xinfang/store.h"
#include "xinfang/util.h"

struct xf_session;

/* A JSON object of the fields (all values as strings). */
char *audit_json(const struct xf_fields *f);
/* JSON objects of what changes: before holds the old values of the keys in `changes` that
 * differ from `row`, after holds their new values and, under "record", the fields of the
 * record the change added (record may be NULL). */
void audit_diff(const struct xf_fields *row, const struct xf_fields *changes, const struct xf_fields *record,
                char **before_json, char **after_json);
/* Chinese name of an audit action ("register" -> "登记"). */
const char *audit_action_label(const char *action);
/* A case's audit records that belong to the chain (id 1 and up): what every history reads. */
int audit_case_records(struct xf_store *st, int64_t case_id, struct xf_rows *out, struct xf_err *err);
/* The events of one case, oldest first: fields id at operator action before after. */
int audit_case_history(struct xf_session *s, int64_t case_id, struct xf_rows *out, struct xf_err *err);

#endif

/* The office's reference lists (departments, categories, channels) and the holiday
 * calendar's coverage, as the admin sees and keeps them. Names never change once cases carry
 * them; a department no longer in use is marked 停用, never deleted. */
#ifndef XINFANG_REFERENCE_H
#define XINFANG_REFERENCE_H

#include "xinfang/auth.h"
#include "xinfang/store.h"
#include "xinfang/util.h"

/* A list's rows as people read them: "departments" name note active (在用/停用);
 * "categories" name kind (投诉…) group (一般投诉…) department; "channels" name important
 * (重要/一般). */
int reference_list(struct xf_session *s, const char *list, struct xf_rows *out, struct xf_err *err);
/* Adds an entry (admin only), keys as reference_list shows them: departments name [note];
 * categories name kind group [department]; channels name [important]. */
int reference_add(struct xf_session *s, const char *list, const struct xf_fields *in, struct xf_err *err);
/* Changes an entry (admin only): departments note active; categories kind group department;
 * channels important. */
int reference_edit(struct xf_session *s, const char *list, const char *name, const struct xf_fields *in,
                   struct xf_err *err);
/* The calendar years loaded (rows year source loaded_at days) and what the admin should know
 * about coverage: warnings as fields "1", "2" … with one message each, most pressing first. */
int reference_calendar(struct xf_session *s, struct xf_rows *years, struct xf_fields *warnings, struct xf_err *err);

#endif
